from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import ChannelPresaleCommon


@tagged("post_install", "-at_install")
class TestSuggestedOrders(ChannelPresaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Worked example, 3 complete cycles, 10 % safety stock:
        #   tea (case of 6): 12, 0, 18 -> forecast 10 -> 11 -> 2 cases = 12
        #   juice (Units, no packaging: order multiple 1): 5, 7, 8 -> forecast 6.667 -> 7.333 -> 8
        cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(0))
        cls._deliver(cls.dealer, [(cls.product_unit, 7)], cls._in_cycle(1))
        cls._deliver(cls.dealer, [(cls.product_case, 18), (cls.product_unit, 8)], cls._in_cycle(2))
        # Outside the window: the running cycle and a cycle older than the last three.
        cls._deliver(cls.dealer, [(cls.product_case, 600)], cls._at(cls.cycles[2][1]))
        cls._deliver(cls.dealer, [(cls.product_case, 600)], cls._at(cls.cycles[0][0] - timedelta(days=2)))

    def _lines(self, order):
        return {line.product_id: line for line in order.order_line}

    def test_cycles(self):
        self.assertEqual(len(self.cycles), 3)
        for (start, end), (next_start, _next_end) in zip(self.cycles, self.cycles[1:], strict=False):
            self.assertEqual(end, next_start)
            self.assertEqual((end - start).days, 7)
            self.assertEqual(start.weekday(), 1)
        self.assertLess(self.cycles[-1][1], self.route_date)

    def test_forecast_and_rounding(self):
        orders = self.route._prepare_suggested_orders(self.route_date)
        self.assertEqual(len(orders), 1, "Only the dealer with deliveries gets a suggestion")
        order = orders
        self.assertTrue(order.channel_suggested)
        self.assertEqual(order.partner_id, self.dealer)
        self.assertEqual(order.channel_order_type, "regular")
        self.assertEqual(order.channel_route_date, self.route_date)
        self.assertEqual(self.route._to_local(order.commitment_date).date(), self.route_date)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.channel_state, "draft")
        lines = self._lines(order)
        self.assertEqual(lines[self.product_case].product_uom_qty, 12.0)
        self.assertEqual(lines[self.product_unit].product_uom_qty, 8.0, "Sold in units: a whole number")
        data = lines[self.product_case].channel_suggest_data
        self.assertEqual([cycle[2] for cycle in data["cycles"]], [12.0, 0.0, 18.0])
        self.assertAlmostEqual(data["forecast"], 10.0)
        self.assertAlmostEqual(data["with_safety"], 11.0)
        self.assertEqual(data["packaging_qty"], 6.0)
        self.assertAlmostEqual(lines[self.product_unit].channel_suggest_data["needed"], 22.0 / 3)
        explanation = lines[self.product_case].channel_suggest_explanation
        self.assertIn("Forecast 10", explanation)
        self.assertIn("Case of 6", explanation)
        self.assertIn("Your suggested order for", order._channel_suggestion_title())

    def test_open_quantity_deducted(self):
        # 3 juices confirmed, not delivered yet: 7.333 - 3 = 4.333 -> 5 (whole units)
        self._sale(self.dealer, [(self.product_unit, 3)])
        # 20 teas open: 11 - 20 < 0 -> no tea line
        self._sale(self.dealer, [(self.product_case, 20)])
        order = self.route._prepare_suggested_orders(self.route_date)
        lines = self._lines(order)
        self.assertEqual(lines[self.product_unit].product_uom_qty, 5.0)
        self.assertAlmostEqual(lines[self.product_unit].channel_suggest_data["open_qty"], 3.0)
        self.assertNotIn(self.product_case, lines)

    def test_rerun_updates_same_draft(self):
        order = self.route._prepare_suggested_orders(self.route_date)
        again = self.route._prepare_suggested_orders(self.route_date)
        self.assertEqual(again, order)
        self.assertEqual(len(order.order_line), 2)
        count = self.env["sale.order"].search_count(
            [
                ("channel_suggested", "=", True),
                ("partner_id", "=", self.dealer.id),
                ("channel_route_date", "=", self.route_date),
            ]
        )
        self.assertEqual(count, 1)
        # The dealer edits the juice; new confirmed teas reduce the tea suggestion.
        lines = self._lines(order)
        lines[self.product_unit].product_uom_qty = 30
        self._sale(self.dealer, [(self.product_case, 4)])  # open 4: 11 - 4 = 7 -> 12
        self._sale(self.dealer, [(self.product_case, 2)])  # open 6: 11 - 6 = 5 -> 6
        again = self.route._prepare_suggested_orders(self.route_date)
        self.assertEqual(again, order)
        lines = self._lines(order)
        self.assertEqual(lines[self.product_case].product_uom_qty, 6.0)
        self.assertEqual(lines[self.product_unit].product_uom_qty, 30.0, "An edited line keeps the dealer's quantity")
        # Through the dealer's button too.
        self.dealer.action_channel_prepare_suggested_order()
        self.assertEqual(
            len(self.env["sale.order"].search([("channel_suggested", "=", True), ("partner_id", "=", self.dealer.id)])),
            1,
        )

    def test_submitted_order_untouched(self):
        order = self.route._prepare_suggested_orders(self.route_date)
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "confirmed")
        amount = order.amount_total
        result = self.route._prepare_suggested_orders(self.route_date)
        self.assertFalse(result)
        self.assertEqual(order.amount_total, amount)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("channel_suggested", "=", True), ("partner_id", "=", self.dealer.id)]
            ),
            1,
        )

    def test_target_cap_hook(self):
        Route = type(self.env["channel.delivery.route"])
        calls = []

        def cap(route, dealer, product, period):
            calls.append((dealer, product, period))
            return {self.product_case: 7.0, self.product_unit: 5.555}.get(product)

        with patch.object(Route, "_get_suggested_target_cap", cap):
            order = self.route._prepare_suggested_orders(self.route_date)
        lines = self._lines(order)
        self.assertEqual(lines[self.product_case].product_uom_qty, 6.0, "12 capped at 7, whole cases: 6")
        self.assertEqual(lines[self.product_unit].product_uom_qty, 5.0, "8 capped at 5.555, whole units: 5")
        self.assertEqual(lines[self.product_case].channel_suggest_data["cap"], 7.0)
        self.assertEqual({c[0] for c in calls}, {self.dealer})
        self.assertEqual(calls[0][2][0], self.route_date)
        self.assertGreater(calls[0][2][1], self.route_date)
        # Without override: no cap.
        self.assertIsNone(
            self.route._get_suggested_target_cap(self.dealer, self.product_case, (self.route_date, self.route_date))
        )

    def test_cron_prepares_before_route_date(self):
        self.company.channel_suggest_days_before = 7
        self.env["channel.delivery.route"]._cron_prepare_suggested_orders()
        order = self.env["sale.order"].search([("channel_suggested", "=", True), ("partner_id", "=", self.dealer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.channel_route_date, self.route_date)
        self.env["channel.delivery.route"]._cron_prepare_suggested_orders()
        order2 = self.env["sale.order"].search([("channel_suggested", "=", True), ("partner_id", "=", self.dealer.id)])
        self.assertEqual(order2, order)

    def test_batch_query_count(self):
        """Reading the history costs the same number of queries for one dealer or many."""
        self._deliver(self.dealer_two, [(self.product_case, 6), (self.product_unit, 2)], self._in_cycle(1))
        self.env.invalidate_all()
        Route = self.env["channel.delivery.route"]
        start = self.env.cr.sql_log_count
        Route.browse(self.route.id)._get_suggested_quantities(self.route_date, self.dealer)
        one = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        result = Route.browse(self.route.id)._get_suggested_quantities(self.route_date)
        both = self.env.cr.sql_log_count - start
        self.assertEqual(set(result), {self.dealer.id, self.dealer_two.id})
        self.assertEqual(one, both)


@tagged("post_install", "-at_install")
class TestSuggestedQuantityRounding(ChannelPresaleCommon):
    """A suggestion is a quantity a dealer orders: whole packagings, else whole order multiples (1 for
    products sold in units), else the unit's rounding (weights, volumes)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        vals = {"type": "consu", "sale_ok": True, "taxes_id": [Command.clear()], "list_price": 5.0}
        kg = cls.env.ref("uom.product_uom_kgm")
        cls.product_kg = Product.create(
            dict(vals, name="Suggest Loose Tea", default_code="SG-KG", uom_id=kg.id, uom_po_id=kg.id)
        )
        cls.product_four = Product.create(dict(vals, name="Suggest Cups", default_code="SG-4"))
        cls.product_four.channel_order_multiple = 4.0
        # 5, 7, 8 per cycle -> forecast 6.667 -> with 10 % safety stock 7.333
        for index, quantity in enumerate((5, 7, 8)):
            cls._deliver(
                cls.dealer,
                [(cls.product_unit, quantity), (cls.product_kg, quantity), (cls.product_four, quantity)],
                cls._in_cycle(index),
            )

    def test_order_multiple_defaults(self):
        self.assertEqual(self.product_unit.channel_order_multiple, 1.0, "Units category: whole units")
        self.assertEqual(self.product_kg.channel_order_multiple, 0.0, "kg: the unit's rounding")

    def test_whole_numbers_for_units(self):
        order = self.route._prepare_suggested_orders(self.route_date)
        lines = {line.product_id: line for line in order.order_line}
        self.assertEqual(lines[self.product_unit].product_uom_qty, 8.0)
        self.assertEqual(lines[self.product_unit].channel_suggest_data["order_multiple"], 1.0)
        self.assertIn("Rounded up to whole units: 8", lines[self.product_unit].channel_suggest_explanation)
        self.assertEqual(lines[self.product_four].product_uom_qty, 8.0, "7.333 up to a multiple of 4")
        self.assertIn("multiple of 4", lines[self.product_four].channel_suggest_explanation)
        self.assertEqual(lines[self.product_kg].product_uom_qty, 7.34, "kg: decimals stay")
        self.assertFalse(lines[self.product_kg].channel_suggest_data["order_multiple"])

    def test_cap_rounded_down_to_the_multiple(self):
        Route = type(self.env["channel.delivery.route"])

        def cap(route, dealer, product, period):
            return 7.5

        with patch.object(Route, "_get_suggested_target_cap", cap):
            order = self.route._prepare_suggested_orders(self.route_date)
        lines = {line.product_id: line for line in order.order_line}
        self.assertEqual(lines[self.product_unit].product_uom_qty, 7.0)
        self.assertEqual(lines[self.product_four].product_uom_qty, 4.0)
        self.assertEqual(lines[self.product_kg].product_uom_qty, 7.34, "below the cap: unchanged")


@tagged("post_install", "-at_install")
class TestSuggestedQuantityUnits(ChannelPresaleCommon):
    """Deliveries and open orders in another unit than the product's count in the product's unit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        cls.product_eggs = cls.env["product.product"].create(
            {"name": "Suggest Eggs", "default_code": "SG-EGG", "type": "consu", "sale_ok": True,
             "taxes_id": [Command.clear()], "list_price": 1.0}
        )
        # 1 dozen, 12 units, half a dozen -> 12, 12, 6 units -> forecast 10 -> with 10 % safety stock 11
        for index, (quantity, uom) in enumerate(((1, cls.dozen), (12, cls.product_eggs.uom_id), (0.5, cls.dozen))):
            order = cls._sale_in_unit(quantity, uom)
            cls._validate_pickings(order.picking_ids, cls._in_cycle(index))

    @classmethod
    def _sale_in_unit(cls, quantity, uom):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.dealer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product_eggs.id, "product_uom_qty": quantity, "product_uom": uom.id}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def test_history_in_the_product_unit(self):
        figures = self.route._get_suggested_quantities(self.route_date)[self.dealer.id][self.product_eggs.id]
        self.assertEqual([cycle[2] for cycle in figures["cycles"]], [12.0, 12.0, 6.0])
        self.assertAlmostEqual(figures["forecast"], 10.0)
        self.assertEqual(figures["suggested"], 11.0)

    def test_open_quantity_in_the_product_unit(self):
        # Half a dozen confirmed, not delivered yet: 11 - 6 = 5 units
        self._sale_in_unit(0.5, self.dozen)
        figures = self.route._get_suggested_quantities(self.route_date)[self.dealer.id][self.product_eggs.id]
        self.assertAlmostEqual(figures["open_qty"], 6.0)
        self.assertEqual(figures["suggested"], 5.0)
