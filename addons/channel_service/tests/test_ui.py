from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestServicePhone(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        desk = new_test_user(cls.env, login="svc_tour_desk", name="Tour Logistics Desk", groups="base.group_user")
        salesman = new_test_user(
            cls.env, login="svc_tour_sales", name="Tour Salesman", email="tour.sales@example.com",
            groups="channel_base.group_channel_user",
        )
        cls.env["channel.service.type"].create({
            "name": "Tour logistics", "department": "Logistics", "user_id": desk.id,
            "phone": "+86 571 8600 2003", "email": "a.rather.long.logistics.address@manufacturer.example.com",
            "response_hours": 4, "resolution_hours": 48,
        })
        dealer = cls.env["res.partner"].create({
            "name": "Tour Service Dealer", "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "user_id": salesman.id,
        })
        contact = cls.env["res.partner"].create({
            "name": "Tour Boss", "parent_id": dealer.id, "email": "tour.boss@example.com",
        })
        new_test_user(
            cls.env, login="svc_tour_dealer", password="svc_tour_dealer", groups="base.group_portal",
            partner_id=contact.id,
        )

    def test_phone_flow(self):
        self.start_tour("/my/channel/requests", "channel_service_phone_tour", login="svc_tour_dealer")
        request = self.env["channel.service.request"].search([("subject", "=", "Six cartons broken")])
        self.assertEqual(request.partner_id.name, "Tour Service Dealer")
        self.assertEqual(request.user_id.name, "Tour Logistics Desk")
