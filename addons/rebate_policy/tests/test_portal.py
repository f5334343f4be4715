import io
from datetime import date

from PIL import Image

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebatePortal(RebateCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        cls.today = today
        cls.policy_now = cls._policy(
            name="Portal thresholds",
            date_start=date(today.year, 1, 1),
            date_end=date(today.year, 12, 31),
            display_reward=True,
            display_amount=500,
            partner_ids=[Command.set((cls.dealer_a | cls.dealer_b).ids)],
        )
        cls.policy_silver = cls._policy(
            name="Silver secret policy",
            date_start=date(today.year, 1, 1),
            date_end=date(today.year, 12, 31),
            tier_ids=[Command.set(cls.tier_silver.ids)],
        )
        cls._invoice(cls.dealer_a, 296600, today)
        cls._refund(cls.dealer_a, 20000, invoice_date=today)
        cls._invoice(cls.dealer_b, 150000, today)
        cls.user_a = cls._portal_user(cls.dealer_a_contact, "rb_portal_a")
        cls.user_b = cls._portal_user(cls.dealer_b_contact, "rb_portal_b")
        cls.past = cls.policy_now._generate_settlements(today)
        cls.past.action_confirm()

    def test_progress_figures(self):
        progress = self.policy_now._get_partner_progress(self.dealer_a_contact, self.today)
        self.assertAlmostEqual(progress["base"], 276600)
        self.assertAlmostEqual(progress["rate"], 2)
        self.assertAlmostEqual(progress["estimated"], 5532)
        self.assertAlmostEqual(progress["next_threshold"], 300000)
        self.assertAlmostEqual(progress["next_rate"], 3.5)
        self.assertAlmostEqual(progress["missing"], 23400)
        self.assertAlmostEqual(progress["estimated_next"], 10500)

    def test_portal_page(self):
        self.authenticate("rb_portal_a", "rb_portal_apwd")
        response = self.url_open("/my/channel/rebates")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("Portal thresholds", html)
        self.assertIn("23,400", html)
        self.assertIn("3.5%", html)
        self.assertIn("o_rebate_settlement_row", html)
        self.assertNotIn("Silver secret policy", html)
        self.assertIn("/my/channel/rebates/claim/new", html)

    def test_portal_claim_submission(self):
        self.authenticate("rb_portal_a", "rb_portal_apwd")
        page = self.url_open("/my/channel/rebates/claim/new")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Portal thresholds", page.text)
        buffer = io.BytesIO()
        Image.new("RGB", (2, 2), (0, 128, 0)).save(buffer, format="PNG")
        png = buffer.getvalue()
        response = self.url_open(
            "/my/channel/rebates/claim/submit",
            data={
                "policy_id": self.policy_now.id,
                "date": fields.Date.to_string(self.today),
                "display_standard": "End cap",
                "csrf_token": Request.csrf_token(self),
            },
            files={"photos": ("shelf.png", png, "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        claim = self.env["rebate.display.claim"].search([("partner_id", "=", self.dealer_a.id)])
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.display_standard, "End cap")
        self.assertEqual(len(claim.photo_ids), 1)
        detail = self.url_open(f"/my/channel/rebates/claim/{claim.id}")
        self.assertIn(claim.name, detail.text)
        # Another dealer cannot open it.
        self.authenticate("rb_portal_b", "rb_portal_bpwd")
        other = self.url_open(f"/my/channel/rebates/claim/{claim.id}")
        self.assertNotIn(claim.name, other.text)

    def test_portal_claim_for_foreign_policy_refused(self):
        self.authenticate("rb_portal_a", "rb_portal_apwd")
        response = self.url_open(
            "/my/channel/rebates/claim/submit",
            data={"policy_id": self.policy_silver.id, "csrf_token": Request.csrf_token(self)},
            files={"photos": ("shelf.png", b"fake", "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.env["rebate.display.claim"].search([("partner_id", "=", self.dealer_a.id)]))

    def test_access_own_settlements_and_claims(self):
        settlement_a = self.past.filtered(lambda s: s.partner_id == self.dealer_a)
        settlement_b = self.past.filtered(lambda s: s.partner_id == self.dealer_b)
        claim_b = self.env["rebate.display.claim"].create({
            "partner_id": self.dealer_b.id, "policy_id": self.policy_now.id, "date": self.today,
        })
        Settlement = self.env["rebate.settlement"].with_user(self.user_a)
        self.assertEqual(Settlement.search([]), settlement_a)
        with self.assertRaises(AccessError):
            settlement_b.with_user(self.user_a).read(["net_amount"])
        Claim = self.env["rebate.display.claim"].with_user(self.user_a)
        self.assertFalse(Claim.search([]))
        with self.assertRaises(AccessError):
            claim_b.with_user(self.user_a).read(["amount"])
        with self.assertRaises(AccessError):
            settlement_a.with_user(self.user_a).write({"gross_amount": 1e6})
        # Policies: only those of its own scope.
        Policy = self.env["rebate.policy"].with_user(self.user_a)
        visible = Policy.search([])
        self.assertIn(self.policy_now, visible)
        self.assertNotIn(self.policy_silver, visible)
        with self.assertRaises(AccessError):
            self.policy_silver.with_user(self.user_a).read(["name"])
        self.assertIn(self.policy_silver, Policy.with_user(self.user_b).search([]))

    def test_portal_policy_rule_by_territory(self):
        zj_policy = self._policy(
            name="Zhejiang policy",
            date_start=date(self.today.year, 1, 1),
            date_end=date(self.today.year, 12, 31),
            territory_ids=[Command.set(self.territory_zj.ids)],
        )
        js_policy = self._policy(
            name="Jiangsu policy",
            date_start=date(self.today.year, 1, 1),
            date_end=date(self.today.year, 12, 31),
            territory_ids=[Command.set(self.territory_js.ids)],
        )
        visible = self.env["rebate.policy"].with_user(self.user_a).search([])
        self.assertIn(zj_policy, visible, "Hangzhou is inside Zhejiang")
        self.assertNotIn(js_policy, visible)
        # A dealer without territory sees neither.
        self.dealer_b.channel_territory_id = False
        visible_b = self.env["rebate.policy"].with_user(self.user_b).search([])
        self.assertNotIn(zj_policy, visible_b)
        self.assertNotIn(js_policy, visible_b)
        self.assertIn(self.policy_silver, visible_b)
