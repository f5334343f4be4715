from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_penalty_price = fields.Float(
        string="Price violation penalty",
        config_parameter="channel_pricing.penalty_price",
        help="Default penalty of a confirmed price violation (dumping below the floor).",
    )
    channel_penalty_cross_territory = fields.Float(
        string="Cross-territory penalty",
        config_parameter="channel_pricing.penalty_cross_territory",
        help="Default penalty of a confirmed cross-territory selling violation.",
    )
