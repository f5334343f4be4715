from freezegun import freeze_time

from odoo.tests import tagged

from .common import ChannelServiceCommon


@tagged("post_install", "-at_install")
class TestSla(ChannelServiceCommon):
    def _escalations(self, requests):
        return self.env["mail.activity"].search([
            ("res_model", "=", "channel.service.request"),
            ("res_id", "in", requests.ids),
            ("activity_type_id", "=", self.env.ref("channel_service.mail_activity_type_service_escalation").id),
        ])

    def test_unanswered_request_escalates_once_to_the_type_manager(self):
        request = self._request(service_type=self.type_payment)
        on_time = self._request(service_type=self.type_payment)
        Request = self.env["channel.service.request"]
        with freeze_time(self._after(request, 1)):
            on_time.action_start()
            self.assertFalse(Request._cron_check_sla())
        with freeze_time(self._after(request, 5)):
            overdue = Request.search([("is_overdue", "=", True), ("id", "in", (request | on_time).ids)])
            self.assertEqual(overdue, request)
            activities = Request._cron_check_sla()
        self.assertEqual(activities, self._escalations(request))
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.staff["type_manager"])
        self.assertIn(request.name, activities.summary)
        self.assertTrue(request.sla_breached)
        self.assertFalse(on_time.sla_breached)
        self.assertEqual(request.escalation_user_id, self.staff["type_manager"])
        self.assertTrue(request.date_escalated)
        self.assertIn("escalated to Service type_manager", request.message_ids[0].body)
        # The next runs escalate nothing more (once per request), even once the resolution is late too.
        with freeze_time(self._after(request, 30)):
            self.assertTrue(on_time.is_overdue)
            self.assertEqual(Request._cron_check_sla().mapped("res_id"), on_time.ids)
            self.assertFalse(Request._cron_check_sla())
        self.assertEqual(len(self._escalations(request)), 1)
        self.assertTrue(on_time.sla_breached)

    def test_escalation_without_type_manager_goes_to_territory_manager(self):
        request = self._request(service_type=self.type_order)
        elsewhere = self._request(partner=self.dealer_b, service_type=self.type_order)
        with freeze_time(self._after(request, 3)):
            activities = self.env["channel.service.request"]._cron_check_sla()
        self.assertEqual(len(activities), 2)
        # The dealer's city has no manager: its region's; the other territory has none: the responsible.
        self.assertEqual(self._escalations(request).user_id, self.staff["territory_manager"])
        self.assertEqual(self._escalations(elsewhere).user_id, self.staff["order"])

    def test_kept_sla_times_and_breach_on_state_change(self):
        kept = self._request(service_type=self.type_order)
        late = self._request(service_type=self.type_order)
        with freeze_time(self._after(kept, 1.5)):
            kept.action_start()
        with freeze_time(self._after(kept, 10)):
            kept.action_done()
            late.action_start()
        self.assertFalse(kept.sla_breached)
        self.assertAlmostEqual(kept.response_time, 1.5, places=3)
        self.assertAlmostEqual(kept.resolution_time, 10.0, places=3)
        # Taken in hand after the 2 h response time: breached at once, without waiting for the cron.
        self.assertTrue(late.sla_breached)
        self.assertAlmostEqual(late.response_time, 10.0, places=3)

    def test_done_closes_the_escalation_and_late_resolution_is_breached(self):
        request = self._request(service_type=self.type_order)
        with freeze_time(self._after(request, 3)):
            self.env["channel.service.request"]._cron_check_sla()
        self.assertEqual(len(self._escalations(request)), 1)
        with freeze_time(self._after(request, 30)):
            request.action_done()
        self.assertFalse(self._escalations(request))
        self.assertTrue(request.sla_breached)
        self.assertAlmostEqual(request.resolution_time, 30.0, places=3)

    def test_staff_answer_in_chatter_dates_the_response(self):
        request = self._request(service_type=self.type_support)
        portal_user = self.env["res.users"].create({
            "name": "Dealer Boss", "login": "svc_sla_portal", "partner_id": self.dealer_contact.id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
        })
        with freeze_time(self._after(request, 1)):
            request.with_user(portal_user).message_post(
                body="Any news?", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            request.with_user(self.staff["support"]).message_post(body="Internal", subtype_xmlid="mail.mt_note")
        self.assertFalse(request.date_responded)
        with freeze_time(self._after(request, 2)):
            request.with_user(self.staff["support"]).message_post(
                body="We look into it.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertAlmostEqual(request.response_time, 2.0, places=3)
        self.assertEqual(request.state, "new")
        with freeze_time(self._after(request, 9)):
            self.env["channel.service.request"]._cron_check_sla()
        self.assertFalse(request.sla_breached)

    def test_sla_report_by_type_and_department(self):
        kept = self._request(service_type=self.type_order)
        late = self._request(service_type=self.type_order)
        other = self._request(service_type=self.type_payment)
        cancelled = self._request(service_type=self.type_payment)
        with freeze_time(self._after(kept, 1)):
            kept.action_done()
            cancelled.action_cancel()
        with freeze_time(self._after(kept, 5)):
            late.action_start()
            other.action_start()
        self.env.flush_all()
        groups = self.env["channel.service.sla.report"]._read_group(
            [("type_id", "in", (self.type_order | self.type_payment).ids)],
            ["department", "type_id"],
            ["request_count:sum", "breached_count:sum", "kept_rate:avg", "response_time:avg", "resolution_time:avg"],
        )
        figures = {(dep, stype): rest for dep, stype, *rest in groups}
        count, breached, rate, response, resolution = figures[("Sales Office", self.type_order)]
        self.assertEqual((count, breached), (2, 1))
        self.assertAlmostEqual(rate, 50.0)
        self.assertAlmostEqual(response, 3.0, places=3)  # (1 + 5) / 2
        self.assertAlmostEqual(resolution, 1.0, places=3)  # the done one only
        count, breached, rate, response, resolution = figures[("Finance", self.type_payment)]
        self.assertEqual((count, breached), (1, 1))  # the cancelled request is left out
        self.assertAlmostEqual(rate, 0.0)
        self.assertAlmostEqual(response, 5.0, places=3)
        self.assertFalse(resolution)
