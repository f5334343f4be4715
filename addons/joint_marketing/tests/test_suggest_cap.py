from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.channel_presale.tests.common import ChannelPresaleCommon


@tagged("post_install", "-at_install")
class TestSuggestionTargetCap(ChannelPresaleCommon):
    """The suggested-order engine with a dealer's monthly quantity target: never above what remains."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Without a target: tea 12 (2 cases of 6), juice 8 (whole units; see the engine's worked example).
        cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(0))
        cls._deliver(cls.dealer, [(cls.product_unit, 7)], cls._in_cycle(1))
        cls._deliver(cls.dealer, [(cls.product_case, 18), (cls.product_unit, 8)], cls._in_cycle(2))
        cls._deliver(cls.dealer, [(cls.product_case, 600)], cls._at(cls.cycles[0][0] - timedelta(days=2)))

    def _lines(self, order):
        return {line.product_id: line for line in order.order_line}

    def _monthly_target(self, qty_per_month, categ=None):
        Target = self.env["channel.target"]
        year = self.route_date.year
        vals = {"territory_id": self.territory.id, "year": year, "target_qty": qty_per_month * 12,
                "target_amount": 1200.0, "categ_id": categ.id if categ else False}
        root = Target.create(vals)
        dealer_node = Target.create(dict(vals, parent_id=root.id, partner_id=self.dealer.id))
        months = dealer_node._decompose_months("equal")
        return months.filtered(lambda n: n.month == self.route_date.month)

    def test_no_target_no_cap(self):
        lines = self._lines(self.route._prepare_suggested_orders(self.route_date))
        self.assertEqual(lines[self.product_case].product_uom_qty, 12.0)
        self.assertEqual(lines[self.product_unit].product_uom_qty, 8.0)

    def test_monthly_target_caps_suggestion(self):
        month = self._monthly_target(7.0)
        self.assertEqual(month.target_qty, 7.0)
        lines = self._lines(self.route._prepare_suggested_orders(self.route_date))
        self.assertEqual(lines[self.product_case].product_uom_qty, 6.0, "12 capped at 7, whole cases: 6")
        self.assertEqual(lines[self.product_unit].product_uom_qty, 7.0, "8 capped at 7")
        self.assertEqual(lines[self.product_case].channel_suggest_data["cap"], 7.0)

    def test_category_target_more_specific(self):
        self._monthly_target(100.0)
        self._monthly_target(4.0, categ=self.product_unit.categ_id)
        lines = self._lines(self.route._prepare_suggested_orders(self.route_date))
        self.assertEqual(lines[self.product_unit].product_uom_qty, 4.0)
        if self.product_case.categ_id != self.product_unit.categ_id:
            self.assertEqual(lines[self.product_case].product_uom_qty, 12.0)
