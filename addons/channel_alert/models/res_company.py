from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_decline_pct = fields.Float(
        string="Decline Alert (%)",
        default=30.0,
        help="Alert when the confirmed order amount of the last complete month falls this many percent "
        "below the average of the three complete months before it.",
    )
    channel_dormant_days = fields.Integer(
        string="Dormant Alert (days)",
        default=45,
        help="Alert when an active dealer that has ordered before has no confirmed order for this many days.",
    )
    channel_first_order_days = fields.Integer(
        string="First-order-only Alert (days)",
        default=60,
        help="Alert when a dealer's only confirmed order is older than this many days.",
    )
