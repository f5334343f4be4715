from odoo import fields, models

from ..models.sale_order import CHANNEL_STATES, ORDER_TYPES

CHANNEL_FIELDS = (
    "channel_dealer_id",
    "channel_tier_id",
    "channel_territory_id",
    "channel_route_id",
    "channel_order_type",
    "channel_state",
)


class SaleReport(models.Model):
    _inherit = "sale.report"

    channel_dealer_id = fields.Many2one("res.partner", string="Channel Dealer", readonly=True)
    channel_tier_id = fields.Many2one("channel.tier", string="Dealer Tier", readonly=True)
    channel_territory_id = fields.Many2one("channel.territory", string="Dealer Territory", readonly=True)
    channel_route_id = fields.Many2one("channel.delivery.route", string="Delivery Route", readonly=True)
    channel_order_type = fields.Selection(ORDER_TYPES, string="Order Type", readonly=True)
    channel_state = fields.Selection(CHANNEL_STATES, string="Channel Status", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        for fname in CHANNEL_FIELDS:
            res[fname] = f"s.{fname}"
        return res

    def _group_by_sale(self):
        res = super()._group_by_sale()
        return res + "".join(f",\n            s.{fname}" for fname in CHANNEL_FIELDS)
