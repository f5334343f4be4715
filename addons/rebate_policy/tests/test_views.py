from datetime import date

from odoo import Command
from odoo.tests import Form, tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateViews(RebateCommon):
    def test_policy_form(self):
        with Form(self.env["rebate.policy"]) as form:
            form.name = "Form policy"
            form.date_start = date(2025, 1, 1)
            form.date_end = date(2025, 12, 31)
            form.computation = "threshold"
            for min_base, rate in ((0, 0), (100000, 2), (300000, 3.5)):
                with form.threshold_ids.new() as line:
                    line.min_base = min_base
                    line.rate = rate
        policy = form.record
        self.assertEqual(len(policy.threshold_ids), 3)
        policy.action_activate()
        self._invoice(self.dealer_a, 150000)
        settlement = policy._generate_settlements(self.day)
        self.assertAlmostEqual(settlement.gross_amount, 3000)
        with Form(settlement) as settlement_form:
            self.assertEqual(settlement_form.state, "draft")
        action = policy.action_view_settlements()
        self.assertEqual(self.env["rebate.settlement"].search(action["domain"]), settlement)

    def test_near_threshold_wizard(self):
        today = date.today()
        # Limited to the test tier: dealers of the database outside the test data (demo ones) stay out.
        policy = self._policy(
            date_start=date(today.year, 1, 1),
            date_end=date(today.year, 12, 31),
            tier_ids=[Command.set(self.dealer_a.channel_tier_id.ids)],
        )
        self._invoice(self.dealer_a, 95000, today)
        wizard = self.env["rebate.near.threshold"].create({"policy_ids": [(6, 0, policy.ids)], "margin_percent": 10})
        action = wizard.action_open()
        near = self.env["rebate.settlement"].search(action["domain"])
        self.assertEqual(near.partner_id, self.dealer_a)
        self.assertAlmostEqual(near.missing_base, 5000)

    def test_display_claim_form(self):
        policy = self._policy(display_reward=True, display_amount=300)
        with Form(self.env["rebate.display.claim"]) as form:
            form.partner_id = self.dealer_a
            form.policy_id = policy
            form.date = date(2025, 2, 2)
        self.assertAlmostEqual(form.record.amount, 300)
