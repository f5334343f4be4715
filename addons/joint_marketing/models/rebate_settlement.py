from odoo import api, fields, models


class RebateSettlement(models.Model):
    _inherit = "rebate.settlement"

    passdown_ids = fields.Many2many(
        "channel.agreement.passdown", compute="_compute_passdown", string="Shares Owed to Distributors",
        help="Shares of this rebate the dealer passes to its distributors under its signed agreements.",
    )
    passdown_amount = fields.Monetary(compute="_compute_passdown", string="Owed to Distributors")
    passdown_summary = fields.Html(compute="_compute_passdown", string="Owed per Distributor", sanitize=False)

    @api.depends_context("lang")
    @api.depends("partner_id", "policy_id", "period_start", "period_end", "net_amount")
    def _compute_passdown(self):
        lines = self.env["channel.agreement.passdown"].sudo().search([
            ("dealer_id", "in", self.partner_id.ids),
            ("policy_id", "in", self.policy_id.ids),
            ("agreement_id.state", "in", ("signed", "active", "expired")),
        ])
        for settlement in self:
            applying = lines.filtered(
                lambda line, s=settlement: line.dealer_id == s.partner_id
                and line.policy_id == s.policy_id
                and line.agreement_id.date_start <= s.period_end
                and line.agreement_id.date_end >= s.period_start
            )
            rows = [
                {
                    "distributor": line.distributor_id.display_name,
                    "agreement": line.agreement_id.name,
                    "share": line.share,
                    "amount": settlement.currency_id.round(settlement.net_amount * line.share / 100.0),
                }
                for line in applying
            ]
            settlement.passdown_ids = applying
            settlement.passdown_amount = sum(row["amount"] for row in rows)
            settlement.passdown_summary = self.env["ir.qweb"]._render(
                "joint_marketing.rebate_settlement_passdown_table",
                {"rows": rows, "currency": settlement.currency_id},
            ) if rows else False

    def _get_passdown_amounts(self):
        """{(settlement id, distributor id): amount owed}."""
        result = {}
        for settlement in self:
            for line in settlement.passdown_ids:
                key = (settlement.id, line.distributor_id.id)
                result[key] = result.get(key, 0.0) + settlement.currency_id.round(
                    settlement.net_amount * line.share / 100.0
                )
        return result

    campaign_claim_ids = fields.One2many("channel.campaign.claim", "settlement_id", string="Campaign Claims",
                                         readonly=True)
    campaign_amount = fields.Monetary(
        compute="_compute_campaign_amount", store=True, string="Campaign Reimbursements",
        help="Reimbursements of co-funded campaign claims paid with this settlement.",
    )

    @api.depends("campaign_claim_ids.reimbursed_amount")
    def _compute_campaign_amount(self):
        for settlement in self:
            settlement.campaign_amount = sum(settlement.campaign_claim_ids.mapped("reimbursed_amount"))

    @api.depends("campaign_amount")
    def _compute_net_amount(self):
        res = super()._compute_net_amount()
        for settlement in self:
            settlement.net_amount += settlement.campaign_amount
        return res

    @api.model
    def _rebate_batch_computed_values(self, policy, rows):
        # A new settlement has no campaign claim yet: no reimbursement, the net amount stays.
        result = super()._rebate_batch_computed_values(policy, rows)
        for values in result:
            values["campaign_amount"] = 0.0
        return result

    def _rebate_batch_recomputed_values(self, policy, fnames):
        # As _compute_net_amount above: the reimbursements are added to the net amount.
        result = super()._rebate_batch_recomputed_values(policy, fnames)
        for values, settlement in zip(result, self, strict=True):
            if "net_amount" in values:
                values["net_amount"] += settlement.campaign_amount
        return result
