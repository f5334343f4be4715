from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_forecast_cycles = fields.Integer(
        string="Forecast Cycles",
        default=3,
        help="Suggested orders forecast each product from the average quantity delivered per delivery "
        "cycle over this many complete cycles (cycles without deliveries count as 0).",
    )
    channel_safety_stock_pct = fields.Float(
        string="Safety Stock (%)",
        default=10.0,
        help="Added to the forecast of suggested orders before the open quantity is deducted.",
    )
    channel_suggest_days_before = fields.Integer(
        string="Prepare Suggestions (days before)",
        default=2,
        help="Suggested orders are prepared this many days before each route date.",
    )
