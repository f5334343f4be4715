from odoo.tests import HttpCase, tagged

from .common import ChannelOrdersCommon


@tagged("post_install", "-at_install")
class TestDealerTour(ChannelOrdersCommon, HttpCase):
    def test_dealer_orders_and_confirms_receipt(self):
        self.company.write({"channel_sales_approval": True, "channel_finance_approval": False})
        # The dealer logs in, orders from the quick-order page and submits the cart.
        self.start_tour("/web/login", "channel_orders_dealer_order")
        order = self.env["sale.order"].search([("partner_id", "=", self.dealer.id), ("channel_state", "!=", False)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.channel_state, "to_sales")
        self.assertEqual(order.order_line.product_id, self.product_a)
        self.assertEqual(order.order_line.product_uom_qty, 12.0)
        self.assertEqual(order.order_line.price_unit, 10.0)
        # Staff approve and ship it.
        order.action_channel_approve()
        self._ship(order)
        self.assertEqual(order.channel_state, "shipped")
        # Later the dealer confirms its receipt.
        self.start_tour("/my/channel/orders", "channel_orders_dealer_receipt", login="co_dealer")
        self.assertEqual(order.channel_state, "received")
        self.assertEqual(order.channel_receipt_note, "One case damaged")
