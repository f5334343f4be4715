from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    joint_marketing_min_market_capacity = fields.Float(
        string="Minimum Market Capacity",
        config_parameter="joint_marketing.min_market_capacity",
        default=1000000.0,
        help="Below this yearly market capacity a territory is not suggested for a joint-marketing body.",
    )
