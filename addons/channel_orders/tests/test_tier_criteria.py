from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.channel_base.tests.common import ChannelTierCriteriaMixin

from .common import create_invoice


@tagged("post_install", "-at_install")
class TestTierPurchases(ChannelTierCriteriaMixin, TransactionCase):
    """The purchase criterion: untaxed posted invoices minus credit notes of the last 12 months.

    Gold needs 1,000, Silver 300, Standard nothing. Dealer A: invoices of 800 (taxed 15 %: the tax does
    not count) 2 months ago, 500 eleven months ago and 100 to one of its contacts last week, a credit
    note of 200 last month; out of the criterion: 5,000 thirteen months ago, 700 exactly 12 months ago,
    a draft of 9,999 and a vendor bill. A: 800 + 500 + 100 - 200 = 1,200 (Gold). Dealer B: 400 and a
    credit note of 150: 250 (Standard, 50 short of Silver)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        Tier = cls.env["channel.tier"]
        Tier.search([]).action_archive()
        cls.env["res.partner"].search([("channel_role", "=", "dealer")]).write({"channel_state": "terminated"})
        cls.gold, cls.silver, cls.standard = Tier.create([
            {"name": "Gold", "code": "TP-GOLD", "sequence": 1, "min_purchase_amount": 1000.0},
            {"name": "Silver", "code": "TP-SILVER", "sequence": 2, "min_purchase_amount": 300.0},
            {"name": "Standard", "code": "TP-STD", "sequence": 3},
        ])
        Partner = cls.env["res.partner"]
        common = {"is_company": True, "channel_role": "dealer", "channel_state": "active"}
        cls.dealer_a = Partner.create(dict(common, name="Purchase Dealer A", channel_tier_id=cls.silver.id))
        cls.dealer_b = Partner.create(dict(common, name="Purchase Dealer B", channel_tier_id=cls.silver.id))
        cls.contact_a = Partner.create({"name": "Buyer A", "parent_id": cls.dealer_a.id})
        cls.tax = cls.env["account.tax"].create({"name": "Tier test 15%", "amount": 15.0, "type_tax_use": "sale"})
        months = relativedelta(months=1)
        cls._invoice(cls.dealer_a, 800.0, cls.today - 2 * months, taxes=cls.tax)
        cls._invoice(cls.dealer_a, 500.0, cls.today - 11 * months)
        cls._invoice(cls.contact_a, 100.0, cls.today - relativedelta(days=7))
        cls._invoice(cls.dealer_a, 200.0, cls.today - months, move_type="out_refund")
        cls._invoice(cls.dealer_a, 5000.0, cls.today - 13 * months)
        cls._invoice(cls.dealer_a, 700.0, cls.today - 12 * months)
        cls._invoice(cls.dealer_a, 9999.0, cls.today, post=False)
        cls._invoice(cls.dealer_a, 3000.0, cls.today, move_type="in_invoice")
        cls._invoice(cls.dealer_b, 400.0, cls.today - 3 * months)
        cls._invoice(cls.dealer_b, 150.0, cls.today - months, move_type="out_refund")
        cls.manager = new_test_user(cls.env, login="tp_manager", name="Tier Manager",
                                    groups="channel_base.group_channel_manager")

    @classmethod
    def _invoice(cls, partner, amount, day, move_type="out_invoice", post=True, taxes=None):
        return create_invoice(cls.env, partner, amount, day, move_type=move_type, post=post, taxes=taxes)

    def _new_dealers(self, count):
        dealers = self.env["res.partner"].create([
            {"name": f"Purchase Dealer {n}", "is_company": True, "channel_role": "dealer", "channel_state": "active"}
            for n in range(count)
        ])
        for dealer in dealers:
            self._invoice(dealer, 350.0, self.today - relativedelta(days=3))
        return dealers

    def test_purchase_figures(self):
        amounts = (self.dealer_a | self.dealer_b)._channel_tier_purchase_amounts()
        self.assertEqual(amounts, {self.dealer_a.id: 1200.0, self.dealer_b.id: 250.0})
        figures = (self.dealer_a | self.dealer_b)._channel_tier_figures()
        self.assertEqual(figures[self.dealer_a.id]["purchase_amount"], 1200.0)
        # a month later, the invoice of eleven months ago has left the 12 months
        later = self.today + relativedelta(months=1, days=1)
        self.assertEqual(self.dealer_a._channel_tier_purchase_amounts(date_to=later)[self.dealer_a.id], 700.0)

    def test_proposal(self):
        self.assertEqual(self.dealer_a._channel_tier_proposal(), self.gold)
        self.assertEqual(self.dealer_b._channel_tier_proposal(), self.standard)
        self.assertEqual(self.contact_a._channel_tier_proposal(), self.gold)
        self.assertEqual(
            (self.dealer_a | self.dealer_b)._channel_tier_proposal(),
            {self.dealer_a.id: self.gold, self.dealer_b.id: self.standard},
        )
        gaps = self.dealer_b._channel_tier_assessment()[self.dealer_b.id]["gaps"]
        self.assertEqual(gaps[self.standard.id], [])
        (silver_gap,) = gaps[self.silver.id]
        self.assertEqual((silver_gap["criterion"], silver_gap["missing"], silver_gap["current"]),
                         ("purchase_amount", 50.0, 250.0))
        self.assertIn("50.00", silver_gap["label"])
        self.assertEqual(gaps[self.gold.id][0]["missing"], 750.0)

    def test_proposal_query_count(self):
        """The proposals of many dealers cost the same queries as those of a few."""
        few = self.dealer_a | self.dealer_b | self._new_dealers(1)
        many = self.dealer_a | self.dealer_b | self._new_dealers(12)
        counts = []
        for dealers, proposals, count in self._tier_proposal_runs(few, many):
            counts.append(count)
            self.assertEqual(proposals[self.dealer_a.id], self.gold)
            self.assertEqual({proposals[dealer.id] for dealer in dealers[2:]}, {self.silver})
        self.assertEqual(counts[0], counts[1], f"queries for 3 and for 14 dealers: {counts}")

    def test_review_lines(self):
        review = self.env["channel.tier.review"].with_user(self.manager)._run_review()
        lines = {line.partner_id: line for line in review.line_ids}
        self.assertEqual(set(lines), {self.dealer_a, self.dealer_b})
        line_a, line_b = lines[self.dealer_a], lines[self.dealer_b]
        self.assertEqual(
            (line_a.direction, line_a.proposed_tier_id, line_a.purchase_amount), ("upgrade", self.gold, 1200.0)
        )
        self.assertEqual(
            (line_b.direction, line_b.proposed_tier_id, line_b.purchase_amount), ("downgrade", self.standard, 250.0)
        )
        self.env["channel.tier.apply.wizard"].with_user(self.manager).create({
            "line_ids": [Command.set(review.line_ids.ids)], "reason": "Purchases of the last 12 months",
        }).action_apply()
        self.assertEqual((self.dealer_a.channel_tier_id, self.dealer_b.channel_tier_id), (self.gold, self.standard))
        self.assertIn("Reason: Purchases of the last 12 months", self.dealer_b.message_ids[0].body)

    def test_cockpit_card_gap(self):
        card = self.dealer_b._channel_cockpit_tier_card()
        self.assertEqual((card["tier"], card["next_tier"]), (self.silver, self.gold))
        (gap,) = card["gaps"]
        self.assertEqual((gap["criterion"], gap["missing"]), ("purchase_amount", 750.0))
        self.assertIn("750.00", gap["label"])
        self.dealer_b.channel_tier_id = self.standard
        card = self.dealer_b._channel_cockpit_tier_card()
        self.assertEqual(card["next_tier"], self.silver)
        self.assertEqual([g["missing"] for g in card["gaps"]], [50.0])
