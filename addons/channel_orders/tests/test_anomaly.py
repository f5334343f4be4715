from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ChannelOrdersCommon


@tagged("post_install", "-at_install")
class TestAbnormalOrders(ChannelOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_route_dealers()
        for _i in range(3):
            cls._sale(cls.dealer, [(cls.product_unit, 10)])

    def _submit(self, quantity, partner=None):
        order = self._sale(partner or self.dealer, [(self.product_unit, quantity)], confirm=False)
        order.action_channel_submit()
        return order

    def test_exactly_twice_the_mean_passes(self):
        order = self._submit(20)
        self.assertFalse(order.channel_anomaly)
        self.assertEqual(order.channel_state, "confirmed")

    def test_above_twice_the_mean_is_flagged(self):
        order = self._submit(21)
        self.assertTrue(order.channel_anomaly)
        self.assertIn("Suggest Juice", order.channel_anomaly_note)
        self.assertTrue(order.order_line.channel_anomaly_note)
        self.assertEqual(order.channel_state, "to_sales", "Waits for a channel manager although the sales step is off")
        activity = self.env["mail.activity"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        # Whoever follows up the dealer: its salesperson first.
        self.assertEqual(activity.user_id, self.salesperson)
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).action_channel_approve()
        order.with_user(self.manager_user).action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")

    def test_anomaly_follow_up_without_salesperson(self):
        """A dealer without salesperson: the territory manager follows up the abnormal order."""
        self.dealer.user_id = False
        order = self._submit(21)
        self.assertTrue(order.channel_anomaly)
        activity = self.env["mail.activity"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        self.assertEqual(activity.user_id, self.territory_user)

    def test_anomaly_figures_write_nothing(self):
        order = self._sale(self.dealer, [(self.product_unit, 21)], confirm=False)
        figures = order._get_channel_anomaly_figures()
        self.assertEqual(len(figures[order]), 1)
        figure = figures[order][0]
        self.assertEqual(figure["product"], self.product_unit)
        self.assertAlmostEqual(figure["quantity"], 21.0)
        self.assertAlmostEqual(figure["mean"], 10.0)
        self.assertAlmostEqual(figure["threshold"], 20.0)
        self.assertEqual(figure["count"], 3)
        self.assertFalse(order.channel_anomaly, "Detection alone flags nothing")
        self.assertFalse(order.order_line.channel_anomaly_note)

    def test_anomaly_reasons_follow_the_figures(self):
        """The reasons are worded from the figures kept on the lines, and go with them."""
        order = self._sale(self.dealer, [(self.product_unit, 21)], confirm=False)
        order._channel_check_anomalies()
        self.assertTrue(order.channel_anomaly)
        self.assertEqual(order.order_line.channel_anomaly_data["count"], 3)
        self.assertAlmostEqual(order.order_line.channel_anomaly_data["threshold"], 20.0)
        self.assertIn("limit 20", order.order_line.channel_anomaly_note)
        self.assertEqual(order.channel_anomaly_note, order.order_line.channel_anomaly_note)
        order.order_line.product_uom_qty = 15
        order._channel_check_anomalies()
        self.assertFalse(order.channel_anomaly)
        self.assertFalse(order.order_line.channel_anomaly_data)
        self.assertFalse(order.order_line.channel_anomaly_note)
        self.assertFalse(order.channel_anomaly_note)

    def test_fewer_than_three_orders(self):
        self._sale(self.dealer_two, [(self.product_unit, 10)])
        self._sale(self.dealer_two, [(self.product_unit, 10)])
        order = self._submit(500, partner=self.dealer_two)
        self.assertFalse(order.channel_anomaly, "Only 2 earlier orders: no threshold")
        self.assertEqual(order.channel_state, "confirmed")

    def test_three_sigma_threshold(self):
        # 10, 10, 40: mean 20, sigma 14.14 -> limit max(40, 62.43)
        self._sale(self.dealer_two, [(self.product_unit, 10)])
        self._sale(self.dealer_two, [(self.product_unit, 10)])
        self._sale(self.dealer_two, [(self.product_unit, 40)])
        below = self._sale(self.dealer_two, [(self.product_unit, 62)], confirm=False)
        above = self._sale(self.dealer_two, [(self.product_unit, 63)], confirm=False)
        (below | above)._channel_check_anomalies()
        self.assertFalse(below.channel_anomaly)
        self.assertTrue(above.channel_anomaly)
        self.assertIn("62.43", above.channel_anomaly_note)

    def test_old_orders_ignored(self):
        old = self.env["sale.order"].search([("partner_id", "=", self.dealer.id), ("state", "=", "sale")])
        old.date_order = self._at(fields.Date.today() - timedelta(days=400))
        self.assertFalse(self._submit(50).channel_anomaly)
