from odoo import Command, http
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


@tagged("post_install", "-at_install")
class TestCartQueries(ChannelOrdersHttpCommon):
    """The two requests a dealer makes for every order, the cart save and the submission: their query
    counts do not grow with the number of lines, and the lines get what they got before (channel
    price, remembered line, analytic distribution)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalogue = cls.env["product.product"].create(
            [
                {
                    "name": f"Cart item {i:02d}",
                    "default_code": f"CO-C{i:02d}",
                    "type": "consu",
                    "list_price": 2.0 + i,
                    "categ_id": cls.category.id,
                    "taxes_id": [Command.clear()],
                }
                for i in range(24)
            ]
        )
        # Every other product has a last price to take (tier with a price memory).
        cls.tier.write({"price_memory": True, "price_memory_days": 365})
        cls.past_order = cls._sale(cls.dealer, [(product, 4.0) for product in cls.catalogue[::2]])
        cls.past_order.order_line.write({"price_unit": 1.5})

    def _post_only(self, url, data=None):
        """POST without following the redirect: (queries of the request, response)."""
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        before = self.cr.sql_log_count
        response = self.url_open(url, data=data, allow_redirects=False)
        return self.cr.sql_log_count - before, response

    def _save_and_submit(self, products):
        """Save ``products`` in a new cart (4 of each) and submit it, as the portal forms do:
        (queries of the save, queries of the submission, the order)."""
        saved, response = self._post_only("/my/channel/order/update", {f"qty_{p.id}": "4" for p in products})
        self.assertEqual(response.status_code, 303)
        order = self._cart()
        self.assertEqual(order.order_line.product_id, products)
        submitted, response = self._post_only("/my/channel/cart/submit")
        self.assertIn(f"/my/channel/orders/{order.id}?submitted=1", response.headers.get("Location", ""))
        self.assertEqual(order.channel_state, "to_sales")
        return saved, submitted, order

    def test_queries_do_not_grow_with_lines(self):
        self.authenticate("co_dealer", "co_dealer")
        self._save_and_submit(self.catalogue[:2])  # warm the caches (routes, templates, session)
        small_save, small_submit, _small = self._save_and_submit(self.catalogue[2:4])
        large_save, large_submit, large = self._save_and_submit(self.catalogue[4:16])
        self.assertLessEqual(
            large_save, small_save, f"cart save: {small_save} queries for 2 lines, {large_save} for 12"
        )
        self.assertLessEqual(
            large_submit, small_submit, f"submission: {small_submit} queries for 2 lines, {large_submit} for 12"
        )
        remembered = self.past_order.order_line
        for line in large.order_line:
            memory = remembered.filtered(lambda past, line=line: past.product_id == line.product_id)
            self.assertEqual(line.channel_memory_line_id, memory)
            expected = (1.5, "memory") if memory else (line.product_id.list_price, "pricelist")
            self.assertEqual((line.price_unit, line.channel_price_origin), expected)
            self.assertFalse(line.analytic_distribution)

    def test_analytic_distribution_models_still_apply(self):
        plan = self.env["account.analytic.plan"].create({"name": "Channel test plan"})
        account = self.env["account.analytic.account"].create({"name": "Tea shops", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create(
            {"product_id": self.catalogue[1].id, "analytic_distribution": {str(account.id): 100}}
        )
        self.authenticate("co_dealer", "co_dealer")
        _saved, _submitted, order = self._save_and_submit(self.catalogue[:2])
        line_with, line_without = order.order_line.sorted(lambda line: line.product_id.default_code)[::-1]
        self.assertEqual(line_with.product_id, self.catalogue[1])
        self.assertEqual(line_with.analytic_distribution, {str(account.id): 100})
        self.assertFalse(line_without.analytic_distribution)

    def test_dealer_notice_is_queued(self):
        """The email of the submission notice is not sent during the request: it is queued and the mail
        queue is triggered to send it right after."""
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        self.authenticate("co_dealer", "co_dealer")
        _saved, _submitted, order = self._save_and_submit(self.catalogue[:2])
        notice = order.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertEqual(len(notice), 1)
        self.assertIn("waits for sales approval", notice.body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertEqual(mail.recipient_ids, self.dealer)
        self.assertEqual(mail.state, "outgoing")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
