from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common_batch import CronBatchMixin


@tagged("post_install", "-at_install")
class TestChannelBatch(CronBatchMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        cls.dealers = cls.env["res.partner"].create([
            {
                "name": f"Batch dealer {index}", "is_company": True, "channel_role": "dealer",
                "channel_state": "active", "channel_join_date": today - timedelta(days=400),
            }
            for index in range(5)
        ])
        cls.cron = cls.env.ref("channel_base.ir_cron_schedule_care_activities")
        cls.call_type = cls.env.ref("channel_base.mail_activity_type_dealer_call")

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", self.dealers.ids),
             ("activity_type_id", "=", self.call_type.id)]
        )

    def test_run_batches_outside_cron_is_one_transaction(self):
        seen = []
        result = self.env["channel.batch"]._run_batches(
            self.dealers, lambda batch: seen.append(batch.ids), batch_size=2
        )
        self.assertIsNone(result)
        self.assertEqual(seen, [self.dealers[:2].ids, self.dealers[2:4].ids, self.dealers[4:].ids])

    def test_progress_notified_in_cron(self):
        Partner = self.env["res.partner"]
        _result, progress = self.run_as_cron(Partner, "_cron_schedule_care_activities", batch_size=2, cron=self.cron)
        self.assertEqual(len(self._activities()), 5)
        self.assertEqual(progress.remaining, 0)
        self.assertGreaterEqual(progress.done, 5)

    def test_killed_run_then_rerun_gives_one_clean_run(self):
        """Killed in the 2nd batch (after its activities were written): the 1st batch stays, the 2nd is
        rolled back; the next run completes the work, exactly one activity per dealer."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        # Only our dealers are overdue-checked in order: other dealers of the database come in the same
        # run, so count what one clean run gives for ours.
        self.run_killed_as_cron(
            {"model": "res.partner", "method": "_schedule_care_activities", "n": 2},
            Partner, "_cron_schedule_care_activities", batch_size=2, cron=self.cron,
        )
        partial = self._activities()
        self.assertLessEqual(len(partial), 2, "Only the first batch (2 dealers at most) is kept")
        self.run_as_cron(Partner, "_cron_schedule_care_activities", batch_size=2, cron=self.cron)
        activities = self._activities()
        self.assertEqual(len(activities), 5)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(self.dealers.ids))
        self.assertTrue(partial <= activities, "The batches done before the kill are kept")

    def test_second_run_at_once_is_refused(self):
        with self.lock_held_elsewhere("channel_base.care_activities"):
            with self.assertRaisesRegex(UserError, "already running"):
                self.env["res.partner"]._cron_schedule_care_activities()
        self.assertFalse(self._activities(), "Nothing was created by the refused run")
        # Once the other run is over, the job runs.
        self.env["res.partner"]._cron_schedule_care_activities()
        self.assertEqual(len(self._activities()), 5)
