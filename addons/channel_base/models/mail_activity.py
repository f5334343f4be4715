from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        self._channel_register_care()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _channel_register_care(self):
        """A done "Dealer call" / "Dealer visit" activity dates the dealer's last call / visit."""
        care_fields = {
            self.env.ref("channel_base.mail_activity_type_dealer_call", raise_if_not_found=False): "last_call_date",
            self.env.ref("channel_base.mail_activity_type_dealer_visit", raise_if_not_found=False): "last_visit_date",
        }
        today = fields.Date.context_today(self)
        for activity_type, field_name in care_fields.items():
            activities = self.filtered(
                lambda a, t=activity_type: t and a.res_model == "res.partner" and a.activity_type_id == t
            )
            if activities:
                # Whoever may mark the activity done may date the dealer's care, even without
                # write access on partners: only this date is written.
                partners = self.env["res.partner"].sudo().browse(activities.mapped("res_id")).exists()
                partners.commercial_partner_id.write({field_name: today})
