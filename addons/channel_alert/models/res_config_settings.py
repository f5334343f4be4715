from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_decline_pct = fields.Float(related="company_id.channel_decline_pct", readonly=False)
    channel_dormant_days = fields.Integer(related="company_id.channel_dormant_days", readonly=False)
    channel_first_order_days = fields.Integer(related="company_id.channel_first_order_days", readonly=False)
