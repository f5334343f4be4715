"""A dealer's portal session is an API: tampering attempts over HTTP and JSON-RPC, each refused with
nothing saved.

Every attempt logs in as a portal user of a dealer (or of a sub-distributor, a suspended dealer, a
warehouse clerk), sends what a forging client would send (``/web/dataset/call_kw`` or a portal route)
and checks both the refusal and that the database holds exactly what it held before.
"""

import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


class PortalSecurityCase(HttpCase):
    """Two dealers of one territory, each with a portal user, independent of demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.tier = cls.env["channel.tier"].create({"name": "Security Gold", "code": "SEC-GOLD"})
        cls.territory = cls.env["channel.territory"].create({"name": "Security Land", "code": "SEC-T"})
        common = {
            "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": cls.tier.id, "channel_territory_id": cls.territory.id,
        }
        cls.dealer_a = Partner.create(dict(common, name="Security Dealer A"))
        cls.dealer_b = Partner.create(dict(common, name="Security Dealer B"))
        cls.user_a = cls._channel_portal_user("sec_dealer_a", cls.dealer_a)
        cls.user_b = cls._channel_portal_user("sec_dealer_b", cls.dealer_b)

    @classmethod
    def _channel_portal_user(cls, login, company, **contact_vals):
        """A portal user (login = password) whose contact belongs to ``company``."""
        contact = cls.env["res.partner"].create(
            dict({"name": login, "parent_id": company.id, "email": f"{login}@example.com"}, **contact_vals)
        )
        return new_test_user(cls.env, login=login, password=login, groups="base.group_portal",
                             partner_id=contact.id)

    def _call_kw(self, model, method, args, kwargs=None):
        """Call a model method over JSON-RPC as the authenticated user; returns the JSON-RPC answer
        (``{"result": …}`` or ``{"error": …}``) without raising."""
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRpcRefused(self, answer, msg=None):
        self.assertIn("error", answer, msg or f"JSON-RPC call accepted: {answer.get('result')!r}")

    def _count(self, model, domain=None):
        """Rows of ``model`` in the database (flushed, as superuser)."""
        self.env.flush_all()
        return self.env[model].sudo().with_context(active_test=False).search_count(domain or [])


@tagged("post_install", "-at_install")
class TestPortalSecurityBase(PortalSecurityCase):
    def test_portal_cannot_write_own_channel_fields(self):
        """A dealer cannot promote itself: its company's channel fields are not writable over RPC."""
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        gold_b = self.env["channel.tier"].create({"name": "Security Platinum", "code": "SEC-PLAT"})
        answer = self._call_kw("res.partner", "write", [[self.dealer_a.id], {"channel_tier_id": gold_b.id}])
        self.assertRpcRefused(answer)
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.channel_tier_id, self.tier)


