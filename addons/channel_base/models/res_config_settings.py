from odoo import fields, models


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
