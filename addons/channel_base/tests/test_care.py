from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ChannelBaseCommon


@tagged("post_install", "-at_install")
class TestCare(ChannelBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("channel_base.care_call_days", 31)
        params.set_param("channel_base.care_visit_days", 61)
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.salesman = new_test_user(cls.env, login="care_salesman", groups="channel_base.group_channel_user")
        cls.manager = new_test_user(cls.env, login="care_manager", groups="channel_base.group_channel_user")
        cls.territory_zj.manager_id = cls.manager
        Partner = cls.env["res.partner"]

        def dealer(name, call, visit, **vals):
            return Partner.create({
                "name": name, "is_company": True, "channel_role": "dealer", "channel_state": "active",
                "channel_join_date": cls.today - timedelta(days=400),
                "last_call_date": call and cls.today - timedelta(days=call),
                "last_visit_date": visit and cls.today - timedelta(days=visit),
                **vals,
            })

        cls.cared = dealer("Cared for", 3, 20, user_id=cls.salesman.id)
        cls.not_called = dealer("Not called", 40, 20, user_id=cls.salesman.id)
        cls.not_visited = dealer("Not visited", 10, 70, channel_territory_id=cls.territory_hz.id)
        cls.never = dealer("Never cared for", False, False)
        cls.new = dealer("New dealer", False, False, channel_join_date=cls.today - timedelta(days=5))
        cls.suspended = dealer("Suspended", 100, 100, channel_state="suspended")
        cls.mine = cls.cared | cls.not_called | cls.not_visited | cls.never | cls.new | cls.suspended
        cls.call_type = cls.env.ref("channel_base.mail_activity_type_dealer_call")
        cls.visit_type = cls.env.ref("channel_base.mail_activity_type_dealer_visit")

    def _activities(self, partners):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"),
            ("res_id", "in", partners.ids),
            ("activity_type_id", "in", (self.call_type | self.visit_type).ids),
        ])

    def test_care_overdue_compute(self):
        overdue = self.mine.filtered("care_overdue")
        self.assertEqual(overdue, self.not_called | self.not_visited | self.never)
        # A distributor is never overdue.
        self.assertFalse(self.distributor.care_overdue)
        # Exactly on the limit is not yet overdue; one day more is.
        self.cared.last_call_date = self.today - timedelta(days=31)
        self.assertFalse(self.cared.care_overdue)
        self.cared.last_call_date = self.today - timedelta(days=32)
        self.assertTrue(self.cared.care_overdue)

    def test_care_overdue_search(self):
        Partner = self.env["res.partner"]
        mine = [("id", "in", self.mine.ids)]
        expected = self.not_called | self.not_visited | self.never
        self.assertEqual(Partner.search(mine + [("care_overdue", "=", True)]), expected)
        self.assertEqual(Partner.search(mine + [("care_overdue", "!=", False)]), expected)
        self.assertEqual(Partner.search(mine + [("care_overdue", "=", False)]), self.mine - expected)
        self.assertEqual(Partner.search(mine + [("care_overdue", "!=", True)]), self.mine - expected)
        # Search and compute agree.
        self.assertEqual(Partner.search(mine + [("care_overdue", "=", True)]), self.mine.filtered("care_overdue"))

    def test_care_intervals_from_settings(self):
        settings = self.env["res.config.settings"].create({
            "channel_care_call_days": 2, "channel_care_visit_days": 61,
        })
        settings.set_values()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("channel_base.care_call_days"), "2")
        self.mine.invalidate_recordset(["care_overdue"])
        self.assertTrue(self.cared.care_overdue)  # called 3 days ago
        self.assertTrue(self.new.care_overdue)  # joined 5 days ago, never called
        self.assertEqual(
            self.env["res.partner"].search([("id", "in", self.mine.ids), ("care_overdue", "=", True)]),
            self.mine - self.suspended,
        )
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"channel_care_call_days": 0})

    def test_cron_schedules_one_activity_per_overdue_dealer(self):
        self.env["res.partner"]._cron_schedule_care_activities()
        activities = self._activities(self.mine)
        self.assertEqual(len(activities), 3)
        by_partner = {a.res_id: a for a in activities}
        self.assertEqual(set(by_partner), set((self.not_called | self.not_visited | self.never).ids))
        self.assertEqual(by_partner[self.not_called.id].activity_type_id, self.call_type)
        self.assertEqual(by_partner[self.not_called.id].user_id, self.salesman)
        self.assertEqual(by_partner[self.not_visited.id].activity_type_id, self.visit_type)
        # No salesperson: the manager of the territory's parent.
        self.assertEqual(by_partner[self.not_visited.id].user_id, self.manager)
        self.assertEqual(by_partner[self.never.id].activity_type_id, self.call_type)
        self.assertEqual(by_partner[self.never.id].date_deadline, self.today)

        # A second run while those are open schedules nothing more.
        self.env["res.partner"]._cron_schedule_care_activities()
        self.assertEqual(self._activities(self.mine), activities)

    def test_cron_skips_dealer_with_open_visit(self):
        self.not_called.activity_schedule(
            "channel_base.mail_activity_type_dealer_visit", user_id=self.salesman.id
        )
        self.env["res.partner"]._cron_schedule_care_activities(batch_size=1)
        activities = self._activities(self.not_called)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.activity_type_id, self.visit_type)
        self.assertEqual(len(self._activities(self.mine)), 3)

    def test_done_activity_dates_the_care(self):
        self.env["res.partner"]._cron_schedule_care_activities()
        call = self._activities(self.not_called)
        visit = self._activities(self.not_visited)
        # The salesperson marks the call done.
        call.with_user(self.salesman).action_feedback(feedback="Ordered next month's stock")
        self.assertEqual(self.not_called.last_call_date, self.today)
        self.assertFalse(self.not_called.care_overdue)
        visit.action_done()
        self.assertEqual(self.not_visited.last_visit_date, self.today)
        self.assertEqual(self.not_visited.last_call_date, self.today - timedelta(days=10))
        self.assertFalse(self._activities(self.not_called | self.not_visited))
        # Another activity type changes nothing.
        todo = self.cared.activity_schedule("mail.mail_activity_data_todo", user_id=self.salesman.id)
        before = (self.cared.last_call_date, self.cared.last_visit_date)
        todo.action_done()
        self.assertEqual((self.cared.last_call_date, self.cared.last_visit_date), before)
        # Next run: the dealers that are cared for again get nothing new.
        self.env["res.partner"]._cron_schedule_care_activities()
        self.assertFalse(self._activities(self.not_called | self.not_visited))

    def test_done_on_a_contact_dates_its_company(self):
        contact = self.env["res.partner"].create({"name": "Never's boss", "parent_id": self.never.id})
        activity = contact.activity_schedule("channel_base.mail_activity_type_dealer_visit", user_id=self.salesman.id)
        activity.with_user(self.salesman).action_done()
        self.assertEqual(self.never.last_visit_date, self.today)
        self.assertEqual(contact.last_visit_date, self.today)

    def test_cron_record(self):
        cron = self.env.ref("channel_base.ir_cron_schedule_care_activities")
        self.assertEqual(cron.interval_type, "days")
        cron.method_direct_trigger()
        self.assertEqual(len(self._activities(self.mine)), 3)
