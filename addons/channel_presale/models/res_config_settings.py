from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_forecast_cycles = fields.Integer(related="company_id.channel_forecast_cycles", readonly=False)
    channel_safety_stock_pct = fields.Float(related="company_id.channel_safety_stock_pct", readonly=False)
    channel_suggest_days_before = fields.Integer(related="company_id.channel_suggest_days_before", readonly=False)
