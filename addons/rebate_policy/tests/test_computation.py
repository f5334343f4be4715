from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateComputation(RebateCommon):
    def _settlement(self, policy, partner, day=None):
        settlements = policy._generate_settlements(day or self.day)
        return settlements.filtered(lambda s: s.partner_id == partner)

    def test_worked_example_retroactive(self):
        policy = self._policy(partner_ids=[Command.set(self.dealer_a.ids)])
        self._invoice(self.dealer_a, 320000, date(2025, 1, 20))
        self._refund(self.dealer_a, 20000, invoice_date=date(2025, 3, 5))
        settlement = self._settlement(policy, self.dealer_a)
        self.assertEqual(len(settlement), 1)
        self.assertEqual(settlement.period_start, self.q1_start)
        self.assertEqual(settlement.period_end, self.q1_end)
        self.assertAlmostEqual(settlement.base_amount, 300000)
        self.assertAlmostEqual(settlement.rate, 3.5)
        self.assertAlmostEqual(settlement.gross_amount, 10500)
        self.assertAlmostEqual(settlement.net_amount, 10500)
        self.assertEqual(settlement.state, "draft")
        self.assertEqual(settlement.period_label, "2025-Q1")
        # Next threshold: 500,000 at 5 %, 200,000 missing.
        self.assertAlmostEqual(settlement.next_threshold, 500000)
        self.assertAlmostEqual(settlement.missing_base, 200000)
        self.assertAlmostEqual(settlement.missing_percent, 40)

    def test_worked_example_incremental(self):
        policy = self._policy(threshold_mode="incremental", partner_ids=[Command.set(self.dealer_a.ids)])
        self._invoice(self.dealer_a, 320000, date(2025, 1, 20))
        self._refund(self.dealer_a, 20000, invoice_date=date(2025, 3, 5))
        settlement = self._settlement(policy, self.dealer_a)
        self.assertAlmostEqual(settlement.base_amount, 300000)
        self.assertAlmostEqual(settlement.gross_amount, 4000)
        self.assertAlmostEqual(settlement.rate, 3.5)

    def test_incremental_bands(self):
        policy = self._policy(threshold_mode="incremental")
        # 100,000 x 0 % + 200,000 x 2 % + 200,000 x 3.5 % + 50,000 x 5 % = 13,500
        self.assertAlmostEqual(policy._compute_rebate(550000, 550000)["gross"], 13500)
        self.assertAlmostEqual(policy._compute_rebate(50000, 50000)["gross"], 0)

    def test_base_exactly_on_threshold(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 100000)
        self._invoice(self.dealer_b, 99999.99)
        settlements = policy._generate_settlements(self.day)
        on = settlements.filtered(lambda s: s.partner_id == self.dealer_a)
        below = settlements.filtered(lambda s: s.partner_id == self.dealer_b)
        self.assertAlmostEqual(on.rate, 2)
        self.assertAlmostEqual(on.gross_amount, 2000)
        self.assertAlmostEqual(on.next_threshold, 300000)
        self.assertAlmostEqual(below.rate, 0)
        self.assertAlmostEqual(below.gross_amount, 0)
        self.assertAlmostEqual(below.missing_base, 0.01)
        self.assertAlmostEqual(below.next_rate, 2)

    def test_flat_rate_and_cap(self):
        policy = self._policy(computation="flat", rate=1.5, threshold_ids=[], cap_amount=1000, period="month")
        self._invoice(self.dealer_a, 40000)
        self._invoice(self.dealer_b, 100000)
        settlements = policy._generate_settlements(self.day)
        self.assertEqual(settlements.mapped("period_start"), [date(2025, 2, 1)] * 2)
        by_partner = {s.partner_id: s for s in settlements}
        self.assertAlmostEqual(by_partner[self.dealer_a].gross_amount, 600)
        self.assertAlmostEqual(by_partner[self.dealer_b].gross_amount, 1000)  # capped

    def test_credit_notes_and_period_boundaries(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 150000, date(2025, 3, 31))
        self._invoice(self.dealer_a, 500000, date(2025, 4, 1))  # next quarter
        self._invoice(self.dealer_a, 80000, date(2025, 2, 1), post=False)  # draft: ignored
        self._refund(self.dealer_a, 60000, invoice_date=date(2025, 2, 15))
        settlement = self._settlement(policy, self.dealer_a)
        self.assertAlmostEqual(settlement.base_amount, 90000)
        self.assertAlmostEqual(settlement.gross_amount, 0)
        self.assertAlmostEqual(settlement.missing_base, 10000)
        q2 = self._settlement(policy, self.dealer_a, date(2025, 5, 5))
        self.assertEqual(q2.period_start, date(2025, 4, 1))
        self.assertAlmostEqual(q2.gross_amount, 25000)

    def test_scope_tier(self):
        policy = self._policy(tier_ids=[Command.set(self.tier_gold.ids)])
        for dealer in (self.dealer_a, self.dealer_b, self.dealer_c):
            self._invoice(dealer, 120000)
        settlements = policy._generate_settlements(self.day)
        self.assertEqual(settlements.partner_id, self.dealer_a | self.dealer_c)

    def test_scope_territory_descendants(self):
        policy = self._policy(territory_ids=[Command.set(self.territory_zj.ids)])
        for dealer in (self.dealer_a, self.dealer_b, self.dealer_c):
            self._invoice(dealer, 120000)
        settlements = policy._generate_settlements(self.day)
        # Dealer A is in Hangzhou, a sub-territory of Zhejiang.
        self.assertEqual(settlements.partner_id, self.dealer_a | self.dealer_b)

    def test_scope_partners_and_every_dealer(self):
        policy = self._policy(partner_ids=[Command.set(self.dealer_b.ids)])
        distributor = self.env["res.partner"].create({
            "name": "RB Distributor", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": self.dealer_a.id,
        })
        for partner in (self.dealer_a, self.dealer_b, distributor):
            self._invoice(partner, 120000)
        self.assertEqual(policy._generate_settlements(self.day).partner_id, self.dealer_b)
        every = self._policy(name="Every dealer")
        self.assertEqual(every._generate_settlements(self.day).partner_id, self.dealer_a | self.dealer_b)

    def test_scope_category_children(self):
        policy = self._policy(
            categ_ids=[Command.set(self.categ_food.ids)], partner_ids=[Command.set(self.dealer_a.ids)]
        )
        self._invoice(self.dealer_a, 120000, product=self.product_drink)
        self._invoice(self.dealer_a, 500000, product=self.product_other)
        settlement = self._settlement(policy, self.dealer_a)
        self.assertAlmostEqual(settlement.base_amount, 120000)
        self.assertAlmostEqual(settlement.gross_amount, 2400)

    def test_scope_products(self):
        policy = self._policy(
            product_ids=[Command.set(self.product_other.ids)], partner_ids=[Command.set(self.dealer_a.ids)]
        )
        self._invoice(self.dealer_a, 120000, product=self.product_drink)
        self._invoice(self.dealer_a, 310000, product=self.product_other)
        settlement = self._settlement(policy, self.dealer_a)
        self.assertAlmostEqual(settlement.base_amount, 310000)
        self.assertAlmostEqual(settlement.gross_amount, 10850)
        # The invoice lines of the settlement are those in scope.
        self.assertEqual(settlement.invoice_line_ids.product_id, self.product_other)
        action = settlement.action_view_invoice_lines()
        self.assertEqual(self.env["account.move.line"].search(action["domain"]), settlement.invoice_line_ids)

    def test_quantity_base(self):
        policy = self._policy(
            base="qty",
            partner_ids=[Command.set(self.dealer_a.ids)],
            threshold_ids=[Command.create({"min_base": 0, "rate": 0}), Command.create({"min_base": 1000, "rate": 3})],
        )
        self._invoice(self.dealer_a, 120000, qty=1200)
        self._refund(self.dealer_a, 10000, qty=100)
        settlement = self._settlement(policy, self.dealer_a)
        self.assertAlmostEqual(settlement.base_amount, 1100)
        self.assertAlmostEqual(settlement.amount_untaxed, 110000)
        self.assertAlmostEqual(settlement.gross_amount, 3300)

    def test_thresholds_read_in_order(self):
        """The computation reads the thresholds sorted by base, whatever order they were entered in."""
        policy = self._policy(threshold_ids=[
            Command.create({"min_base": 300000, "rate": 3.5}),
            Command.create({"min_base": 0, "rate": 0}),
            Command.create({"min_base": 100000, "rate": 2}),
        ])
        policy.invalidate_recordset()
        self.assertEqual(policy._rebate_params()["table"], [(0, 0), (100000, 2), (300000, 3.5)])
        self.assertEqual(policy._rebate_params()["currency"], self.currency)
        self.assertAlmostEqual(policy._compute_rebate(150000, 150000)["gross"], 3000)
        # A policy being edited (not saved yet) reads its thresholds in memory.
        draft = self.env["rebate.policy"].new({"threshold_ids": [
            Command.create({"min_base": 500, "rate": 1}), Command.create({"min_base": 0, "rate": 0}),
        ]})
        self.assertEqual(draft._rebate_params()["table"], [(0, 0), (500, 1)])

    def test_base_of_archived_dealers(self):
        """An archived dealer of the scope still has its base, as before it was archived."""
        policy = self._policy()
        self._invoice(self.dealer_a, 120000)
        self._invoice(self.dealer_b, 80000)
        self.dealer_b.active = False
        figures = policy._read_base(self.q1_start, self.q1_end)
        self.assertEqual(set(figures), {self.dealer_a.id, self.dealer_b.id})
        self.assertAlmostEqual(figures[self.dealer_b.id]["amount"], 80000)
        single = policy._read_base(self.q1_start, self.q1_end, [("id", "=", self.dealer_b.id)])
        self.assertEqual(single, {self.dealer_b.id: figures[self.dealer_b.id]})

    def test_one_query_per_policy(self):
        """The base is read with one aggregated query whatever the number of dealers."""
        policy = self._policy()
        for dealer in (self.dealer_a, self.dealer_b, self.dealer_c):
            self._invoice(dealer, 120000)
        policy._read_base(self.q1_start, self.q1_end)  # reads the policy's own configuration
        with self.assertQueryCount(__system__=1):
            figures = policy._read_base(self.q1_start, self.q1_end)
        self.assertEqual(set(figures), {self.dealer_a.id, self.dealer_b.id, self.dealer_c.id})
        self.assertAlmostEqual(figures[self.dealer_b.id]["amount"], 120000)
