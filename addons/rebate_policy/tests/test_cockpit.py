from datetime import date

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestCockpitRebates(ChannelCockpitMixin, RebateCommon, HttpCase):
    """The rebate card of /my/channel, worked example (today's periods).

    Dealer A invoices 296,600 (1 unit) and 800 (8 units of drinks) and gets a credit note of 20,000
    (1 unit): on the quarterly amount thresholds (2 % from 100,000, 3.5 % from 300,000) its base is
    277,400, still 22,600 to go; on the monthly quantity thresholds of food (1 % from 10 units) its
    base is 8 units, still 2 to go.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the policies of this example are in play (never those of the demo data).
        cls.env["rebate.policy"].search([("state", "=", "active")]).action_close()
        today = fields.Date.context_today(cls.env.user)
        cls.today = today
        year = {"date_start": date(today.year, 1, 1), "date_end": date(today.year, 12, 31)}
        cls.policy_amount = cls._policy(
            name="Cockpit thresholds", partner_ids=[Command.set((cls.dealer_a | cls.dealer_b).ids)], **year
        )
        cls.policy_qty = cls._policy(
            name="Cockpit food units",
            base="qty",
            period="month",
            categ_ids=[Command.set(cls.categ_food.ids)],
            partner_ids=[Command.set(cls.dealer_a.ids)],
            threshold_ids=[
                Command.create({"min_base": 0, "rate": 0}),
                Command.create({"min_base": 10, "rate": 1}),
                Command.create({"min_base": 50, "rate": 2}),
            ],
            **year,
        )
        cls.policy_silver = cls._policy(
            name="Silver secret policy", tier_ids=[Command.set(cls.tier_silver.ids)], **year
        )
        cls._invoice(cls.dealer_a, 296600, today)
        cls._invoice(cls.dealer_a, 800, today, qty=8)
        cls._refund(cls.dealer_a, 20000, invoice_date=today)
        cls._invoice(cls.dealer_b, 150000, today)
        cls.user_a = cls._portal_user(cls.dealer_a_contact, "rb_cockpit_a")
        cls.distributor, cls.distributor_user = cls._new_cockpit_distributor(
            cls.dealer_a, "RB Distributor A1", "rb_cockpit_d"
        )

    def test_rebates_card(self):
        card = self._cards(self.dealer_a, self.user_a)["rebates"]
        self.assertEqual(card["url"], "/my/channel/rebates")
        self.assertEqual(card["policy_count"], 2)
        amount, qty = card["progress"]
        self.assertEqual(amount["policy"], self.policy_amount)
        self.assertAlmostEqual(amount["base"], 277400)
        self.assertAlmostEqual(amount["rate"], 2)
        self.assertAlmostEqual(amount["next_threshold"], 300000)
        self.assertAlmostEqual(amount["missing"], 22600)
        self.assertEqual(qty["policy"], self.policy_qty)
        self.assertAlmostEqual(qty["base"], 8)
        self.assertAlmostEqual(qty["next_threshold"], 10)
        self.assertAlmostEqual(qty["missing"], 2)
        # The figures of the rebates page, policy by policy.
        for progress in card["progress"]:
            page_progress = progress["policy"]._get_partner_progress(self.dealer_a, self.today)
            self.assertEqual(
                {key: page_progress[key] for key in ("base", "rate", "next_threshold", "missing", "estimated")},
                {key: progress[key] for key in ("base", "rate", "next_threshold", "missing", "estimated")},
            )
        page = self._cockpit_page("rb_cockpit_a", "rb_cockpit_apwd")
        self.assertIn("o_channel_card_rebates", page)
        self.assertIn("Cockpit thresholds", page)
        self.assertIn("277,400", page)
        self.assertIn("22,600", page)
        self.assertIn("Still 2 units to go", page)
        self.assertNotIn("Silver secret policy", page)
        self.assertIn('href="/my/channel/rebates"', page)

    def test_batched_bases(self):
        """The bases of all the policies are read with one query, the same figures as one by one."""
        policies = self.policy_amount | self.policy_qty
        periods = {policy.id: policy._get_period(self.today) for policy in policies}
        bases = policies._read_partner_bases(self.dealer_a, periods)
        for policy in policies:
            single = policy._read_base(*periods[policy.id], [("id", "=", self.dealer_a.id)])[self.dealer_a.id]
            self.assertAlmostEqual(bases[policy.id]["amount"], single["amount"])
            self.assertAlmostEqual(bases[policy.id]["qty"], single["qty"])
        self.assertAlmostEqual(bases[self.policy_qty.id]["qty"], 8)

    def test_access(self):
        # The rebates page serves every channel member: a sub-distributor gets the card, with nothing
        # of its dealer's policies.
        card = self._cards(self.distributor, self.distributor_user)["rebates"]
        self.assertEqual(card["progress"], [])
        page = self._cockpit_page("rb_cockpit_d")
        self.assertIn("o_channel_card_rebates", page)
        self.assertNotIn("Cockpit thresholds", page)
        # A terminated dealer has no rebates page, hence no card.
        self.dealer_a.channel_state = "terminated"
        self.assertNotIn("rebates", self._cards(self.dealer_a, self.user_a))

    def test_queries_do_not_grow_with_invoices(self):
        few = self._cockpit_queries(self.dealer_a, self.user_a)
        for _i in range(18):
            self._invoice(self.dealer_a, 100, self.today)
        many = self._cockpit_queries(self.dealer_a, self.user_a)
        self.assertAlmostEqual(self._cards(self.dealer_a, self.user_a)["rebates"]["progress"][0]["base"], 279200)
        self.assertEqual(many, few, f"{few} queries with 3 invoices, {many} with 21")
