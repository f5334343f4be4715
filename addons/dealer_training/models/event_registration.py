from odoo import api, models


class EventRegistration(models.Model):
    _inherit = "event.registration"

    @api.model_create_multi
    def create(self, vals_list):
        registrations = super().create(vals_list)
        registrations.filtered(lambda r: r.state == "done")._refresh_training_statuses()
        return registrations

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "done" or ("partner_id" in vals and "done" in self.mapped("state")):
            self.filtered(lambda r: r.state == "done")._refresh_training_statuses()
        return res

    def _refresh_training_statuses(self):
        registrations = self.sudo().filtered(lambda r: r.partner_id and r.event_id.training_channel_ids)
        if registrations:
            self.env["dealer.training.status"]._refresh_for(
                registrations.partner_id, channels=registrations.event_id.training_channel_ids
            )
