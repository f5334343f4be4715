"""A dealer's portal session is an API: tampering attempts over HTTP and JSON-RPC, each refused with
nothing saved.

Every attempt logs in as a portal user of a dealer (or of a sub-distributor, a suspended dealer, a
warehouse clerk), sends what a forging client would send (``/web/dataset/call_kw`` or a portal route)
and checks both the refusal and that the database holds exactly what it held before.
"""

import io
import json
import re
from datetime import date

from PIL import Image

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.channel_orders.tests.common import validate_pickings


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
        validate_pickings(order.picking_ids)
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


@tagged("post_install", "-at_install")
class TestPortalSecurityRebate(PortalSecurityCase):
    """Rebates and display claims: forged claims, other dealers' claims and photos, uploads, drafts,
    out-of-scope policies, superuser methods and the cart's rebate and promotion lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        cls.today = today
        Policy = cls.env["rebate.policy"]
        common = {
            "date_start": date(today.year, 1, 1), "date_end": date(today.year, 12, 31), "period": "quarter",
            "computation": "flat", "rate": 2.0,
        }
        cls.policy = Policy.create(dict(
            common, name="Security display rewards", display_reward=True, display_amount=300,
            settle_as="next_order", partner_ids=[Command.set((cls.dealer_a | cls.dealer_b).ids)],
        ))
        cls.policy_b_only = Policy.create(dict(
            common, name="Security policy of B only", partner_ids=[Command.set(cls.dealer_b.ids)],
        ))
        (cls.policy | cls.policy_b_only).action_activate()
        cls.png = cls._image_bytes()
        cls.claim_b = cls.env["rebate.display.claim"].create({
            "partner_id": cls.dealer_b.id, "policy_id": cls.policy.id, "date": today,
        })
        cls.photo_b = cls.env["ir.attachment"].create({
            "name": "shelf-b.png", "raw": cls.png, "mimetype": "image/png",
            "res_model": "rebate.display.claim", "res_id": cls.claim_b.id,
        })
        cls.claim_b.photo_ids = [Command.set(cls.photo_b.ids)]
        cls.claim_a = cls.env["rebate.display.claim"].create({
            "partner_id": cls.dealer_a.id, "policy_id": cls.policy.id, "date": today,
        })
        product = cls.env["product.product"].create({"name": "Security Tea", "list_price": 50.0, "type": "consu"})
        cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.dealer_a.id, "invoice_date": today,
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 100, "price_unit": 50.0,
                                                 "tax_ids": [Command.clear()]})],
        }).action_post()
        cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.dealer_b.id, "invoice_date": today,
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 10, "price_unit": 50.0,
                                                 "tax_ids": [Command.clear()]})],
        }).action_post()
        cls.draft = cls.policy._generate_settlements(today).filtered(lambda s: s.partner_id == cls.dealer_a)
        # The dealer's cart holds a rebate line and a promotion (free gift) line.
        cls.gift = cls.env["product.product"].create({"name": "Security Gift", "list_price": 5.0, "type": "consu"})
        program = cls.env["loyalty.program"].create({
            "name": "Security 8+1", "program_type": "promotion", "trigger": "auto", "applies_on": "current",
            "rule_ids": [Command.create({"product_ids": [Command.set(product.ids)], "minimum_qty": 8})],
            "reward_ids": [Command.create({"reward_type": "product", "reward_product_id": cls.gift.id,
                                           "reward_product_qty": 1})],
        })
        cls.cart = cls.env["sale.order"].create({
            "partner_id": cls.dealer_a.id, "channel_cart": True,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 8})],
        })
        cls.env["sale.order.line"].create({
            "order_id": cls.cart.id, "product_id": cls.gift.id, "product_uom_qty": 1, "price_unit": 0.0,
            "reward_id": program.reward_ids.id, "name": "Free gift",
        })
        cls.draft.action_confirm()
        cls.draft.action_settle()  # placed on the cart as a rebate line
        cls.draft = cls.policy._generate_settlements(today).filtered(lambda s: s.partner_id == cls.dealer_b)
        cls.env.flush_all()

    @staticmethod
    def _image_bytes(size=(4, 4)):
        buffer = io.BytesIO()
        Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
        return buffer.getvalue()

    def _claim_fields(self, claim):
        claim.invalidate_recordset()
        return claim.read(["state", "amount", "reviewer_id", "settlement_id", "partner_id", "note"])[0]

    def _post_claim(self, files, csrf=True, **data):
        values = dict({"policy_id": self.policy.id, "date": fields.Date.to_string(self.today)}, **data)
        if csrf:
            values["csrf_token"] = http.Request.csrf_token(self)
        with mute_logger("odoo.http"):
            return self.url_open("/my/channel/rebates/claim/submit", data=values, files=files)

    # -- forged claims over JSON-RPC ----------------------------------------
    def test_rpc_create_forged_claim(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._count("rebate.display.claim")
        for forged in (
            {"state": "approved", "amount": 999999},
            {"reviewer_id": self.env.ref("base.user_admin").id},
            {"settlement_id": self.draft.id},
            {"partner_id": self.dealer_b.id},
            {},
        ):
            answer = self._call_kw("rebate.display.claim", "create", [dict(
                {"partner_id": self.dealer_a.id, "policy_id": self.policy.id,
                 "date": fields.Date.to_string(self.today)}, **forged,
            )])
            self.assertRpcRefused(answer, f"forged claim {forged} accepted")
        self.assertEqual(self._count("rebate.display.claim"), before)

    def test_rpc_write_own_claim(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._claim_fields(self.claim_a)
        for forged in (
            {"state": "approved"}, {"amount": 999999}, {"reviewer_id": self.user_a.id},
            {"settlement_id": self.draft.id}, {"partner_id": self.dealer_b.id}, {"note": "edited"},
        ):
            self.assertRpcRefused(self._call_kw("rebate.display.claim", "write", [[self.claim_a.id], forged]))
        self.assertRpcRefused(self._call_kw("rebate.display.claim", "action_approve", [[self.claim_a.id]]))
        self.assertEqual(self._claim_fields(self.claim_a), before)

    # -- other dealers' claims and photos -----------------------------------
    def test_other_dealer_claim_on_routes_and_rpc(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        page = self.url_open(f"/my/channel/rebates/claim/{self.claim_b.id}")
        self.assertNotIn(self.claim_b.name, page.text)
        self.assertNotIn("shelf-b.png", page.text)
        self.assertRpcRefused(self._call_kw("rebate.display.claim", "read", [[self.claim_b.id], ["amount"]]))
        before = self._claim_fields(self.claim_b)
        self.assertRpcRefused(self._call_kw("rebate.display.claim", "write", [[self.claim_b.id], {"note": "x"}]))
        self.assertEqual(self._claim_fields(self.claim_b), before)

    def test_other_dealer_photo(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("ir.attachment", "read", [[self.photo_b.id], ["datas"]]))
        with mute_logger("odoo.http"):
            for url in (f"/web/content/{self.photo_b.id}", f"/web/image/{self.photo_b.id}",
                        f"/web/content/{self.photo_b.id}?access_token=forged"):
                response = self.url_open(url)
                self.assertNotEqual(response.content, self.png, url)
        # Its owner sees it, with the access token the portal page uses.
        token = self.photo_b.generate_access_token()[0]
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        page = self.url_open(f"/my/channel/rebates/claim/{self.claim_b.id}")
        self.assertIn(f"/web/image/{self.photo_b.id}?access_token={token}", page.text)
        self.assertEqual(self.url_open(f"/web/content/{self.photo_b.id}?access_token={token}").content, self.png)

    # -- claim form ---------------------------------------------------------
    def test_claim_post_without_csrf(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._count("rebate.display.claim"), self._count("ir.attachment")
        response = self._post_claim({"photos": ("shelf.png", self.png, "image/png")}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual((self._count("rebate.display.claim"), self._count("ir.attachment")), before)

    def test_claim_uploads_refused(self):
        self.env["ir.config_parameter"].set_param("rebate_policy.claim_max_photos", 2)
        self.env["ir.config_parameter"].set_param("rebate_policy.claim_max_photo_mb", 1)
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        big = self._image_bytes() + b"\0" * (1024 * 1024)
        before = self._count("rebate.display.claim"), self._count("ir.attachment")
        attempts = {
            "not an image": [("photos", ("shelf.png", b"<script>alert(1)</script>", "image/png"))],
            "truncated image": [("photos", ("shelf.png", self.png[:40], "image/png"))],
            "too big": [("photos", ("shelf.png", big, "image/png"))],
            "too many": [("photos", (f"shelf{i}.png", self.png, "image/png")) for i in range(3)],
        }
        for label, files in attempts.items():
            response = self._post_claim(files)
            self.assertEqual(response.status_code, 200, label)
            self.assertIn("alert-danger", response.text, label)
        self.assertEqual((self._count("rebate.display.claim"), self._count("ir.attachment")), before)

    def test_claim_form_ignores_forged_fields(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._count("rebate.display.claim")
        self._post_claim(
            [("photos", ("shelf.png", self.png, "text/plain"))],
            state="approved", amount="999999", partner_id=str(self.dealer_b.id), reviewer_id="2",
        )
        self.assertEqual(self._count("rebate.display.claim"), before + 1)
        claim = self.env["rebate.display.claim"].search([], order="id desc", limit=1)
        self.assertEqual(claim.partner_id, self.dealer_a)
        self.assertEqual(claim.state, "submitted")
        self.assertAlmostEqual(claim.amount, 300)
        self.assertFalse(claim.reviewer_id)
        self.assertEqual(claim.photo_ids.mimetype, "image/png", "the type decoded, not the type sent")
        self.assertTrue(claim.photo_ids.access_token)

    def test_claims_per_period_limit(self):
        self.env["ir.config_parameter"].set_param("rebate_policy.claim_max_per_period", 1)
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._count("rebate.display.claim"), self._count("ir.attachment")
        response = self._post_claim([("photos", ("shelf.png", self.png, "image/png"))])
        self.assertIn("no more claims are accepted", response.text)
        self.assertEqual((self._count("rebate.display.claim"), self._count("ir.attachment")), before)

    def test_suspended_dealer_cannot_claim(self):
        self.dealer_a.channel_state = "suspended"
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._count("rebate.display.claim")
        response = self._post_claim([("photos", ("shelf.png", self.png, "image/png"))])
        self.assertIn("is suspended", response.text)
        self.assertEqual(self._count("rebate.display.claim"), before)

    # -- reads --------------------------------------------------------------
    def test_rpc_read_draft_settlement_and_foreign_policy(self):
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        self.assertEqual(self.draft.state, "draft")
        self.assertRpcRefused(self._call_kw("rebate.settlement", "read", [[self.draft.id], ["net_amount"]]))
        found = self._call_kw("rebate.settlement", "search_read", [[("state", "=", "draft")], ["id"]])
        self.assertEqual(found.get("result"), [])
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("rebate.policy", "read", [[self.policy_b_only.id], ["name"]]))
        names = self._call_kw("rebate.policy", "search_read", [[], ["name"]])["result"]
        self.assertNotIn("Security policy of B only", [row["name"] for row in names])

    # -- superuser methods --------------------------------------------------
    def test_rpc_superuser_methods(self):
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        before = (self._count("rebate.settlement"), self._count("account.move"), self._count("sale.order.line"))
        self.draft.invalidate_recordset()
        net = self.draft.net_amount
        for model, method, ids in (
            ("rebate.policy", "action_generate_current", self.policy.ids),
            ("rebate.settlement", "action_refresh", self.draft.ids),
            ("rebate.settlement", "action_settle", self.draft.ids),
            ("rebate.settlement", "action_confirm", self.draft.ids),
            ("rebate.display.claim", "action_approve", self.claim_b.ids),
        ):
            answer = self._call_kw(model, method, [ids])
            self.assertRpcRefused(answer, f"{model}.{method}")
        self.assertEqual(
            (self._count("rebate.settlement"), self._count("account.move"), self._count("sale.order.line")), before
        )
        self.draft.invalidate_recordset()
        self.assertEqual(self.draft.state, "draft")
        self.assertAlmostEqual(self.draft.net_amount, net)
        self.assertEqual(self.claim_b.state, "submitted")

    # -- the cart's rebate and promotion lines ------------------------------
    def test_remove_rebate_or_promotion_line_from_cart(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        lines = self.cart.order_line
        self.assertTrue(lines.filtered("reward_id"))
        self.assertTrue(lines.filtered("rebate_settlement_id"))
        for product in (self.gift, lines.filtered("rebate_settlement_id").product_id):
            with mute_logger("odoo.http"):
                response = self.url_open("/my/channel/cart/update", data={
                    "order_id": self.cart.id, "remove": product.id, "csrf_token": http.Request.csrf_token(self),
                })
            self.assertEqual(response.status_code, 403, product.name)
        self.cart.invalidate_recordset()
        self.assertEqual(self.cart.order_line, lines)


@tagged("post_install", "-at_install")
class TestPortalSecurityJointMarketing(PortalSecurityCase):
    """Agreements are signed by each party for itself only; agreements and targets are read-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A 4 x 2 white PNG, as the portal signature widget sends it (base64).
        cls.signature = (
            "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEklEQVR4nGP8//8/"
            "AwwwMSABAEgGAwG0Rz8LAAAAAElFTkSuQmCC"
        )
        cls.distributor = cls.env["res.partner"].create({
            "name": "Security Distributor A1", "is_company": True, "channel_role": "distributor",
            "channel_state": "active", "channel_parent_id": cls.dealer_a.id,
            "channel_territory_id": cls.territory.id,
        })
        cls.user_distributor = cls._channel_portal_user("sec_distributor_a1", cls.distributor)
        cls.agreement = cls.env["channel.agreement"].create({
            "dealer_id": cls.dealer_a.id, "distributor_id": cls.distributor.id,
            "territory_id": cls.territory.id, "date_start": "2026-01-01", "date_end": "2026-12-31",
        })
        cls.agreement.action_send()
        cls.target = cls.env["channel.target"].create({
            "territory_id": cls.territory.id, "year": 2026, "target_amount": 1000.0, "target_qty": 10.0,
        })
        cls.dealer_target = cls.target._decompose_partners("equal").filtered(lambda n: n.partner_id == cls.dealer_a)

    def _sign(self, agreement, **params):
        params = dict({"name": "Forger", "signature": self.signature}, **params)
        with mute_logger("odoo.http"):
            return self.make_jsonrpc_request(f"/my/channel/agreements/{agreement.id}/sign", params)

    def _signatures(self):
        self.agreement.invalidate_recordset()
        return [bool(self.agreement[f"{party}_signed_on"]) for party in ("manufacturer", "dealer", "distributor")]

    def test_other_dealer_cannot_sign(self):
        """Dealer B signs dealer A's agreement over the JSON route: refused, nothing saved."""
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        self.assertIn("error", self._sign(self.agreement))
        self.assertEqual(self._signatures(), [False, False, False])

    def test_distributor_cannot_sign_as_dealer_or_manufacturer(self):
        """Whatever the request says, a distributor's signature lands in the distributor's fields only."""
        self.authenticate("sec_distributor_a1", "sec_distributor_a1")
        self._sign(self.agreement, party="dealer", manufacturer_signature=self.signature, state="signed")
        self.assertEqual(self._signatures(), [False, False, True])
        self.assertEqual(self.agreement.state, "sent")

    def test_rpc_write_and_create_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.agreement")
        self.assertRpcRefused(self._call_kw("channel.agreement", "write", [
            self.agreement.ids, {"state": "signed", "dealer_signed_by": "Forger"},
        ]))
        self.assertRpcRefused(self._call_kw("channel.agreement", "create", [{
            "dealer_id": self.dealer_a.id, "territory_id": self.territory.id,
            "date_start": "2027-01-01", "date_end": "2027-12-31", "state": "active",
        }]))
        self.assertEqual(self._count("channel.agreement"), count)
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.state, "sent")
        self.assertFalse(self.agreement.dealer_signed_by)

    def test_rpc_private_sign_and_state_actions_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("channel.agreement", "_sign", [
            self.agreement.ids, "manufacturer", "Forger", self.signature,
        ]))
        self.assertRpcRefused(self._call_kw("channel.agreement", "action_terminate", [self.agreement.ids]))
        self.assertRpcRefused(self._call_kw("channel.agreement", "_cron_update_states", []))
        self.assertEqual(self._signatures(), [False, False, False])

    def test_rpc_target_changes_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.target")
        self.assertRpcRefused(self._call_kw("channel.target", "write", [
            self.dealer_target.ids, {"target_qty": 1.0, "achieved_qty": 999.0},
        ]))
        self.assertRpcRefused(self._call_kw("channel.target", "_decompose_months", [self.dealer_target.ids, "equal"]))
        self.assertRpcRefused(self._call_kw("channel.target", "action_refresh_progress", [self.dealer_target.ids]))
        self.assertEqual(self._count("channel.target"), count)
        self.dealer_target.invalidate_recordset()
        self.assertEqual(self.dealer_target.target_qty, 5.0)

    def test_other_dealer_reads_nothing(self):
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        answer = self._call_kw("channel.agreement", "read", [self.agreement.ids, ["name"]])
        self.assertRpcRefused(answer)
        answer = self._call_kw("channel.target", "search_read", [[], ["partner_id"]])
        self.assertEqual([row["id"] for row in answer["result"]], [
            node.id for node in self.target.child_ids if node.partner_id == self.dealer_b
        ])


