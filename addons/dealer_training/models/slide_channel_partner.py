from odoo import api, models


class SlideChannelPartner(models.Model):
    _inherit = "slide.channel.partner"

    @api.model_create_multi
    def create(self, vals_list):
        memberships = super().create(vals_list)
        memberships.filtered(lambda m: m.member_status == "completed")._refresh_training_statuses()
        return memberships

    def write(self, vals):
        res = super().write(vals)
        if vals.get("member_status") == "completed":
            self._refresh_training_statuses()
        return res

    def _refresh_training_statuses(self):
        if self:
            self.env["dealer.training.status"]._refresh_for(self.partner_id, channels=self.channel_id)
