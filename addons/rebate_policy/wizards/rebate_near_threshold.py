from odoo import api, fields, models


class RebateNearThreshold(models.TransientModel):
    _name = "rebate.near.threshold"
    _description = "Dealers Near Their Next Threshold"

    policy_ids = fields.Many2many(
        "rebate.policy", string="Policies", domain="[('state', '=', 'active'), ('computation', '=', 'threshold')]",
        help="Empty: every active threshold policy.",
    )
    margin_percent = fields.Float(
        string="Within (%)", required=True,
        default=lambda self: float(
            self.env["ir.config_parameter"].sudo().get_param("rebate_policy.near_threshold_percent", 10.0)
        ),
        help="List dealers whose base lacks at most this share of their next threshold.",
    )
    refresh = fields.Boolean(
        string="Recompute Now", default=True, help="Recompute the current period before listing the dealers."
    )

    @api.model
    def _get_policies(self, policies):
        return policies or self.env["rebate.policy"].search(
            [("state", "=", "active"), ("computation", "=", "threshold")]
        )

    def action_open(self):
        self.ensure_one()
        policies = self._get_policies(self.policy_ids)
        today = fields.Date.context_today(self)
        if self.refresh:
            policies._generate_settlements(today)
        starts = [policy._get_period(today)[0] for policy in policies]
        domain = self.env["rebate.settlement"]._get_near_threshold_domain(self.margin_percent) + [
            ("policy_id", "in", policies.ids),
            ("period_start", "in", [start for start in starts if start]),
        ]
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_settlement_near_action")
        action["domain"] = domain
        return action
