import io
import re

from PIL import Image

from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ChannelServiceCommon


@tagged("post_install", "-at_install")
class TestServicePortal(ChannelServiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]

        def portal_user(login, company):
            contact = Partner.create({
                "name": f"{login} boss", "parent_id": company.id, "email": f"{login}@example.com",
            })
            return new_test_user(
                cls.env, login=login, password=login, groups="base.group_portal", partner_id=contact.id
            )

        cls.portal_a = portal_user("svc_portal_a", cls.dealer)
        cls.portal_b = portal_user("svc_portal_b", cls.dealer_b)
        cls.portal_prospect = portal_user("svc_portal_prospect", cls.prospect)
        cls.terminated = Partner.create({
            "name": "Service Terminated", "is_company": True, "channel_role": "dealer", "channel_state": "terminated",
        })
        cls.portal_terminated = portal_user("svc_portal_terminated", cls.terminated)
        cls.staff["salesman"].write({"phone": "+86 139 0000 0001"})
        buffer = io.BytesIO()
        Image.new("RGB", (2, 2), (200, 0, 0)).save(buffer, format="PNG")
        cls.png = buffer.getvalue()

    def _submit(self, data, files=None):
        return self.url_open(
            "/my/channel/requests/submit", data=dict(data, csrf_token=Request.csrf_token(self)), files=files
        )

    def _requests(self, partner):
        return self.env["channel.service.request"].search([("partner_id", "=", partner.id)])

    def test_dealer_files_a_request_routed_with_its_sla(self):
        self.authenticate("svc_portal_a", "svc_portal_a")
        form = self.url_open("/my/channel/requests/new")
        self.assertEqual(form.status_code, 200)
        for service_type in (self.type_order, self.type_payment, self.type_support):
            self.assertIn(service_type.name, form.text)
        response = self._submit(
            {
                "type_id": self.type_payment.id, "subject": "Payment sent on Monday",
                "description": "58,000 by transfer",
                # forged: never taken from the portal
                "partner_id": self.dealer_b.id, "user_id": self.staff["other_staff"].id, "state": "done",
                "date_deadline": "2030-01-01 00:00:00",
            },
            files=[("attachments", ("receipt.png", self.png, "image/png"))],
        )
        self.assertEqual(response.status_code, 200)
        request = self._requests(self.dealer)
        self.assertEqual(len(request), 1)
        self.assertFalse(self._requests(self.dealer_b))
        self.assertEqual(request.type_id, self.type_payment)
        self.assertEqual(request.user_id, self.staff["finance"])
        self.assertEqual(request.state, "new")
        self.assertEqual(request.contact_partner_id, self.portal_a.partner_id)
        self.assertEqual(request.description, "58,000 by transfer")
        self.assertEqual(request.date_deadline, self._after(request, 24))
        attachments = self.env["ir.attachment"].search([
            ("res_model", "=", "channel.service.request"), ("res_id", "=", request.id),
        ])
        self.assertEqual(attachments.mapped("name"), ["receipt.png"])
        self.assertEqual(attachments.mimetype, "image/png")
        self.assertIn(self.portal_a.partner_id, request.message_partner_ids)
        # The detail page after the redirect: the request and its chatter.
        self.assertIn(request.name, response.text)
        self.assertIn("o_service_created", response.text)
        self.assertIn('data-res_model="channel.service.request"', response.text)
        listing = self.url_open("/my/channel/requests?filterby=open")
        self.assertEqual(listing.text.count("o_service_request_row"), 1)
        self.assertEqual(self.url_open("/my/channel/requests?filterby=done").text.count("o_service_request_row"), 0)

    def test_invalid_submissions_save_nothing(self):
        self.authenticate("svc_portal_a", "svc_portal_a")
        cases = [
            ({"type_id": 0, "subject": "No type"}, None, "Choose the kind of request."),
            ({"type_id": self.type_order.id, "subject": "  "}, None, "Give your request a subject."),
            ({"type_id": self.type_order.id, "subject": "Exe"},
             [("attachments", ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/octet-stream"))],
             "is not a photo"),
            ({"type_id": self.type_order.id, "subject": "Many"},
             [("attachments", (f"p{i}.png", self.png, "image/png")) for i in range(6)], "at most 5 files"),
        ]
        for data, files, message in cases:
            with mute_logger("odoo.http"):
                response = self._submit(data, files)
            self.assertEqual(response.status_code, 400, message)
            self.assertIn(message, response.text)
        self.assertFalse(self._requests(self.dealer))

    def test_prospect_files_only_types_open_to_prospects(self):
        self.authenticate("svc_portal_prospect", "svc_portal_prospect")
        self.assertEqual(self.url_open("/my/channel/requests").status_code, 200)
        form = self.url_open("/my/channel/requests/new")
        self.assertIn(self.type_support.name, form.text)
        self.assertNotIn(self.type_payment.name, form.text)
        with mute_logger("odoo.http"):
            refused = self._submit({"type_id": self.type_payment.id, "subject": "Credit terms?"})
        self.assertEqual(refused.status_code, 400)
        self.assertFalse(self._requests(self.prospect))
        self._submit({"type_id": self.type_support.id, "subject": "Storage temperature?"})
        request = self._requests(self.prospect)
        self.assertEqual(request.user_id, self.staff["support"])
        contacts = self.url_open("/my/channel/contacts")
        self.assertEqual(contacts.status_code, 200)
        self.assertEqual(contacts.text.count("o_service_contact_name"), 1)

    def test_terminated_member_and_outsider_refused(self):
        self.authenticate("svc_portal_terminated", "svc_portal_terminated")
        for url in ("/my/channel/requests", "/my/channel/contacts", "/my/channel/requests/new"):
            with mute_logger("odoo.http"):
                self.assertEqual(self.url_open(url).status_code, 403, url)
        with mute_logger("odoo.http"):
            self.assertEqual(self._submit({"type_id": self.type_order.id, "subject": "x"}).status_code, 403)
        self.assertFalse(self._requests(self.terminated))

    def test_contacts_page_lists_who_handles_what(self):
        self.type_order.write({"description": "Orders and changes"})
        self.authenticate("svc_portal_a", "svc_portal_a")
        page = self.url_open("/my/channel/contacts")
        self.assertEqual(page.status_code, 200)
        html = page.text
        self.assertEqual(html.count("o_service_contact_name"), 4)
        self.assertIn("Service order", html)  # the responsible
        self.assertIn("Sales Office", html)
        self.assertIn("+86 571 1000", html)  # the type's phone
        self.assertIn("finance@example.com", html)  # the type's e-mail
        self.assertIn("svc_support@example.com", html)  # no e-mail on the type: its responsible's
        self.assertEqual(re.findall(r'o_service_contact_response">([^<]*)<', html), ["2 h", "4 h", "8 h", "-"])
        self.assertEqual(
            re.findall(r'o_service_contact_resolution">([^<]*)<', html), ["1 day", "1 day", "3 days", "2 days"]
        )
        # The dealer's own salesperson, then cards only (phone width: no wide table).
        self.assertIn("o_service_contact_salesperson", html)
        self.assertIn("+86 139 0000 0001", html)
        self.assertNotIn("<table", html)
        self.assertNotIn(self.env["channel.service.type"].with_context(active_test=False).search(
            [("active", "=", False)], limit=1).name or "-never-", html)

    def test_detail_page_and_dealer_answer(self):
        request = self._request(subject="Broken cartons")
        other = self._request(partner=self.dealer_b, subject="Secret of B")
        self.authenticate("svc_portal_a", "svc_portal_a")
        page = self.url_open(f"/my/channel/requests/{request.id}")
        self.assertIn("Broken cartons", page.text)
        self.assertIn("Service order", page.text)
        foreign = self.url_open(f"/my/channel/requests/{other.id}")
        self.assertNotIn("Secret of B", foreign.text)
        # The dealer answers in the chatter of its own request, not in another dealer's.
        answer = self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "channel.service.request", "thread_id": request.id,
            "post_data": {"body": "Photos sent", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
        })
        self.assertTrue(answer)
        self.assertIn("Photos sent", request.message_ids[0].body)
        self.assertFalse(request.date_responded)  # a dealer's message is no response
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/mail/message/post", {
                "thread_model": "channel.service.request", "thread_id": other.id,
                "post_data": {"body": "Intrusion", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
            })
        self.assertFalse(other.message_ids.filtered(lambda m: "Intrusion" in (m.body or "")))

    def test_home_counter_and_cockpit_card(self):
        for index in range(4):
            self._request(subject=f"Question {index}")
        self._request(subject="Closed one").action_cancel()
        self.authenticate("svc_portal_a", "svc_portal_a")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["service_request_count"]})
        self.assertEqual(counters["service_request_count"], 4)
        cockpit = self.url_open("/my/channel")
        self.assertIn("o_channel_card_requests", cockpit.text)
        self.assertIn('<span class="o_channel_card_requests_open">4</span>', cockpit.text)
        self.assertEqual(cockpit.text.count("o_channel_card_requests_row"), 3)
        self.assertIn("Closed one", cockpit.text)  # the latest, whatever its state

    def test_cockpit_card_queries_do_not_grow_with_requests(self):
        partner = self.dealer.with_user(self.portal_a)

        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            card = next(c for c in partner._channel_cockpit_cards() if c["name"] == "requests")
            card["latest"].mapped("state")
            card["latest"].mapped("subject")
            return self.env.cr.sql_log_count - before, card

        self._request()
        count()  # warm
        one, card = count()
        self.assertEqual(card["open_count"], 1)
        for index in range(30):
            self._request(subject=f"More {index}")
        many, card = count()
        self.assertEqual(card["open_count"], 31)
        self.assertEqual(len(card["latest"]), 3)
        self.assertEqual(one, many)

    def test_request_list_queries_do_not_grow_with_rows(self):
        for index in range(3):
            self._request(subject=f"Small {index}", service_type=self.type_order)
        self.authenticate("svc_portal_a", "svc_portal_a")

        def count():
            self.url_open("/my/channel/requests")  # warm the caches
            before = self.cr.sql_log_count
            response = self.url_open("/my/channel/requests")
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - before, response

        small, _response = count()
        for index in range(15):
            self._request(subject=f"Large {index}", service_type=(self.type_payment, self.type_support)[index % 2])
        large, response = count()
        self.assertEqual(response.text.count("o_service_request_row"), 18)
        self.assertLessEqual(large, small + 2, f"{small} queries for 3 rows, {large} for 18")
