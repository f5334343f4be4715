from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutViolations(SelloutCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()

    def _violations(self, violation_type):
        return self.env["channel.violation"].search(
            [("partner_id", "=", self.dealer.id), ("violation_type", "=", violation_type)])

    def test_inside_territory_and_above_floor_no_violation(self):
        self._order(buyer=self.buyer, price=120.0, state="delivered")
        self._order(buyer=self.buyer_2, price=100.0, state="delivered")
        self.assertFalse(self._violations("cross_territory"))
        self.assertFalse(self._violations("price"))

    def test_cross_territory_on_delivery_deduplicated(self):
        first = self._order(buyer=self.buyer_out, state="accepted")
        self.assertFalse(self._violations("cross_territory"), "nothing before delivery")
        first.action_deliver()
        violation = self._violations("cross_territory")
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.state, "draft")
        self.assertEqual(violation.territory_id, self.elsewhere)
        self.assertEqual(violation.product_id, self.product)
        self.assertEqual(violation.sellout_line_ids, first.line_ids)
        second = self._order(buyer=self.buyer_out, quantity=5, state="delivered")
        self.assertEqual(self._violations("cross_territory"), violation, "same dealer, product and month")
        self.assertEqual(violation.sellout_line_ids, first.line_ids | second.line_ids)
        # Another product opens its own violation.
        self._order(buyer=self.buyer_out, product=self.product_2, price=40.0, state="delivered")
        self.assertEqual(len(self._violations("cross_territory")), 2)
        # Another month too.
        last_month = self.today.replace(day=1) - timedelta(days=1)
        self._order(buyer=self.buyer_out, date_order=last_month, state="delivered")
        self.assertEqual(len(self._violations("cross_territory")), 3)

    def test_price_below_floor_deduplicated(self):
        first = self._order(buyer=self.buyer, price=90.0, state="delivered")
        violation = self._violations("price")
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.state, "draft")
        self.assertAlmostEqual(violation.observed_price, 90.0)
        self.assertAlmostEqual(violation.floor_price, 100.0)
        self.assertEqual(violation.territory_id, self.city)
        second = self._order(buyer=self.buyer_2, price=80.0, state="delivered")
        self.assertEqual(self._violations("price"), violation)
        self.assertEqual(violation.sellout_line_ids, first.line_ids | second.line_ids)
        self.assertFalse(self._violations("cross_territory"))
        self.assertEqual(first.violation_count, 1)

    def test_dismissed_violation_not_reused(self):
        self._order(buyer=self.buyer, price=90.0, state="delivered")
        self._violations("price").action_dismiss()
        self._order(buyer=self.buyer, price=90.0, state="delivered")
        self.assertEqual(len(self._violations("price")), 2)
