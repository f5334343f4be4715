"""A dealer's portal session is an API: tampering attempts over HTTP and JSON-RPC, each refused with
nothing saved.

Every attempt logs in as a portal user of a dealer (or of a sub-distributor, a suspended dealer, a
warehouse clerk), sends what a forging client would send (``/web/dataset/call_kw`` or a portal route)
and checks both the refusal and that the database holds exactly what it held before.
"""

import io
import json
from datetime import date

from PIL import Image

from odoo import Command, fields, http
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
            response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", json=payload)
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

    def _call_kw(self, model, method, args, kwargs=None):
        """JSON-RPC ``call_kw`` as the authenticated user (``{"result": …}`` or ``{"error": …}``)."""
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}", data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

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
        self.assertIn("Only active dealers", response.text)
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
