from odoo import Command
from odoo.tests import tagged

from .test_portal_order import ChannelOrdersHttpCommon


@tagged("post_install", "-at_install")
class TestQuickOrderQueries(ChannelOrdersHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        products = cls.env["product.product"].create(
            [
                {
                    "name": f"Catalogue item {i:04d}",
                    "default_code": f"CO-Q{i:04d}",
                    "type": "consu",
                    "is_storable": True,
                    "list_price": 1.0 + i,
                    "categ_id": cls.category.id,
                }
                for i in range(150)
            ]
        )
        cls.env["product.packaging"].create(
            [{"name": "Box of 12", "product_id": product.id, "qty": 12.0, "sales": True} for product in products[::3]]
        )
        stock = cls.warehouse.lot_stock_id
        for product in products[::2]:
            cls.env["stock.quant"]._update_available_quantity(product, stock, 50.0)
        # The last prices of a past confirmed order are in play too.
        cls.tier.write({"price_memory": True, "price_memory_days": 365})
        cls.env["sale.order"].create(
            {
                "partner_id": cls.dealer.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 12.0, "price_unit": 0.5})
                    for p in products[:40]
                ],
            }
        ).action_confirm()

    def _count(self, url):
        self.url_open(url)  # warm the caches (templates, assets, session)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before, response

    def test_queries_do_not_grow_with_page_size(self):
        self.company.channel_stock_display = "quantity"
        self.authenticate("co_dealer", "co_dealer")
        self.env["sale.order"]._channel_get_cart(self.dealer, create=True)._channel_set_quantities(
            {self.product_a: 6.0}
        )
        small, _response = self._count("/my/channel/order?ppg=5")
        large, response = self._count("/my/channel/order?ppg=50")
        self.assertEqual(response.text.count("o_channel_order_row"), 50)
        self.assertEqual(response.text.count("o_channel_price"), 50)
        self.assertEqual(response.text.count("o_channel_stock"), 50)
        self.assertIn("o_channel_last_price", response.text)
        self.assertLessEqual(large, small + 2, f"{small} queries for 5 rows, {large} for 50")
