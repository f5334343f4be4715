from odoo import fields, models


class ChannelTierApplyWizard(models.TransientModel):
    _name = "channel.tier.apply.wizard"
    _description = "Apply Tier Review Proposals"

    line_ids = fields.Many2many(
        "channel.tier.review.line",
        "channel_tier_apply_wizard_line_rel",
        "wizard_id",
        "line_id",
        string="Proposals",
        domain=[("state", "=", "proposed")],
    )
    reason = fields.Text(required=True, help="Kept with the tier change in each dealer's chatter.")
    def action_apply(self):
        self.ensure_one()
        self.line_ids._apply(self.reason)
        return {"type": "ir.actions.act_window_close"}
