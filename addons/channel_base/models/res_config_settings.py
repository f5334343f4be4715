from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_care_call_days = fields.Integer(
        string="Call dealers at least every (days)",
        config_parameter="channel_base.care_call_days",
        default=31,
    )
    channel_care_visit_days = fields.Integer(
        string="Visit dealers at least every (days)",
        config_parameter="channel_base.care_visit_days",
        default=61,
    )

    @api.constrains("channel_care_call_days", "channel_care_visit_days")
    def _check_channel_care_days(self):
        for settings in self:
            if settings.channel_care_call_days < 1 or settings.channel_care_visit_days < 1:
                raise ValidationError(_("The dealer call and visit intervals must be at least one day."))