@tagged("post_install", "-at_install")
class TestPortalSecurityOrders(PortalSecurityCase):
    """Ordering, the approval chain, receipts and statements attacked as dealers' portal users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.env.company.write({
            "channel_sales_approval": True, "channel_finance_approval": True,
            "channel_receipt_confirmation": True,
        })
        cls.product = cls.env["product.product"].create({
            "name": "Security Tea", "default_code": "SEC-TEA", "type": "consu", "sale_ok": True,
            "list_price": 10.0, "taxes_id": [(5, 0, 0)], "invoice_policy": "order",
        })
        common = {"is_company": True, "channel_role": "dealer", "channel_tier_id": cls.tier.id,
                  "channel_territory_id": cls.territory.id}
        cls.dealer_suspended = Partner.create(dict(common, name="Security Dealer S", channel_state="suspended"))
        cls.dealer_terminated = Partner.create(dict(common, name="Security Dealer T", channel_state="terminated"))
        cls.user_suspended = cls._channel_portal_user("sec_dealer_s", cls.dealer_suspended)
        cls.user_terminated = cls._channel_portal_user("sec_dealer_t", cls.dealer_terminated)
        cls.user_clerk = cls._channel_portal_user("sec_clerk_a", cls.dealer_a, channel_job_role="warehouse")
        cls.user_sales = cls._channel_portal_user("sec_sales_a", cls.dealer_a, channel_job_role="sales")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _post(self, url, data=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self._csrf_token()
        with mute_logger("odoo.http"):
            return self.url_open(url, data=data)

    def _csrf_token(self):
        """The CSRF token of the current session, as a portal page gives it to the browser."""
        page = self.url_open("/my").text
        return page.split('csrf_token: "', 1)[1].split('"', 1)[0]

    def _orders(self, dealer):
        return self._count("sale.order", [("partner_id", "child_of", dealer.id)])

    def _dealer_order(self, dealer=None, submit=False):
        order = self.env["sale.order"].create({
            "partner_id": (dealer or self.dealer_a).id,
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 5})],
        })
        if submit:
            order.action_channel_submit()
        return order

    def _shipped_order(self, dealer=None):
        order = self._dealer_order(dealer, submit=True)
        order.action_channel_approve()
        order.action_channel_approve()
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(order.channel_state, "shipped")
        return order

    # ------------------------------------------------------------------
    # Quick order and cart
    # ------------------------------------------------------------------
    def test_quick_order_posted_price_partner_route_state(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before_a, before_b = self._orders(self.dealer_a), self._orders(self.dealer_b)
        qty = {f"qty_{self.product.id}": "3"}
        for forged in ({f"price_{self.product.id}": "0.01"}, {"price_unit": "0"}, {"partner_id": self.dealer_b.id},
                       {"channel_route_id": "1"}, {"channel_state": "confirmed"}, {"state": "sale"},
                       {"discount": "100"}, {"pricelist_id": "1"}):
            response = self._post("/my/channel/order/update", dict(qty, **forged))
            self.assertEqual(response.status_code, 403, forged)
        self.assertEqual(self._orders(self.dealer_a), before_a)
        self.assertEqual(self._orders(self.dealer_b), before_b)

    def test_cart_posted_state_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self._post("/my/channel/order/update", {f"qty_{self.product.id}": "3"})
        cart = self.env["sale.order"]._channel_get_cart(self.dealer_a)
        self.assertTrue(cart)
        for url in ("/my/channel/cart/update", "/my/channel/cart/submit"):
            for forged in ({"state": "sale"}, {"channel_state": "confirmed"}, {"amount_total": "1"},
                           {"partner_id": self.dealer_b.id}):
                response = self._post(url, dict(forged, order_id=cart.id))
                self.assertEqual(response.status_code, 403, (url, forged))
        cart.invalidate_recordset()
        self.assertEqual((cart.state, cart.channel_state, cart.partner_id), ("draft", "draft", self.dealer_a))
        self.assertTrue(cart.channel_cart)

    def test_quantities_out_of_range(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._orders(self.dealer_a)
        for value in ("-5", "1e12", "abc", "nan", "inf", "0"):
            response = self._post("/my/channel/order/update", {f"qty_{self.product.id}": value})
            self.assertEqual(response.status_code, 200, value)
            self.assertIn("o_channel_order_error", response.text, value)
        self.assertEqual(self._orders(self.dealer_a), before)

    def test_post_without_csrf_token(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._orders(self.dealer_a)
        response = self._post("/my/channel/order/update", {f"qty_{self.product.id}": "3"}, csrf=False)
        self.assertGreaterEqual(response.status_code, 400)
        order = self._dealer_order()
        response = self._post(f"/my/channel/orders/{order.id}/reorder", csrf=False)
        self.assertGreaterEqual(response.status_code, 400)
        self.assertEqual(self._orders(self.dealer_a), before + 1)

    def test_other_dealers_order_ids_on_every_route(self):
        other = self._shipped_order(self.dealer_b)
        other_draft = self._dealer_order(self.dealer_b)
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._orders(self.dealer_a)
        for order in (other, other_draft):
            self.assertEqual(self.url_open(f"/my/channel/orders/{order.id}").status_code, 404)
            self.assertEqual(self._post(f"/my/channel/orders/{order.id}/reorder").status_code, 404)
            self.assertEqual(self._post(f"/my/channel/orders/{order.id}/receipt", {"note": "x"}).status_code, 404)
            self.assertEqual(self._post("/my/channel/cart/submit", {"order_id": order.id}).status_code, 404)
        self.assertEqual(self._orders(self.dealer_a), before)
        self.assertEqual(other.channel_state, "shipped")
        self.assertEqual(other_draft.channel_state, "draft")

    def test_reorder_respects_maximum_quantity(self):
        order = self._dealer_order()
        order.order_line.product_uom_qty = 999999
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self._post(f"/my/channel/orders/{order.id}/reorder")
        self._post(f"/my/channel/orders/{order.id}/reorder")
        cart = self.env["sale.order"]._channel_get_cart(self.dealer_a)
        self.assertLessEqual(sum(cart.order_line.mapped("product_uom_qty")), 1000000)

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------
    def test_suspended_dealer_cannot_order(self):
        self.authenticate("sec_dealer_s", "sec_dealer_s")
        before = self._orders(self.dealer_suspended)
        response = self.url_open("/my/channel/order")
        self.assertEqual(response.status_code, 403)
        self.assertIn("suspended", response.text)
        response = self._post("/my/channel/order/update", {f"qty_{self.product.id}": "3"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._orders(self.dealer_suspended), before)
        # Read access is kept.
        self.assertEqual(self.url_open("/my/channel/orders").status_code, 200)
        self.assertEqual(self.url_open("/my/channel/statement").status_code, 200)

    def test_terminated_dealer_sees_no_ordering_page(self):
        self.authenticate("sec_dealer_t", "sec_dealer_t")
        for url in ("/my/channel/order", "/my/channel/cart", "/my/channel/orders", "/my/channel/statement"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertIn("Not allowed", response.text, url)
            self.assertNotIn("Traceback", response.text)
        self.assertNotIn("/my/channel/order", self.url_open("/my").text)

    def test_warehouse_clerk_cannot_submit(self):
        cart = self.env["sale.order"]._channel_get_cart(self.dealer_a, create=True)
        cart._channel_set_quantities({self.product: 3.0})
        self.authenticate("sec_clerk_a", "sec_clerk_a")
        response = self._post("/my/channel/cart/submit", {"order_id": cart.id})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Warehouse", response.text)
        cart.invalidate_recordset()
        self.assertEqual(cart.channel_state, "draft")
        self.assertFalse(cart.channel_submit_date)

    def test_sales_contact_cannot_confirm_receipt(self):
        order = self._shipped_order()
        self.authenticate("sec_sales_a", "sec_sales_a")
        response = self._post(f"/my/channel/orders/{order.id}/receipt", {"note": "all fine"})
        self.assertEqual(response.status_code, 403)
        order.invalidate_recordset()
        self.assertEqual(order.channel_state, "shipped")
        self.assertFalse(order.channel_receipt_date)
        # The warehouse clerk may.
        self.authenticate("sec_clerk_a", "sec_clerk_a")
        self._post(f"/my/channel/orders/{order.id}/receipt", {"note": "all fine"})
        order.invalidate_recordset()
        self.assertEqual(order.channel_state, "received")

    # ------------------------------------------------------------------
    # JSON-RPC on sale.order
    # ------------------------------------------------------------------
    def test_rpc_chain_methods_refused(self):
        draft = self._dealer_order()
        waiting = self._dealer_order(submit=True)
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        attempts = [
            ("action_confirm", [waiting.ids], {}),
            ("action_confirm", [draft.ids], {"context": {"channel_chain_confirm": True}}),
            ("action_channel_submit", [draft.ids], {}),
            ("action_channel_approve", [waiting.ids], {}),
            ("action_channel_override_credit", [waiting.ids, "we are friends"], {}),
            ("write", [waiting.ids, {"channel_state": "confirmed"}], {}),
            ("write", [draft.ids, {"state": "sale"}], {}),
        ]
        for method, args, kwargs in attempts:
            self.assertRpcRefused(self._call_kw("sale.order", method, args, kwargs), method)
        for order, state in ((draft, "draft"), (waiting, "to_sales")):
            order.invalidate_recordset()
            self.assertEqual(order.state, "draft")
            self.assertEqual(order.channel_state, state)
        self.assertFalse(draft.channel_submit_date)
        self.assertFalse(waiting.channel_sales_approver_id)

    def test_rpc_read_internal_notes_refused(self):
        order = self._dealer_order()
        order.sudo().write({"channel_credit_override_reason": "Boss's cousin", "channel_credit_override": True})
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        for fields_ in (["channel_credit_override_reason"], ["channel_credit_override_user_id"],
                        ["channel_anomaly_note"], ["channel_credit_limit"]):
            answer = self._call_kw("sale.order", "read", [order.ids, fields_])
            self.assertRpcRefused(answer, fields_)
        answer = self._call_kw("sale.order", "search_read", [[("id", "=", order.id)]], {"fields": []})
        self.assertNotIn("Boss's cousin", str(answer))

    def test_payment_route_cannot_confirm(self):
        order = self._dealer_order(submit=True)
        token = order.sudo()._portal_ensure_token()
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._count("payment.transaction")
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "access_token": token, "amount": order.amount_total, "flow": "direct",
            "tokenization_requested": False, "landing_route": "/my/orders",
            "provider_id": 1, "payment_method_id": 1, "token_id": None,
        }}
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/orders/{order.id}/transaction",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn("error", response.json())
        self.assertEqual(self._count("payment.transaction"), before)
        order.invalidate_recordset()
        self.assertEqual((order.state, order.channel_state), ("draft", "to_sales"))

    # ------------------------------------------------------------------
    # Statement
    # ------------------------------------------------------------------
    def test_statement_period_capped(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        response = self.url_open("/my/channel/statement?date_from=2000-01-01&date_to=2026-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertIn("at most 24 months", response.text)
        self.assertNotIn("o_channel_statement_line", response.text)
        for url in ("/my/channel/statement/pdf", "/my/channel/statement/xlsx"):
            response = self.url_open(f"{url}?date_from=2000-01-01&date_to=2026-01-01", allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
        response = self.url_open("/my/channel/statement?date_from=2025-02-01&date_to=2026-01-31")
        self.assertNotIn("at most 24 months", response.text)