@tagged("post_install", "-at_install")
class TestPortalSecurityTraining(PortalSecurityCase):
    """Dealer university: state changes by POST with a CSRF token only, superuser recomputations and the
    trainer's notes out of a portal session's reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_user = cls._channel_portal_user("sec_train_owner", cls.dealer_a, channel_job_role="owner")
        cls.owner = cls.owner_user.partner_id
        cls.survey = cls.env["survey.survey"].create({
            "title": "Security certification", "access_mode": "public", "users_login_required": True,
            "scoring_type": "scoring_with_answers", "certification": True, "scoring_success_min": 50.0,
        })
        cls.env["survey.question"].create({
            "title": "Security question", "question_type": "simple_choice", "survey_id": cls.survey.id,
            "suggested_answer_ids": [
                Command.create({"value": "Right", "is_correct": True, "answer_score": 1.0}),
                Command.create({"value": "Wrong", "answer_score": 0.0}),
            ],
        })
        cls.requirement = cls.env["dealer.training.requirement"].create({
            "name": "Security owners", "job_role": "owner", "tier_ids": [Command.link(cls.tier.id)],
            "survey_ids": [Command.link(cls.survey.id)],
        })
        cls.materials = cls.env["slide.channel"].create({
            "name": "Security materials", "channel_type": "documentation", "dealer_material": True,
            "visibility": "connected", "is_published": True,
        })
        cls.article = cls.env["slide.slide"].create({
            "name": "Security article", "channel_id": cls.materials.id, "slide_category": "article",
            "html_content": "<p>Shelf rules</p>", "is_published": True,
        })
        cls.log = cls.env["dealer.training.log"].create({
            "topic": "Security field training", "dealer_id": cls.dealer_a.id,
            "attendee_ids": [Command.link(cls.owner.id)], "notes": "<p>Owner resists the new price list</p>",
        })

    def _answers(self):
        domain = [("survey_id", "=", self.survey.id), ("partner_id", "=", self.owner.id)]
        return self._count("survey.user_input", domain)

    def _members(self):
        domain = [("channel_id", "=", self.materials.id), ("partner_id", "=", self.owner.id)]
        return self._count("slide.channel.partner", domain)

    def test_training_state_changes_refuse_get(self):
        """GET on the certification start and on a material download changes nothing."""
        self.authenticate("sec_train_owner", "sec_train_owner")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/channel/training/certification/{self.survey.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(self._answers(), 0, "no attempt started by a GET")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/channel/materials/{self.article.id}/download", allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self.article.invalidate_recordset()
        self.assertEqual(self.article.download_count, 0, "no download counted by a GET")
        self.assertEqual(self._members(), 0, "no enrolment by a GET")
        # the training page offers them as forms with a CSRF token
        page = self.url_open("/my/channel/training")
        self.assertEqual(page.status_code, 200)
        form = re.search(
            rf'<form method="post"[^>]*action="/my/channel/training/certification/{self.survey.id}">\s*'
            r'<input type="hidden" name="csrf_token"',
            page.text,
        )
        self.assertTrue(form, "the certification starts from a POST form with a CSRF token")

    def test_training_posts_without_csrf_refused(self):
        """A forged POST (no CSRF token) starts nothing, counts nothing and enrols no one."""
        self.authenticate("sec_train_owner", "sec_train_owner")
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/channel/training/certification/{self.survey.id}", data={"forged": "1"}, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._answers(), 0)
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/channel/materials/{self.article.id}/download", data={"forged": "1"}, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.article.invalidate_recordset()
        self.assertEqual(self.article.download_count, 0)
        self.assertEqual(self._members(), 0)
        # with the token, the same POST is served (the control)
        response = self.url_open(
            f"/my/channel/training/certification/{self.survey.id}",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn("/survey/start/", response.headers.get("Location", ""))
        self.assertEqual(self._answers(), 1)

    def test_training_superuser_recomputations_refused(self):
        """action_apply and action_refresh recompute as superuser: a portal session gets AccessError."""
        Status = self.env["dealer.training.status"]
        own = Status.search([("partner_id", "=", self.owner.id), ("requirement_id", "=", self.requirement.id)])
        self.assertEqual(len(own), 1)
        own.unlink()
        self.authenticate("sec_train_owner", "sec_train_owner")
        answer = self._call_kw("dealer.training.requirement", "action_apply", [[self.requirement.id]])
        self.assertRpcRefused(answer)
        self.assertIn("AccessError", answer["error"]["data"]["name"])
        self.assertEqual(self._count("dealer.training.status", [("requirement_id", "=", self.requirement.id),
                                                                ("partner_id", "=", self.owner.id)]), 0)
        status = Status.search([("requirement_id", "=", self.requirement.id)], limit=1)
        if status:
            status.write({"done_date": False})
            before = (status.state, status.write_date)
            answer = self._call_kw("dealer.training.status", "action_refresh", [[status.id]])
            self.assertRpcRefused(answer)
            answer = self._call_kw("dealer.training.status", "action_mark_done", [[status.id]])
            self.assertRpcRefused(answer)
            status.invalidate_recordset()
            self.assertEqual((status.state, status.write_date), before)
            self.assertFalse(status.done_date)

    def test_training_log_notes_not_readable(self):
        """The trainer's notes stay internal: read, search_read and web_read of them are refused."""
        self.authenticate("sec_train_owner", "sec_train_owner")
        answer = self._call_kw("dealer.training.log", "read", [[self.log.id], ["topic"]])
        self.assertEqual(answer.get("result", [{}])[0].get("topic"), "Security field training",
                         "the owner sees its company's training")
        for method, args, kwargs in (
            ("read", [[self.log.id], ["notes"]], {}),
            ("search_read", [[("id", "=", self.log.id)]], {"fields": ["notes"]}),
            ("web_read", [[self.log.id]], {"specification": {"notes": {}}}),
        ):
            answer = self._call_kw("dealer.training.log", method, args, kwargs)
            self.assertRpcRefused(answer, f"{method} returned the notes")
            self.assertNotIn("resists", str(answer))
        answer = self._call_kw("dealer.training.log", "read", [[self.log.id]])
        self.assertNotIn("resists", str(answer), "all readable fields, notes left out")
        answer = self._call_kw("dealer.training.log", "write", [[self.log.id], {"notes": "<p>forged</p>"}])
        self.assertRpcRefused(answer)
        self.log.invalidate_recordset()
        self.assertIn("resists", str(self.log.notes))


