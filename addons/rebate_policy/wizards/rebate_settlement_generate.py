from odoo import api, fields, models
from odoo.exceptions import UserError


class RebateSettlementGenerate(models.TransientModel):
    _name = "rebate.settlement.generate"
    _description = "Generate Rebate Settlements"

    policy_ids = fields.Many2many(
        "rebate.policy", string="Policies", required=True, domain="[('state', 'in', ('active', 'closed'))]"
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today,
        help="Settlements are computed for the period of each policy containing this date.",
    )
    confirm = fields.Boolean(string="Confirm Settlements", help="Confirm the settlements once computed.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "policy_ids" in fields_list and not values.get("policy_ids"):
            if self.env.context.get("active_model") == "rebate.policy" and self.env.context.get("active_ids"):
                policy_ids = self.env.context["active_ids"]
            else:
                policy_ids = self.env["rebate.policy"].search([("state", "=", "active")]).ids
            values["policy_ids"] = [fields.Command.set(policy_ids)]
        return values

    def action_generate(self):
        self.ensure_one()
        drafts = self.policy_ids.filtered(lambda p: p.state == "draft")
        if drafts:
            raise UserError(
                self.env._("Activate the policy %s before computing its settlements.", drafts[0].display_name)
            )
        outside = self.policy_ids.filtered(lambda p: not p._get_period(self.date)[0])
        if outside == self.policy_ids:
            raise UserError(self.env._("The date %s is outside every selected policy.", self.date))
        # never at the same time as the cron or another user's run
        lock = self.env["rebate.policy"]._settlement_lock_name()
        self.env["channel.batch"]._lock(lock, self.env._("The rebate settlement run"))
        settlements = self.policy_ids._generate_settlements(self.date)
        if self.confirm:
            settlements.filtered(lambda s: s.state == "draft").action_confirm()
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_settlement_action")
        action["domain"] = [("id", "in", settlements.ids)]
        action["context"] = {"search_default_group_policy": 1}
        return action
