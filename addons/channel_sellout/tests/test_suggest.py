from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutSuggest(SelloutCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        cls.env.company.write({"channel_forecast_cycles": 4, "channel_safety_stock_pct": 10.0})
        # One delivered order a week over the last four cycles: 8, 12, 10, 10 (mean 10).
        for week, quantity in enumerate((10.0, 10.0, 12.0, 8.0)):
            cls._order(quantity=quantity, state="delivered", date_order=cls.today - timedelta(days=1 + 7 * week))
        # Older than the four cycles: not in the forecast.
        cls._order(quantity=500.0, state="delivered", date_order=cls.today - timedelta(days=60))
        # The other buyer never bought.

    def test_route_dates(self):
        self.assertEqual(self.route._next_date(self.today), self.today)
        self.assertEqual(self.route._next_date(self.today + timedelta(days=1)), self.today + timedelta(days=7))
        cycles = self.route._suggest_cycles(self.today, 4)
        self.assertEqual(cycles[0], (self.today - timedelta(days=28), self.today - timedelta(days=21)))
        self.assertEqual(cycles[-1], (self.today - timedelta(days=7), self.today))

    def test_suggested_quantities(self):
        result = self.route._get_suggested_quantities(self.buyer | self.buyer_2)
        self.assertNotIn(self.buyer_2.id, result)
        data = result[self.buyer.id][self.product.id]
        self.assertAlmostEqual(data["forecast"], 10.0)
        self.assertAlmostEqual(data["suggested"], 11.0)
        self.assertEqual([cycle[2] for cycle in data["cycles"]], [8.0, 12.0, 10.0, 10.0])
        self.assertIn("10%", data["explanation"])

    def test_open_quantity_deducted(self):
        self._order(quantity=4.0, state="accepted")
        data = self.route._get_suggested_quantities(self.buyer)[self.buyer.id][self.product.id]
        self.assertAlmostEqual(data["open_qty"], 4.0)
        self.assertAlmostEqual(data["suggested"], 7.0)

    def test_rounding_to_packaging(self):
        self.env["product.packaging"].create({"name": "Box of 6", "product_id": self.product.id, "qty": 6.0,
                                              "sales": True})
        data = self.route._get_suggested_quantities(self.buyer)[self.buyer.id][self.product.id]
        self.assertAlmostEqual(data["suggested"], 12.0)

    def test_not_resold_product_not_suggested(self):
        self.env["product.pricelist.item"].search([("pricelist_id", "=", self.pricelist.id),
                                                   ("product_id", "=", self.product.id)]).unlink()
        self.assertFalse(self.route._get_suggested_quantities(self.buyer))
