from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    channel_route_id = fields.Many2one(
        "channel.delivery.route",
        string="Delivery Route",
        related="sale_id.channel_route_id",
        store=True,
        index=True,
    )
    channel_route_sequence = fields.Integer(
        string="Route Stop",
        related="partner_id.commercial_partner_id.channel_route_sequence",
        store=True,
    )
    channel_order_type = fields.Selection(related="sale_id.channel_order_type", string="Order Type")

    def _action_done(self):
        res = super()._action_done()
        # The chain state of the order follows its deliveries whoever validates them: an inventory
        # user may validate a delivery of an order it may not read.
        orders = self.sudo().sale_id.filtered(lambda o: o.channel_state in ("confirmed", "picked"))
        orders._channel_check_picked()
        orders._channel_check_shipped()
        return res
