from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_sellout_overstock_days = fields.Integer(
        string="Overstock above (days of cover)",
        config_parameter="channel_sellout.overstock_days",
        default=60,
        help="A dealer's estimated stock covering more days of its 90-day sell-out rate is flagged as overstock.",
    )