@tagged("post_install", "-at_install")
class TestPortalSecuritySellout(PortalSecurityCase):
    """Sell-out orders attacked over JSON-RPC and the sell-out routes, by a dealer and its buyer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        buyer = {"is_company": True, "channel_role": "distributor", "channel_state": "active",
                 "channel_territory_id": cls.territory.id}
        cls.buyer_a = Partner.create(dict(buyer, name="Security Buyer A", channel_parent_id=cls.dealer_a.id))
        cls.buyer_b = Partner.create(dict(buyer, name="Security Buyer B", channel_parent_id=cls.dealer_b.id))
        cls.user_buyer_a = cls._channel_portal_user("sec_buyer_a", cls.buyer_a)
        cls.product = cls.env["product.product"].create({
            "name": "Security Sell-out Tea", "default_code": "SEC-SO-TEA", "type": "consu", "sale_ok": True,
        })
        cls.env["product.pricelist.item"].create({
            "pricelist_id": cls.dealer_a._channel_sellout_pricelist().id, "applied_on": "0_product_variant",
            "product_id": cls.product.id, "compute_price": "fixed", "fixed_price": 50.0,
        })
        Order = cls.env["channel.sellout.order"]
        cls.order_a = Order.create({
            "seller_id": cls.dealer_a.id, "buyer_id": cls.buyer_a.id,
            "line_ids": [Command.create({"product_id": cls.product.id, "quantity": 2, "price_unit": 50.0})],
        })
        cls.order_a.action_submit()
        cls.order_b = Order.create({
            "seller_id": cls.dealer_b.id, "buyer_id": cls.buyer_b.id,
            "line_ids": [Command.create({"product_id": cls.product.id, "quantity": 3, "price_unit": 60.0})],
        })
        cls.order_b.action_submit()

    def _snapshot(self):
        self.env.flush_all()
        self.env.invalidate_all()
        orders = self.env["channel.sellout.order"].sudo().search([])
        return sorted(
            (o.id, o.state, o.seller_id.id, o.buyer_id.id, o.amount_total,
             tuple((line.product_id.id, line.quantity, line.price_unit) for line in o.line_ids))
            for o in orders
        )

    def _post(self, url, data=None):
        page = self.url_open("/my").text
        data = dict(data or {}, csrf_token=page.split('csrf_token: "', 1)[1].split('"', 1)[0])
        with mute_logger("odoo.http"):
            return self.url_open(url, data=data)

    def test_rpc_create_forged_order_and_line(self):
        before = self._snapshot()
        for login in ("sec_dealer_a", "sec_buyer_a"):
            self.authenticate(login, login)
            answer = self._call_kw("channel.sellout.order", "create", [{
                "seller_id": self.dealer_a.id, "buyer_id": self.buyer_a.id, "state": "delivered",
                "line_ids": [[0, 0, {"product_id": self.product.id, "quantity": 1, "price_unit": 0.01}]],
            }])
            self.assertRpcRefused(answer)
            answer = self._call_kw("channel.sellout.line", "create", [{
                "order_id": self.order_a.id, "product_id": self.product.id, "quantity": 100, "price_unit": 0.01,
            }])
            self.assertRpcRefused(answer)
        self.assertEqual(self._snapshot(), before)

    def test_rpc_write_price_state_partners(self):
        before = self._snapshot()
        for login in ("sec_dealer_a", "sec_buyer_a"):
            self.authenticate(login, login)
            for vals in ({"state": "received"}, {"seller_id": self.dealer_b.id}, {"buyer_id": self.buyer_b.id},
                         {"amount_total": 1.0}):
                self.assertRpcRefused(self._call_kw("channel.sellout.order", "write", [[self.order_a.id], vals]))
            self.assertRpcRefused(self._call_kw(
                "channel.sellout.line", "write", [self.order_a.line_ids.ids, {"price_unit": 0.01}]))
        self.assertEqual(self._snapshot(), before)

    def test_other_dealers_order_on_routes_and_rpc(self):
        before = self._snapshot()
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/my/channel/sellout/{self.order_b.id}").status_code, 404)
        for action in ("accept", "reject", "deliver", "cancel"):
            response = self._post(f"/my/channel/sellout/{self.order_b.id}/{action}")
            self.assertEqual(response.status_code, 404, action)
        self.assertRpcRefused(self._call_kw("channel.sellout.order", "action_accept", [[self.order_b.id]]))
        self.assertRpcRefused(self._call_kw("channel.sellout.order", "read", [[self.order_b.id], ["amount_total"]]))
        self.assertEqual(self._snapshot(), before)

    def test_rpc_accept_by_the_buyer(self):
        before = self._snapshot()
        self.authenticate("sec_buyer_a", "sec_buyer_a")
        for method in ("action_accept", "action_reject", "action_deliver"):
            self.assertRpcRefused(self._call_kw("channel.sellout.order", method, [[self.order_a.id]]), method)
        response = self._post(f"/my/channel/sellout/{self.order_a.id}/accept")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._snapshot(), before)

    def test_rpc_receive_by_the_seller(self):
        self.order_a.action_accept()
        self.order_a.action_deliver()
        before = self._snapshot()
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("channel.sellout.order", "action_receive", [[self.order_a.id]]))
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        self.assertRpcRefused(self._call_kw("channel.sellout.order", "action_receive", [[self.order_a.id]]))
        self.assertEqual(self._snapshot(), before)

    def test_forged_price_and_buyer_on_pages(self):
        before = self._snapshot()
        self.authenticate("sec_buyer_a", "sec_buyer_a")
        for forged in ({"price_unit": "0.01"}, {"seller_id": str(self.dealer_b.id)}, {"state": "accepted"},
                       {"amount_total": "1"}):
            response = self._post("/my/channel/order/sellout", dict({f"qty_{self.product.id}": "1"}, **forged))
            self.assertEqual(response.status_code, 403, forged)
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        response = self._post("/my/channel/sellout/new", {"buyer_id": str(self.buyer_b.id),
                                                          f"qty_{self.product.id}": "1"})
        self.assertEqual(response.status_code, 403)
        response = self._post("/my/channel/sellout/prices", {"price_unit": "1"})
        self.assertEqual(response.status_code, 403)
        self.assertRpcRefused(self._call_kw("channel.sellout.order", "_sellout_import_file",
                                            [self.dealer_b.id, "", "x.csv"]))
        self.assertEqual(self._snapshot(), before)


@tagged("post_install", "-at_install")
class TestPortalSecurityCampaigns(PortalSecurityCase):
    """Campaign claims, announcements and their receipts attacked over JSON-RPC: a dealer never sets
    a state, a partner or a reimbursed amount, never reviews or pays, never reads another audience's
    announcement, never records a read for someone else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_territory = cls.env["channel.territory"].create({"name": "Security Elsewhere", "code": "SEC-EW"})
        cls.campaign = cls.env["channel.campaign"].create({
            "name": "Security campaign", "campaign_type": "display", "territory_id": cls.territory.id,
            "date_start": "2025-01-01", "date_end": "2030-12-31", "budget": 1000.0, "manufacturer_share": 50.0,
        })
        cls.campaign.action_approve()
        cls.claim = cls.env["channel.campaign.claim"].create({
            "campaign_id": cls.campaign.id, "partner_id": cls.dealer_a.id, "amount": 100.0,
        })
        cls.claim.action_submit()
        Announcement = cls.env["channel.announcement"]
        cls.announcement = Announcement.create({"name": "Security news", "body": "<p>For us</p>"})
        cls.announcement.action_publish()
        cls.elsewhere = Announcement.create({
            "name": "Security elsewhere", "body": "<p>Not for them</p>",
            "territory_ids": [Command.set(cls.other_territory.ids)],
        })
        cls.elsewhere.action_publish()

    def _claim_state(self):
        self.claim.invalidate_recordset()
        return self.claim.state, self.claim.reimbursed_amount, self.claim.partner_id, bool(self.claim.move_id)

    def test_create_claim_with_forged_fields_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.campaign.claim")
        for vals in (
            {"campaign_id": self.campaign.id, "amount": 100.0, "state": "approved"},
            {"campaign_id": self.campaign.id, "amount": 100.0, "reimbursed_amount": 100000.0},
            {"campaign_id": self.campaign.id, "amount": 100.0, "partner_id": self.dealer_b.id},
            {"campaign_id": self.campaign.id, "amount": 100.0},
        ):
            self.assertRpcRefused(self._call_kw("channel.campaign.claim", "create", [vals]))
        self.assertEqual(self._count("channel.campaign.claim"), count)

    def test_write_claim_state_and_amounts_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._claim_state()
        self.assertRpcRefused(self._call_kw("channel.campaign.claim", "write", [self.claim.ids, {"state": "approved"}]))
        self.assertRpcRefused(self._call_kw("channel.campaign.claim", "write", [
            self.claim.ids, {"amount": 100000.0, "partner_id": self.dealer_b.id},
        ]))
        self.assertEqual(self._claim_state(), before)

    def test_review_and_pay_over_rpc_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._claim_state()
        moves = self._count("account.move")
        for method in ("action_approve", "action_pay", "action_reject", "action_submit", "_create_credit_notes"):
            self.assertRpcRefused(self._call_kw("channel.campaign.claim", method, [self.claim.ids]), method)
        self.assertRpcRefused(self._call_kw("channel.campaign", "action_close", [self.campaign.ids]))
        self.assertEqual(self._claim_state(), before)
        self.assertEqual(self._count("account.move"), moves)
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.state, "approved")

    def test_receipt_for_another_user_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.announcement.receipt")
        for user in (self.user_b, self.user_a):
            self.assertRpcRefused(self._call_kw("channel.announcement.receipt", "create", [{
                "announcement_id": self.announcement.id, "user_id": user.id,
            }]))
        self.assertRpcRefused(self._call_kw("channel.announcement", "_mark_read", [
            self.announcement.ids, self.user_b.id,
        ]))
        self.assertEqual(self._count("channel.announcement.receipt"), count)

    def test_announcement_outside_audience_unreadable(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("channel.announcement", "read", [self.elsewhere.ids, ["name", "body"]]))
        self.assertRpcRefused(self._call_kw("channel.announcement", "search_read", [[], ["name"]]))
        with mute_logger("odoo.http"):
            page = self.url_open(f"/my/channel/announcements/{self.elsewhere.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("Not for them", page.text)
        self.assertEqual(self._count("channel.announcement.receipt", [("announcement_id", "=", self.elsewhere.id)]), 0)

    def test_announcement_state_and_reminders_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        mails = self._count("mail.mail")
        self.assertRpcRefused(self._call_kw("channel.announcement", "write", [self.elsewhere.ids, {
            "territory_ids": [[6, 0, [self.territory.id]]],
        }]))
        self.assertRpcRefused(self._call_kw("channel.announcement", "action_remind_unread", [self.announcement.ids]))
        self.assertRpcRefused(self._call_kw("channel.announcement.funnel", "action_open_funnel", []))
        self.assertRpcRefused(self._call_kw("crm.lead", "action_channel_convert", [[]]))
        self.assertEqual(self._count("mail.mail"), mails)
        self.elsewhere.invalidate_recordset()
        self.assertEqual(self.elsewhere.territory_ids, self.other_territory)


@tagged("post_install", "-at_install")
class TestPortalSecurityService(PortalSecurityCase):
    """Service requests: a dealer never creates nor writes a request over JSON-RPC (partner, responsible,
    state, deadlines and SLA flag are decided by the manufacturer), never reads another dealer's, and a
    forged portal submission keeps only the type, subject and description."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = new_test_user(cls.env, login="sec_service_resp", groups="channel_base.group_channel_user")
        cls.intruder = new_test_user(cls.env, login="sec_service_other", groups="channel_base.group_channel_user")
        Type = cls.env["channel.service.type"]
        cls.service_type = Type.create({
            "name": "Security payment check", "user_id": cls.responsible.id,
            "response_hours": 4, "resolution_hours": 24,
        })
        cls.closed_type = Type.create({"name": "Security archived desk", "active": False})
        Request = cls.env["channel.service.request"]
        cls.request_a = Request.create({
            "partner_id": cls.dealer_a.id, "type_id": cls.service_type.id, "subject": "Security A question",
        })
        cls.request_b = Request.create({
            "partner_id": cls.dealer_b.id, "type_id": cls.service_type.id, "subject": "Security B secret",
        })

    def _request_state(self, request):
        request.invalidate_recordset()
        return (request.partner_id, request.user_id, request.state, request.date_deadline, request.sla_breached,
                request.subject, request.type_id)

    def test_create_over_rpc_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.service.request")
        for vals in (
            {"type_id": self.service_type.id, "subject": "Forged"},
            {"partner_id": self.dealer_a.id, "type_id": self.service_type.id, "subject": "Forged"},
            {"partner_id": self.dealer_b.id, "type_id": self.service_type.id, "subject": "Forged",
             "user_id": self.intruder.id, "state": "done"},
        ):
            self.assertRpcRefused(self._call_kw("channel.service.request", "create", [vals]))
        self.assertRpcRefused(self._call_kw("channel.service.type", "create", [{"name": "Forged desk"}]))
        self.assertEqual(self._count("channel.service.request"), count)
        self.assertEqual(self._count("channel.service.type", [("name", "=", "Forged desk")]), 0)

    def test_write_and_actions_over_rpc_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        before = self._request_state(self.request_a)
        for vals in (
            {"state": "done"},
            {"user_id": self.intruder.id},
            {"partner_id": self.dealer_b.id},
            {"date_deadline": "2030-01-01 00:00:00", "sla_breached": False},
            {"subject": "Changed"},
        ):
            self.assertRpcRefused(self._call_kw("channel.service.request", "write", [self.request_a.ids, vals]))
        for method in ("action_start", "action_done", "action_cancel", "action_reopen", "unlink"):
            self.assertRpcRefused(self._call_kw("channel.service.request", method, [self.request_a.ids]), method)
        self.assertRpcRefused(self._call_kw("channel.service.type", "write", [
            self.service_type.ids, {"response_hours": 1000},
        ]))
        self.assertEqual(self._request_state(self.request_a), before)
        self.service_type.invalidate_recordset()
        self.assertEqual(self.service_type.response_hours, 4)

    def test_other_dealer_request_unreadable(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("channel.service.request", "read", [self.request_b.ids, ["subject"]]))
        answer = self._call_kw("channel.service.request", "search_read", [[], ["subject"]])
        self.assertEqual([row["subject"] for row in answer["result"]], ["Security A question"])
        with mute_logger("odoo.http"):
            page = self.url_open(f"/my/channel/requests/{self.request_b.id}")
        self.assertNotIn("Security B secret", page.text)

    def test_forged_portal_submission_keeps_only_what_a_dealer_decides(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.service.request")
        with mute_logger("odoo.http"):
            refused = self.url_open("/my/channel/requests/submit", data={
                "type_id": self.closed_type.id, "subject": "Archived desk",
                "csrf_token": http.Request.csrf_token(self),
            })
            no_csrf = self.url_open("/my/channel/requests/submit", data={
                "type_id": self.service_type.id, "subject": "No token",
            })
        self.assertEqual(refused.status_code, 400)
        self.assertNotEqual(no_csrf.status_code, 200)
        self.assertEqual(self._count("channel.service.request"), count)
        self.url_open("/my/channel/requests/submit", data={
            "type_id": self.service_type.id, "subject": "Genuine question",
            "partner_id": self.dealer_b.id, "user_id": self.intruder.id, "state": "done",
            "sla_breached": "1", "date_deadline": "2030-01-01 00:00:00", "name": "FORGED-1",
            "csrf_token": http.Request.csrf_token(self),
        })
        created = self.env["channel.service.request"].search([("subject", "=", "Genuine question")])
        self.assertEqual(len(created), 1)
        self.assertEqual(created.partner_id, self.dealer_a)
        self.assertEqual(created.user_id, self.responsible)
        self.assertEqual(created.state, "new")
        self.assertFalse(created.sla_breached)
        self.assertNotEqual(created.name, "FORGED-1")
        self.assertEqual((created.date_deadline - created.create_date).total_seconds(), 24 * 3600)


@tagged("post_install", "-at_install")
class TestPortalSecurityTierReview(PortalSecurityCase):
    """Earned tiers: a dealer reads its next tier and what it lacks on the cockpit, never the tier
    reviews, never runs, applies or edits them, never promotes itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["channel.tier"]
        (Tier.search([]) - cls.tier).action_archive()
        cls.tier.write({"sequence": 2, "min_purchase_amount": 0.0})
        cls.platinum = Tier.create({
            "name": "Security Platinum", "code": "SEC-TR-PLAT", "sequence": 1, "min_purchase_amount": 1000.0,
            "benefits": "<p>Platinum rebates</p>",
        })
        cls.review = cls.env["channel.tier.review"].create({"date": date(2026, 11, 1)})
        cls.line = cls.env["channel.tier.review.line"].create({
            "review_id": cls.review.id, "partner_id": cls.dealer_b.id, "current_tier_id": cls.tier.id,
            "proposed_tier_id": cls.platinum.id, "direction": "upgrade",
        })

    def _state(self):
        self.env.invalidate_all()
        return (
            self.dealer_a.channel_tier_id, self.dealer_b.channel_tier_id, self.line.state, self.line.proposed_tier_id,
            self._count("channel.tier.review"), self._count("channel.tier.review.line"),
        )

    def test_cockpit_shows_next_tier_and_gap(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        page = self.url_open("/my/channel").text
        self.assertIn("o_channel_card_tier_next", page)
        self.assertIn("Security Platinum", page)
        self.assertIn("Platinum rebates", page)
        self.assertIn("o_channel_card_tier_gap_purchase_amount", page)
        self.assertIn("1,000.00", page)

    def test_reviews_unreadable(self):
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        for model, ids in (("channel.tier.review", self.review.ids), ("channel.tier.review.line", self.line.ids)):
            self.assertRpcRefused(self._call_kw(model, "search_read", [[], ["display_name"]]), model)
            self.assertRpcRefused(self._call_kw(model, "read", [ids, ["display_name"]]), model)

    def test_run_apply_and_edit_refused(self):
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        before = self._state()
        calls = [
            ("channel.tier.review", "action_run_review", []),
            ("channel.tier.review", "_run_review", []),
            ("channel.tier.review", "_cron_run_review", []),
            ("channel.tier.review", "create", [{"date": "2026-12-01"}]),
            ("channel.tier.review", "action_open_apply_wizard", [self.review.ids]),
            ("channel.tier.review.line", "action_dismiss", [self.line.ids]),
            ("channel.tier.review.line", "write", [self.line.ids, {"state": "applied"}]),
            ("channel.tier.review.line", "_apply", [self.line.ids, "Promote me"]),
            ("channel.tier.review.line", "create", [{
                "review_id": self.review.id, "partner_id": self.dealer_a.id, "current_tier_id": self.tier.id,
                "proposed_tier_id": self.platinum.id, "direction": "upgrade",
            }]),
            ("channel.tier.apply.wizard", "create", [{"line_ids": [[6, 0, self.line.ids]], "reason": "Promote me"}]),
            ("res.partner", "_channel_tier_proposal", [[self.dealer_b.id]]),
            ("res.partner", "_channel_tier_figures", [[self.dealer_a.id]]),
            ("res.partner", "write", [[self.dealer_b.id], {"channel_tier_id": self.platinum.id}]),
        ]
        for model, method, args in calls:
            self.assertRpcRefused(self._call_kw(model, method, args), f"{model}.{method}")
        self.assertEqual(self._state(), before)


@tagged("post_install", "-at_install")
class TestPortalSecurityUploads(PortalSecurityCase):
    """The three upload forms (display claim photos, campaign proofs, service request attachments):
    one bad file refuses the whole submission with nothing saved, and the attachments always belong to
    the record the portal creates, private, whatever the request names (model, id, partner, public)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        cls.today = today
        cls.policy = cls.env["rebate.policy"].create({
            "name": "Security upload rewards", "date_start": date(today.year, 1, 1),
            "date_end": date(today.year, 12, 31), "period": "quarter", "computation": "flat", "rate": 2.0,
            "display_reward": True, "display_amount": 100, "settle_as": "next_order",
            "partner_ids": [Command.set(cls.dealer_a.ids)],
        })
        cls.policy.action_activate()
        cls.campaign = cls.env["channel.campaign"].create({
            "name": "Security upload campaign", "campaign_type": "display", "territory_id": cls.territory.id,
            "date_start": "2025-01-01", "date_end": "2030-12-31", "budget": 1000.0, "manufacturer_share": 50.0,
        })
        cls.campaign.action_approve()
        cls.service_type = cls.env["channel.service.type"].create({"name": "Security upload desk"})
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), (30, 200, 30)).save(buffer, format="PNG")
        cls.png = buffer.getvalue()
        cls.target = cls.env["res.partner"].create({"name": "Security attachment target"})

    def _forms(self):
        """(route, data, file field, model) of each upload form, with forged attachment fields."""
        forged = {
            "res_model": "res.partner", "res_id": str(self.target.id), "partner_id": str(self.dealer_b.id),
            "public": "1", "access_token": "forged",
        }
        return [
            ("/my/channel/rebates/claim/submit",
             dict(forged, policy_id=self.policy.id, date=fields.Date.to_string(self.today)),
             "photos", "rebate.display.claim"),
            ("/my/channel/campaigns/claim", dict(forged, campaign_id=self.campaign.id, amount="80"),
             "proofs", "channel.campaign.claim"),
            ("/my/channel/requests/submit", dict(forged, type_id=self.service_type.id, subject="Security upload"),
             "attachments", "channel.service.request"),
        ]

    def _post(self, url, data, files):
        with mute_logger("odoo.http"):
            return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)), files=files)

    def _counts(self, model):
        return self._count(model), self._count("ir.attachment")

    def test_one_bad_file_saves_nothing(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        for url, data, field, model in self._forms():
            before = self._counts(model)
            for label, bad in (
                ("executable", ("tool.png", b"MZ\x90\x00" + b"\x00" * 60, "image/png")),
                ("truncated image", ("shelf.png", self.png[:40], "image/png")),
                ("too many", None),
            ):
                files = [(field, ("good.png", self.png, "image/png"))]
                files += [(field, (f"p{i}.png", self.png, "image/png")) for i in range(12)] if bad is None else [
                    (field, bad)
                ]
                response = self._post(url, data, files)
                self.assertIn("alert-danger", response.text, f"{url}: {label}")
                self.assertEqual(self._counts(model), before, f"{url}: {label}")

    def test_attachments_belong_to_the_new_record(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        for url, data, field, model in self._forms():
            before = self._count(model)
            self._post(url, data, [(field, ("good.png", self.png, "text/html"))])
            self.assertEqual(self._count(model), before + 1, url)
            record = self.env[model].search([], order="id desc", limit=1)
            self.assertEqual(record.partner_id, self.dealer_a, url)
            attachments = self.env["ir.attachment"].search([("res_model", "=", model), ("res_id", "=", record.id)])
            self.assertEqual(attachments.mapped("name"), ["good.png"], url)
            self.assertEqual(attachments.mimetype, "image/png", url)
            self.assertFalse(attachments.public, url)
            self.assertNotEqual(attachments.access_token, "forged", url)
        self.assertFalse(self.env["ir.attachment"].search([("res_model", "=", "res.partner"),
                                                           ("res_id", "=", self.target.id)]))
