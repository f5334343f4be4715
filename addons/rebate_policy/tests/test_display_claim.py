from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestDisplayClaim(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._policy(
            display_reward=True, display_amount=800, display_standard="End cap, 3 facings",
            tier_ids=[Command.set(cls.tier_gold.ids)],
        )
        cls._invoice(cls.dealer_a, 320000, date(2025, 1, 20))

    def _claim(self, partner, day=None, **vals):
        return self.env["rebate.display.claim"].create(dict({
            "partner_id": partner.id, "policy_id": self.policy.id, "date": day or date(2025, 2, 3),
        }, **vals))

    def test_claim_defaults_and_period(self):
        claim = self._claim(self.dealer_a_contact)
        self.assertEqual(claim.partner_id, self.dealer_a, "claims belong to the commercial partner")
        self.assertEqual(claim.period_start, self.q1_start)
        self.assertEqual(claim.period_label, "2025-Q1")
        self.assertAlmostEqual(claim.amount, 800)
        self.assertEqual(claim.display_standard, "End cap, 3 facings")
        self.assertEqual(claim.state, "submitted")
        self.assertTrue(claim.name.startswith("DSP/"))

    def test_approved_claims_add_to_settlement(self):
        settlement = self.policy._generate_settlements(self.day)
        self.assertAlmostEqual(settlement.addition_amount, 0)
        approved = self._claim(self.dealer_a)
        rejected = self._claim(self.dealer_a, amount=500)
        approved.action_approve()
        rejected.action_reject()
        self.assertAlmostEqual(settlement.addition_amount, 800, msg="approval refreshes the draft")
        self.assertAlmostEqual(settlement.net_amount, 12000)  # 320,000 x 3.5 % + 800
        self.assertEqual(settlement.claim_ids, approved)
        settlement.action_settle()
        self.assertAlmostEqual(settlement.move_id.amount_total, 12000)
        self.assertEqual(approved.settlement_id, settlement)
        with self.assertRaises(UserError):
            approved.action_reject()

    def test_claim_without_purchase_gets_settlement(self):
        claim = self._claim(self.dealer_c)
        claim.action_approve()
        settlement = self.policy._generate_settlements(self.day).filtered(lambda s: s.partner_id == self.dealer_c)
        self.assertAlmostEqual(settlement.gross_amount, 0)
        self.assertAlmostEqual(settlement.net_amount, 800)

    def test_late_claim_goes_to_next_settlement(self):
        settlement = self.policy._generate_settlements(self.day)
        settlement.action_settle()
        late = self._claim(self.dealer_a)
        late.action_approve()
        self.assertFalse(late.settlement_id)
        q2 = self.policy._generate_settlements(date(2025, 4, 20)).filtered(lambda s: s.partner_id == self.dealer_a)
        self.assertEqual(q2.claim_ids, late)
        self.assertAlmostEqual(q2.addition_amount, 800)

    def test_claim_checks(self):
        with self.assertRaises(ValidationError):
            self._claim(self.dealer_b)  # Silver: not in the scope
        with self.assertRaises(ValidationError):
            self._claim(self.dealer_a, day=date(2026, 2, 1))  # outside the policy
        no_display = self._policy(name="No display")
        with self.assertRaises(ValidationError):
            self.env["rebate.display.claim"].create({
                "partner_id": self.dealer_a.id, "policy_id": no_display.id, "date": date(2025, 2, 3),
            })
        claim = self._claim(self.dealer_a, amount=0)
        with self.assertRaises(UserError):
            claim.action_approve()
