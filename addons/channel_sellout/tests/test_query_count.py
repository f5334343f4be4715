from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutQueries(SelloutCommon, HttpCase):
    """Page cost does not grow with the number of products or orders shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        cls._portal_user("so_q_dealer", cls.dealer)
        cls._portal_user("so_q_buyer", cls.buyer)

    def _count(self, url):
        self.url_open(url)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before, response

    def _add_products(self, count, start):
        products = self.env["product.product"].create([
            {"name": f"SO Q {i:03d}", "default_code": f"SO-Q{i:03d}", "type": "consu", "sale_ok": True}
            for i in range(start, start + count)
        ])
        self.env["product.pricelist.item"].create([
            {"pricelist_id": self.pricelist.id, "applied_on": "0_product_variant", "product_id": product.id,
             "compute_price": "fixed", "fixed_price": 10.0}
            for product in products
        ])
        # Delivered history on every product: each gets a suggestion.
        for week in range(2):
            self._order(quantity=3.0, product=products[0], state="delivered",
                        date_order=self.today - timedelta(days=1 + 7 * week))
        self.env["channel.sellout.line"].create([
            {"order_id": self._order(state="delivered", date_order=self.today - timedelta(days=2)).id,
             "product_id": product.id, "quantity": 2.0, "price_unit": 10.0}
            for product in products
        ])
        return products

    def test_distributor_order_page(self):
        self.authenticate("so_q_buyer", "so_q_buyer")
        self._add_products(3, 0)
        small, _response = self._count("/my/channel/order")
        self._add_products(30, 100)
        large, response = self._count("/my/channel/order")
        self.assertIn("SO Q 129", response.text)
        self.assertLessEqual(large, small + 3, f"{small} queries for 5 products, {large} for 35")

    def test_dealer_sellout_list(self):
        self.authenticate("so_q_dealer", "so_q_dealer")
        for _index in range(3):
            self._order(buyer=self.buyer_2, state="submitted")
        small, _response = self._count("/my/channel/sellout")
        for _index in range(15):
            self._order(buyer=self.buyer_2, state="submitted")
        large, response = self._count("/my/channel/sellout")
        self.assertEqual(response.text.count("o_sellout_order_row"), 18)
        self.assertLessEqual(large, small + 2, f"{small} queries for 3 orders, {large} for 18")
