from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateErrors(RebateCommon):
    def test_duplicated_thresholds(self):
        with self.assertRaises(ValidationError):
            self._policy(threshold_ids=[
                Command.create({"min_base": 0, "rate": 0}),
                Command.create({"min_base": 100000, "rate": 2}),
                Command.create({"min_base": 100000, "rate": 3}),
            ])

    def test_unordered_thresholds(self):
        with self.assertRaises(ValidationError):
            self._policy(threshold_ids=[
                Command.create({"min_base": 0, "rate": 0}),
                Command.create({"min_base": 100000, "rate": 4}),
                Command.create({"min_base": 300000, "rate": 3}),
            ])

    def test_rates_outside_bounds(self):
        with self.assertRaises(ValidationError):
            self._policy(threshold_ids=[Command.create({"min_base": 0, "rate": 120})])
        with self.assertRaises(ValidationError):
            self._policy(threshold_ids=[Command.create({"min_base": 0, "rate": -1})])
        with self.assertRaises(ValidationError):
            self._policy(computation="flat", rate=101, threshold_ids=[])

    def test_inverted_dates(self):
        with self.assertRaises(ValidationError):
            self._policy(date_start=date(2025, 12, 31), date_end=date(2025, 1, 1))

    def test_threshold_policy_needs_thresholds(self):
        policy = self.env["rebate.policy"].create({
            "name": "Empty", "date_start": date(2025, 1, 1), "date_end": date(2025, 12, 31),
            "computation": "threshold",
        })
        with self.assertRaises(UserError):
            policy.action_activate()

    def test_active_policy_frozen_once_settled(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 120000)
        # Without settlements an active policy can still be corrected.
        policy.threshold_ids.filtered(lambda t: t.min_base == 500000).rate = 6
        policy._generate_settlements(self.day)
        threshold = policy.threshold_ids.filtered(lambda t: t.min_base == 100000)
        with self.assertRaises(UserError):
            threshold.rate = 2.5
        with self.assertRaises(UserError):
            policy.write({"threshold_ids": [Command.create({"min_base": 800000, "rate": 7})]})
        with self.assertRaises(UserError):
            threshold.unlink()
        with self.assertRaises(UserError):
            policy.threshold_mode = "incremental"
        # The name and the description stay editable.
        policy.name = "Renamed"

    def test_cancelled_settlement_cannot_be_settled(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 120000)
        settlement = policy._generate_settlements(self.day)
        settlement.action_cancel()
        with self.assertRaises(UserError):
            settlement.action_settle()

    def test_settled_settlement_stays(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 120000)
        settlement = policy._generate_settlements(self.day)
        settlement.action_settle()
        with self.assertRaises(UserError):
            settlement.action_cancel()
        with self.assertRaises(UserError):
            settlement.action_confirm()
        with self.assertRaises(UserError):
            settlement.unlink()

    def test_unique_settlement_per_period(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 120000)
        settlement = policy._generate_settlements(self.day)
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["rebate.settlement"].create({
                "policy_id": policy.id, "partner_id": self.dealer_a.id,
                "period_start": settlement.period_start, "period_end": settlement.period_end,
            })

    def test_draft_policy_generates_nothing(self):
        policy = self.env["rebate.policy"].create({
            "name": "Draft", "date_start": date(2025, 1, 1), "date_end": date(2025, 12, 31),
            "computation": "flat", "rate": 2,
        })
        self._invoice(self.dealer_a, 120000)
        self.assertFalse(policy._generate_settlements(self.day))
        wizard = self.env["rebate.settlement.generate"].create({"policy_ids": [Command.set(policy.ids)]})
        with self.assertRaises(UserError):
            wizard.action_generate()

    def test_date_outside_policy(self):
        policy = self._policy()
        self._invoice(self.dealer_a, 120000, date(2024, 12, 1))
        self.assertFalse(policy._generate_settlements(date(2024, 12, 1)))
