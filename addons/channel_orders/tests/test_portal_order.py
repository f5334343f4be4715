from odoo import Command, http
from odoo.tests import HttpCase, tagged

from .common import ChannelOrdersCommon


class ChannelOrdersHttpCommon(ChannelOrdersCommon, HttpCase):
    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data)

    def _cart(self, dealer=None):
        return self.env["sale.order"].search(
            [("channel_cart", "=", True), ("partner_id", "=", (dealer or self.dealer).id)]
        )


@tagged("post_install", "-at_install")
class TestPortalOrder(ChannelOrdersHttpCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("co_dealer", "co_dealer")

    def test_quick_order_page(self):
        response = self.url_open("/my/channel/order")
        self.assertEqual(response.status_code, 200)
        self.assertIn("CO-A", response.text)
        self.assertIn("CO-B", response.text)
        self.assertNotIn("CO-X", response.text, "outside the tier's assortment")
        self.assertIn("Case of 6", response.text)
        self.assertIn("In stock", response.text)
        response = self.url_open("/my/channel/order?search=Jasmine")
        self.assertIn("CO-B", response.text)
        self.assertNotIn("CO-A", response.text)
        response = self.url_open(f"/my/channel/order?category={self.category.id}")
        self.assertIn("CO-A", response.text)

    def test_stock_display_settings(self):
        self.company.channel_stock_display = "hidden"
        self.assertNotIn("o_channel_stock", self.url_open("/my/channel/order").text)
        self.company.channel_stock_display = "quantity"
        text = self.url_open("/my/channel/order").text
        self.assertIn("o_channel_stock", text)
        self.assertIn(">1000<", text)

    def test_add_to_cart_rounds_and_prices(self):
        response = self._post(
            "/my/channel/order/update", {f"qty_{self.product_a.id}": "5", f"qty_{self.product_b.id}": "2"}
        )
        self.assertEqual(response.status_code, 200)
        cart = self._cart()
        self.assertEqual(len(cart), 1)
        self.assertEqual(cart.partner_id, self.dealer)
        self.assertEqual(cart.channel_state, "draft")
        line_a = cart.order_line.filtered(lambda line: line.product_id == self.product_a)
        self.assertEqual(line_a.product_uom_qty, 6.0, "rounded up to the case of 6")
        self.assertEqual(line_a.price_unit, 10.0)
        self.assertIn("rounded", response.text)
        # Updating again sets the quantities of the same single cart.
        self._post("/my/channel/order/update", {f"qty_{self.product_a.id}": "12"})
        self.assertEqual(self._cart(), cart)
        self.assertEqual(line_a.product_uom_qty, 12.0)
        self.assertEqual(len(cart.order_line), 2)

    def test_wrong_quantities_save_nothing(self):
        for value in ("-1", "abc", "0", "1e9", "nan"):
            response = self._post(
                "/my/channel/order/update", {f"qty_{self.product_a.id}": value, f"qty_{self.product_b.id}": "3"}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_channel_order_error", response.text, value)
            self.assertFalse(self._cart(), value)

    def test_tampering_price(self):
        response = self._post(
            "/my/channel/order/update", {f"qty_{self.product_a.id}": "6", f"price_{self.product_a.id}": "0.01"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._cart())
        response = self._post("/my/channel/order/update", {f"qty_{self.product_a.id}": "6", "price_unit": "0.01"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._cart())

    def test_tampering_partner(self):
        response = self._post(
            "/my/channel/order/update", {f"qty_{self.product_a.id}": "6", "partner_id": str(self.other_dealer.id)}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._cart())
        self.assertFalse(self._cart(self.other_dealer))

    def test_tampering_product_outside_assortment(self):
        response = self._post(
            "/my/channel/order/update", {f"qty_{self.product_out.id}": "1", f"qty_{self.product_a.id}": "6"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._cart())
        response = self._post("/my/channel/order/update", {"qty_999999999": "1"})
        self.assertEqual(response.status_code, 403)

    def test_tampering_other_dealers_order(self):
        other_order = self._order(partner=self.other_dealer)
        other_order.action_channel_submit()
        self.assertEqual(self.url_open(f"/my/channel/orders/{other_order.id}").status_code, 404)
        self.assertEqual(self._post(f"/my/channel/orders/{other_order.id}/reorder").status_code, 404)
        self.assertEqual(self._post(f"/my/channel/orders/{other_order.id}/receipt", {"note": "x"}).status_code, 404)
        self.assertFalse(self._cart())
        # Another dealer's cart id sent with an update or a submission.
        other_cart = self.env["sale.order"]._channel_get_cart(self.other_dealer, create=True)
        other_cart._channel_set_quantities({self.product_b: 1.0})
        response = self._post(
            "/my/channel/order/update", {f"qty_{self.product_a.id}": "6", "order_id": str(other_cart.id)}
        )
        self.assertEqual(response.status_code, 404)
        self._post("/my/channel/order/update", {f"qty_{self.product_a.id}": "6"})
        response = self._post("/my/channel/cart/submit", {"order_id": str(other_cart.id)})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(other_cart.channel_state, "draft")
        self.assertEqual(other_cart.order_line.product_id, self.product_b)
        self.assertEqual(self._cart().channel_state, "draft")
        # A standard sale order id of a non-channel customer is not reachable either.
        foreign = self._order(partner=self.customer)
        self.assertEqual(self.url_open(f"/my/channel/orders/{foreign.id}").status_code, 404)

    def test_cart_review_and_submit(self):
        self._post("/my/channel/order/update", {f"qty_{self.product_a.id}": "6", f"qty_{self.product_b.id}": "2"})
        cart = self._cart()
        # A price was changed in the database behind the dealer's back: submission reprices.
        cart.order_line.filtered(lambda line: line.product_id == self.product_b).price_unit = 1.0
        response = self.url_open("/my/channel/cart")
        self.assertEqual(response.status_code, 200)
        self.assertIn("CO-A", response.text)
        self._post("/my/channel/cart/update", {"remove": str(self.product_a.id)})
        self.assertEqual(cart.order_line.product_id, self.product_b)
        self.assertEqual(
            self._post("/my/channel/cart/update", {f"qty_{self.product_a.id}": "6"}).status_code,
            403,
            "only cart lines can be changed in the cart",
        )
        self._post("/my/channel/cart/update", {f"qty_{self.product_b.id}": "-3"})
        self.assertEqual(cart.order_line.product_uom_qty, 2.0)
        response = self._post("/my/channel/cart/submit", {"order_type": "urgent", "client_order_ref": "PO-77"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(cart.channel_state, "to_sales")
        self.assertFalse(cart.channel_cart)
        self.assertEqual(cart.channel_order_type, "urgent")
        self.assertEqual(cart.client_order_ref, "PO-77")
        self.assertEqual(cart.order_line.price_unit, 20.0)
        self.assertIn("o_channel_submitted", response.text)
        # The next order starts a new cart.
        self._post("/my/channel/order/update", {f"qty_{self.product_b.id}": "1"})
        self.assertNotEqual(self._cart(), cart)

    def test_submit_bad_order_type(self):
        self._post("/my/channel/order/update", {f"qty_{self.product_b.id}": "1"})
        response = self._post("/my/channel/cart/submit", {"order_type": "free"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._cart().channel_state, "draft")

    def test_order_again_and_receipt(self):
        self.company.write({"channel_sales_approval": False, "channel_finance_approval": False})
        order = self._order(lines=[(self.product_a, 12.0), (self.product_out, 1.0)])
        order.action_channel_submit()
        response = self.url_open("/my/channel/orders")
        self.assertIn(order.name, response.text)
        response = self._post(f"/my/channel/orders/{order.id}/reorder")
        self.assertEqual(response.status_code, 200)
        cart = self._cart()
        self.assertEqual(cart.order_line.product_id, self.product_a, "products outside the assortment are skipped")
        self.assertEqual(cart.order_line.product_uom_qty, 12.0)
        # Receipt only once shipped.
        self._post(f"/my/channel/orders/{order.id}/receipt", {"note": "early"})
        self.assertEqual(order.channel_state, "confirmed")
        self._ship(order)
        self.assertEqual(order.channel_state, "shipped")
        page = self.url_open(f"/my/channel/orders/{order.id}")
        self.assertIn("o_channel_receipt_form", page.text)
        self._post(f"/my/channel/orders/{order.id}/receipt", {"note": "One case damaged"})
        self.assertEqual(order.channel_state, "received")
        self.assertEqual(order.channel_receipt_note, "One case damaged")

    def test_orders_xlsx(self):
        order = self._order()
        order.action_channel_submit()
        response = self.url_open("/my/channel/orders.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_statement_pages(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.dealer.id,
                "invoice_date": "2026-02-05",
                "invoice_line_ids": [
                    Command.create({"name": "Tea", "quantity": 1, "price_unit": 123.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        response = self.url_open("/my/channel/statement?date_from=2026-02-01&date_to=2026-02-28")
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        response = self.url_open("/my/channel/statement/xlsx?date_from=2026-02-01&date_to=2026-02-28")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        response = self.url_open("/my/channel/statement/pdf?date_from=2026-02-01&date_to=2026-02-28")
        self.assertEqual(response.status_code, 200)
        response = self.url_open(f"/my/channel/statement?partner_id={self.other_dealer.id}")
        self.assertEqual(response.status_code, 403)
        response = self.url_open("/my/channel/statement?date_from=2026-03-01&date_to=2026-02-01")
        self.assertIn("o_channel_order_error", response.text)

    def test_portal_home_entries(self):
        response = self.url_open("/my")
        self.assertIn("/my/channel/order", response.text)
        self.assertIn("/my/channel/statement", response.text)


@tagged("post_install", "-at_install")
class TestPortalAccess(ChannelOrdersHttpCommon):
    def test_non_dealer_portal_user(self):
        customer_contact = self.env["res.partner"].create({"name": "Shopper", "parent_id": self.customer.id})
        self._new_portal_user("co_shopper", customer_contact)
        self.authenticate("co_shopper", "co_shopper")
        self.assertEqual(self.url_open("/my/channel/order").status_code, 403)
        self.assertEqual(self.url_open("/my/channel/statement").status_code, 403)
        self.assertEqual(self._post("/my/channel/order/update", {f"qty_{self.product_a.id}": "6"}).status_code, 403)
        self.assertNotIn("/my/channel/order", self.url_open("/my").text)

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open("/my/channel/order", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))


@tagged("post_install", "-at_install")
class TestBackendDownloads(ChannelOrdersHttpCommon):
    def test_staff_xlsx_downloads(self):
        self._make_user("co_accountant", ["account.group_account_invoice", "sales_team.group_sale_salesman_all_leads"])
        order = self._order()
        self.authenticate("co_accountant", "co_accountant")
        response = self.url_open(f"/channel_orders/orders.xlsx?ids={order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        response = self.url_open(
            f"/channel_orders/statement/{self.dealer.id}.xlsx?date_from=2026-01-01&date_to=2026-12-31"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_portal_user_cannot_use_staff_downloads(self):
        order = self._order()
        self.authenticate("co_dealer", "co_dealer")
        self.assertEqual(self.url_open(f"/channel_orders/orders.xlsx?ids={order.id}").status_code, 403)
        self.assertEqual(self.url_open(f"/channel_orders/statement/{self.dealer.id}.xlsx").status_code, 403)
