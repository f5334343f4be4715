from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.channel_base.tests.common_batch import CronBatchMixin

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingStatusBatches(CronBatchMixin, DealerTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env["res.partner"].create([
            {"name": f"Batch sales {i}", "parent_id": cls.dealer_b.id, "channel_job_role": "sales"} for i in range(25)
        ])
        cls.requirement = cls.env["dealer.training.requirement"].create({
            "name": "Batch: people", "job_role": "sales", "tier_ids": [Command.link(cls.tier_silver.id)],
            "slide_channel_ids": [Command.link(cls.course_people.id)], "due_days": 30,
        })
        # staff added in a way that bypasses the triggers: the cron has to create their statuses
        cls.env["dealer.training.status"].search([("requirement_id", "=", cls.requirement.id)]).unlink()
        cls.env["slide.channel.partner"].search([("channel_id", "=", cls.course_people.id)]).unlink()
        cls.cron = cls.env.ref("dealer_training.ir_cron_refresh_training_states")

    def _snapshot(self):
        statuses = self.env["dealer.training.status"].search([("requirement_id", "=", self.requirement.id)])
        members = self.env["slide.channel.partner"].search([("channel_id", "=", self.course_people.id)])
        return (
            sorted((s.partner_id.id, s.item_key, s.state, str(s.due_date)) for s in statuses),
            sorted(members.partner_id.ids),
        )

    def test_killed_run_then_rerun(self):
        Status = self.env["dealer.training.status"]
        expected = self.clean_run(lambda: (Status._cron_refresh_states(batch_size=10), self._snapshot())[1])
        self.assertEqual(len(expected[0]), 26, "25 new sales and Sales B")
        self.assertEqual(len(expected[1]), 26, "all enrolled")
        self.run_killed_as_cron(
            {"model": "dealer.training.status", "method": "_enrol", "n": 2, "when": lambda records: bool(records)},
            Status, "_cron_refresh_states", batch_size=10, cron=self.cron,
        )
        statuses, members = self._snapshot()
        self.assertEqual(len(statuses), 10, "The first batch is kept whole, the killed one left nothing")
        self.assertEqual(len(members), 10, "Every kept status has its enrolment")
        self.run_as_cron(Status, "_cron_refresh_states", batch_size=10, cron=self.cron)
        self.assertEqual(self._snapshot(), expected)

    def test_cron_and_apply_now_at_once(self):
        Status = self.env["dealer.training.status"]
        with self.lock_held_elsewhere(Status._training_lock_name()):
            with self.assertRaisesRegex(UserError, "already running"):
                self.requirement.with_user(self.user_manager).action_apply()
            with self.assertRaisesRegex(UserError, "already running"):
                Status._cron_refresh_states()
        self.assertEqual(self._snapshot(), ([], []))
        self.requirement.with_user(self.user_manager).action_apply()
        self.assertEqual(len(self._snapshot()[0]), 26)
