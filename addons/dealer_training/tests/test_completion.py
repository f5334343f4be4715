from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingCompletion(DealerTrainingCommon):
    def test_done_by_course_completion(self):
        status = self.statuses(self.sales_a, slide_channel_id=self.course_profit)
        self.assertEqual(status.state, "todo")
        self.complete_course(self.sales_a, self.course_profit)
        self.assertEqual(status.state, "done")
        self.assertEqual(status.done_date, self.today)
        self.assertFalse(status.expiry_date, "Validity 0 means forever")

    def test_done_by_certification(self):
        status = self.statuses(self.owner_a, survey_id=self.survey)
        self.pass_certification(self.owner_a, correct=False)
        self.assertEqual(status.state, "todo", "A failed attempt does not count")
        self.pass_certification(self.owner_a)
        self.assertEqual(status.state, "done")
        self.assertEqual(status.expiry_date, self.today + relativedelta(months=12))

    def test_done_by_attendance(self):
        requirement = self.env["dealer.training.requirement"].create({
            "name": "Sales: people", "job_role": "sales", "slide_channel_ids": [Command.link(self.course_people.id)],
        })
        status = self.statuses(self.sales_a, requirement_id=requirement)
        registration = self.env["event.registration"].create({"event_id": self.event.id, "partner_id": self.sales_a.id})
        self.assertEqual(status.state, "todo", "Registering is not attending")
        registration.action_set_done()
        self.assertEqual(status.state, "done")
        self.assertEqual(
            status.done_date, fields.Datetime.context_timestamp(status, self.event.date_end).date(),
            "Attendance marked after the session counts from the session",
        )

    def test_attendance_before_requirement_counts(self):
        registration = self.env["event.registration"].create({"event_id": self.event.id, "partner_id": self.sales_b.id})
        registration.action_set_done()
        requirement = self.env["dealer.training.requirement"].create({
            "name": "Sales: people", "job_role": "sales", "slide_channel_ids": [Command.link(self.course_people.id)],
        })
        self.assertEqual(self.statuses(self.sales_b, requirement_id=requirement).state, "done")

    def test_session_linked_from_the_course(self):
        session = self.env["event.event"].create({
            "name": "Finance workshop", "date_begin": self.event.date_begin, "date_end": self.event.date_end,
        })
        self.env["event.registration"].create({"event_id": session.id, "partner_id": self.owner_a.id}).action_set_done()
        status = self.statuses(self.owner_a, slide_channel_id=self.course_finance)
        self.assertEqual(status.state, "todo")
        self.course_finance.training_event_ids = [Command.link(session.id)]
        self.assertEqual(status.state, "done")
        self.assertEqual(session.training_channel_ids, self.course_finance)

    def test_dates_set_by_hand(self):
        status = self.statuses(self.sales_a, slide_channel_id=self.course_profit)
        status.due_date = self.today - timedelta(days=1)
        self.assertEqual(status.state, "overdue")
        status.sudo().done_date = self.today
        self.assertEqual(status.state, "done")

    def test_overdue(self):
        status = self.statuses(self.sales_a, slide_channel_id=self.course_profit)
        status.due_date = self.today - timedelta(days=1)
        self.env["dealer.training.status"]._cron_refresh_states()
        self.assertEqual(status.state, "overdue")
        self.complete_course(self.sales_a, self.course_profit)
        self.assertEqual(status.state, "done", "Completing late still completes")

    def test_no_deadline(self):
        self.req_all.due_days = 0
        status = self.statuses(self.sales_a, slide_channel_id=self.course_profit)
        self.assertFalse(status.due_date)
        self.env["dealer.training.status"]._cron_refresh_states()
        self.assertEqual(status.state, "todo")

    def test_expiry(self):
        status = self.statuses(self.owner_a, survey_id=self.survey)
        user_input = self.pass_certification(self.owner_a)
        self.assertEqual(status.state, "done")
        # the certification was passed 13 months ago: valid 12 months
        user_input.end_datetime = user_input.end_datetime - relativedelta(months=13)
        status.sudo().write({"done_date": False})
        status._refresh_state()
        self.assertEqual(status.state, "expired")
        self.assertLess(status.expiry_date, self.today)
        self.pass_certification(self.owner_a)
        self.assertEqual(status.state, "done", "Passing again renews the certification")

    def test_expired_by_cron(self):
        status = self.statuses(self.owner_a, slide_channel_id=self.course_finance)
        status.sudo().write({"done_date": self.today - relativedelta(months=13)})
        self.env["dealer.training.status"]._cron_refresh_states()
        self.assertEqual(status.state, "expired")
        self.assertEqual(status.expiry_date, self.today - relativedelta(months=1))

    def test_validity_change_redates(self):
        status = self.statuses(self.owner_a, survey_id=self.survey)
        self.pass_certification(self.owner_a)
        self.req_gold_owner.validity_months = 24
        self.assertEqual(status.expiry_date, self.today + relativedelta(months=24))

    def test_mark_done_by_manager(self):
        status = self.statuses(self.sales_a, slide_channel_id=self.course_profit)
        status.with_user(self.user_manager).action_mark_done()
        self.assertEqual(status.state, "done")
