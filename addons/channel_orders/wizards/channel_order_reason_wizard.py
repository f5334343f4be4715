from odoo import fields, models


class ChannelOrderReasonWizard(models.TransientModel):
    _name = "channel.order.reason.wizard"
    _description = "Reason for Rejecting a Dealer Order or Overriding its Credit Limit"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    mode = fields.Selection(
        [("reject", "Reject"), ("override", "Override Credit Limit")], required=True, default="reject"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "reject":
            self.order_ids.action_channel_reject(self.reason)
        else:
            self.order_ids.action_channel_override_credit(self.reason)
        return {"type": "ir.actions.act_window_close"}
