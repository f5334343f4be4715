from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ChannelServiceCommon


@tagged("post_install", "-at_install")
class TestRouting(ChannelServiceCommon):
    def test_type_routes_to_its_responsible_with_its_deadlines(self):
        request = self._request(service_type=self.type_payment)
        self.assertEqual(request.user_id, self.staff["finance"])
        self.assertEqual(request.department, "Finance")
        self.assertEqual(request.state, "new")
        self.assertTrue(request.name.startswith("SR/"))
        self.assertEqual(request.date_response_deadline, request.create_date + timedelta(hours=4))
        self.assertEqual(request.date_deadline, request.create_date + timedelta(hours=24))
        self.assertFalse(request.sla_breached)
        self.assertEqual(request.territory_id, self.city)

    def test_contact_is_filed_on_its_company(self):
        request = self._request(partner=self.dealer_contact, contact_partner_id=self.dealer_contact.id)
        self.assertEqual(request.partner_id, self.dealer)
        self.assertEqual(request.contact_partner_id, self.dealer_contact)

    def test_type_without_responsible_goes_to_salesperson_then_territory_manager(self):
        self.assertEqual(self._request(service_type=self.type_free).user_id, self.staff["salesman"])
        # The prospect has no salesperson: the manager of its city's parent territory handles it.
        self.assertEqual(
            self._request(partner=self.prospect, service_type=self.type_free).user_id, self.staff["territory_manager"]
        )
        # No response time: only a resolution deadline.
        request = self._request(service_type=self.type_free)
        self.assertFalse(request.date_response_deadline)
        self.assertEqual(request.date_deadline, request.create_date + timedelta(hours=48))

    def test_change_of_type_reroutes_and_later_hours_keep_deadlines(self):
        request = self._request()
        self.assertEqual(request.user_id, self.staff["order"])
        request.type_id = self.type_support
        self.assertEqual(request.user_id, self.staff["support"])
        self.assertEqual(request.date_deadline, request.create_date + timedelta(hours=72))
        self.type_support.resolution_hours = 100
        self.assertEqual(request.date_deadline, request.create_date + timedelta(hours=72))

    def test_backend_form_and_state_flow(self):
        form = Form(self.env["channel.service.request"])
        form.partner_id = self.dealer
        form.type_id = self.type_order
        form.subject = "Change delivery date"
        self.assertEqual(form.user_id, self.staff["order"])
        request = form.save()
        request.action_start()
        self.assertEqual(request.state, "in_progress")
        self.assertTrue(request.date_responded)
        with self.assertRaises(UserError):
            request.action_start()
        request.action_done()
        self.assertEqual(request.state, "done")
        self.assertTrue(request.date_done)
        with self.assertRaises(UserError):
            request.action_cancel()
        request.action_reopen()
        self.assertEqual(request.state, "in_progress")
        self.assertFalse(request.date_done)
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")

    def test_type_hours_checked(self):
        with self.assertRaises(ValidationError):
            self.env["channel.service.type"].create({"name": "Bad", "response_hours": -1})
        with self.assertRaises(ValidationError):
            self.env["channel.service.type"].create({"name": "Bad", "response_hours": 48, "resolution_hours": 24})
        self.assertEqual(self.type_order.open_request_count, 0)
        self._request()
        self.type_order.invalidate_recordset(["open_request_count"])
        self.assertEqual(self.type_order.open_request_count, 1)

    def test_partner_counts_its_open_requests(self):
        self._request()
        self._request(partner=self.dealer_contact)
        self._request().action_cancel()
        self.assertEqual(self.dealer.channel_service_request_count, 2)
        self.assertEqual(self.dealer_contact.channel_service_request_count, 2)
        action = self.dealer_contact.action_view_channel_service_requests()
        self.assertEqual(len(self.env["channel.service.request"].search(action["domain"])), 3)
