from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ChannelServiceCommon


@tagged("post_install", "-at_install")
class TestServiceAccess(ChannelServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = cls.env["res.partner"].create({"name": "Access boss", "parent_id": cls.dealer.id})
        cls.portal = new_test_user(
            cls.env, login="svc_access_portal", groups="base.group_portal", partner_id=contact.id
        )
        cls.req_a = cls._request(service_type=cls.type_order)
        cls.req_pay = cls._request(service_type=cls.type_payment)
        cls.req_b = cls._request(partner=cls.dealer_b, service_type=cls.type_support)

    def _visible(self, user):
        requests = self.req_a | self.req_pay | self.req_b
        return self.env["channel.service.request"].with_user(user).search([("id", "in", requests.ids)])

    def test_staff_see_the_requests_they_follow_up(self):
        self.assertEqual(self._visible(self.staff["order"]), self.req_a)
        self.assertEqual(self._visible(self.staff["finance"]), self.req_pay)  # an employee outside the channel groups
        self.assertEqual(self._visible(self.staff["type_manager"]), self.req_pay)
        self.assertEqual(self._visible(self.staff["support"]), self.req_b)
        self.assertEqual(self._visible(self.staff["salesman"]), self.req_a | self.req_pay)
        # The manager of the region sees its city's requests.
        self.assertEqual(self._visible(self.staff["territory_manager"]), self.req_a | self.req_pay)
        self.assertFalse(self._visible(self.staff["other_staff"]))
        self.assertEqual(self._visible(self.staff["channel_manager"]), self.req_a | self.req_pay | self.req_b)
        with self.assertRaises(AccessError):
            self.req_b.with_user(self.staff["order"]).read(["subject"])
        # The responsible handles its request; only channel managers configure types.
        self.req_pay.with_user(self.staff["finance"]).action_start()
        self.assertEqual(self.req_pay.state, "in_progress")
        with self.assertRaises(AccessError):
            self.type_order.with_user(self.staff["order"]).write({"response_hours": 100})
        self.type_order.with_user(self.staff["channel_manager"]).write({"response_hours": 3})
        with self.assertRaises(AccessError):
            self.env["channel.service.type"].with_user(self.staff["order"]).create({"name": "Mine"})

    def test_sla_report_follows_the_same_scope(self):
        self.env.flush_all()
        Report = self.env["channel.service.sla.report"]
        ids = (self.req_a | self.req_pay | self.req_b).ids
        self.assertEqual(
            set(Report.with_user(self.staff["salesman"]).search([("request_id", "in", ids)]).request_id.ids),
            set((self.req_a | self.req_pay).ids),
        )
        self.assertEqual(len(Report.with_user(self.staff["channel_manager"]).search([("request_id", "in", ids)])), 3)

    @mute_logger("odoo.models")
    def test_portal_reads_its_own_requests_and_writes_nothing(self):
        Request = self.env["channel.service.request"].with_user(self.portal)
        self.assertEqual(self._visible(self.portal), self.req_a | self.req_pay)
        with self.assertRaises(AccessError):
            Request.browse(self.req_b.id).read(["subject"])
        with self.assertRaises(AccessError):
            Request.create({"partner_id": self.dealer.id, "type_id": self.type_order.id, "subject": "Forged"})
        for vals in ({"state": "done"}, {"user_id": self.staff["other_staff"].id}, {"subject": "Changed"}):
            with self.assertRaises(AccessError):
                Request.browse(self.req_a.id).write(vals)
        with self.assertRaises(AccessError):
            Request.browse(self.req_a.id).action_done()
        with self.assertRaises(AccessError):
            self.env["channel.service.type"].with_user(self.portal).create({"name": "Forged type"})
        self.assertEqual(self.req_a.state, "new")
        self.assertEqual(self.req_a.user_id, self.staff["order"])
        self.assertEqual(self._visible(self.staff["channel_manager"]).mapped("subject").count("Forged"), 0)
