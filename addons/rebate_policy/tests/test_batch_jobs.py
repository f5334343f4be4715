from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.channel_base.tests.common_batch import CronBatchMixin

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestSettlementBatches(CronBatchMixin, RebateCommon):
    """The settlement cron: committed per policy, completed after a kill, never run twice at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["rebate.policy"])
        cls.today = today
        dates = {"date_start": today.replace(month=1, day=1), "date_end": today.replace(month=12, day=31)}
        partners = [Command.set((cls.dealer_a | cls.dealer_b).ids)]
        cls.policy_one = cls._policy(name="Batch policy one", partner_ids=partners, **dates)
        cls.policy_two = cls._policy(name="Batch policy two", partner_ids=partners, **dates)
        cls._invoice(cls.dealer_a, 320000, today)
        cls._invoice(cls.dealer_b, 120000, today)
        cls.cron = cls.env.ref("rebate_policy.ir_cron_generate_settlements")

    def _snapshot(self):
        settlements = self.env["rebate.settlement"].search(
            [("policy_id", "in", (self.policy_one | self.policy_two).ids)]
        )
        return sorted(
            (s.policy_id.id, s.partner_id.id, str(s.period_start), s.base_amount, s.gross_amount, s.state)
            for s in settlements
        )

    def test_killed_run_then_rerun(self):
        Policy = self.env["rebate.policy"]
        expected = self.clean_run(lambda: (Policy._cron_generate_settlements(), self._snapshot())[1])
        self.assertEqual(len(expected), 4, "One settlement per policy and dealer")
        # our second policy is the last one the cron goes over: kill the run there
        last = Policy.search_count([("state", "=", "active")])
        self.run_killed_as_cron(
            {"model": "rebate.policy", "method": "_generate_settlements", "n": last},
            Policy, "_cron_generate_settlements", cron=self.cron,
        )
        partial = self._snapshot()
        self.assertEqual({row[0] for row in partial}, {self.policy_one.id}, "The killed batch left nothing")
        self.run_as_cron(Policy, "_cron_generate_settlements", cron=self.cron)
        self.assertEqual(self._snapshot(), expected)
        # a third run changes nothing
        Policy._cron_generate_settlements()
        self.assertEqual(self._snapshot(), expected)

    def test_cron_and_button_at_once(self):
        """The cron holds the lock in another transaction: the button stops with a clear message."""
        with (
            self.lock_held_elsewhere(self.env["rebate.policy"]._settlement_lock_name()),
            self.assertRaisesRegex(UserError, "already running"),
        ):
            self.policy_one.action_generate_current()
        self.assertEqual(self._snapshot(), [])
        with (
            self.lock_held_elsewhere(self.env["rebate.policy"]._settlement_lock_name()),
            self.assertRaisesRegex(UserError, "already running"),
        ):
            self.env["rebate.policy"]._cron_generate_settlements()
        self.assertEqual(self._snapshot(), [])
        wizard = self.env["rebate.settlement.generate"].create(
            {"policy_ids": [Command.set(self.policy_one.ids)], "date": self.today}
        )
        with (
            self.lock_held_elsewhere(self.env["rebate.policy"]._settlement_lock_name()),
            self.assertRaisesRegex(UserError, "already running"),
        ):
            wizard.action_generate()
        self.assertEqual(self._snapshot(), [])
        # once the other run has finished, the button works
        self.policy_one.action_generate_current()
        self.assertEqual(len(self._snapshot()), 2)
