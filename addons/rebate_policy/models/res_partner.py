from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    rebate_settlement_count = fields.Integer(compute="_compute_rebate_settlement_count", groups="base.group_user")

    def _compute_rebate_settlement_count(self):
        counts = dict(
            self.env["rebate.settlement"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.rebate_settlement_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_rebate_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_settlement_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_policy": 1}
        return action
