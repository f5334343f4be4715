from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rebate_near_threshold_percent = fields.Float(
        string="Near Next Threshold (%)",
        config_parameter="rebate_policy.near_threshold_percent",
        default=10.0,
        help="Dealers whose base lacks at most this share of their next threshold are listed for a call.",
    )
