from datetime import timedelta

from odoo.tests import TransactionCase, new_test_user


class ChannelServiceCommon(TransactionCase):
    """Types, staff and channel members of their own, independent of the demo data (whose types are
    archived)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nosubscribe=True))
        cls.env["channel.service.request"].search([]).unlink()
        cls.env["channel.service.type"].search([]).active = False
        cls.staff = {}
        for key, groups in (
            ("order", "channel_base.group_channel_user"),
            ("finance", "base.group_user"),
            ("support", "channel_base.group_channel_user"),
            ("type_manager", "channel_base.group_channel_user"),
            ("territory_manager", "channel_base.group_channel_user"),
            ("salesman", "channel_base.group_channel_user"),
            ("other_staff", "channel_base.group_channel_user"),
            ("channel_manager", "channel_base.group_channel_manager"),
        ):
            cls.staff[key] = new_test_user(
                cls.env, login=f"svc_{key}", name=f"Service {key}", email=f"svc_{key}@example.com", groups=groups
            )
        Territory = cls.env["channel.territory"]
        cls.region = Territory.create({
            "name": "Service Region", "code": "SVC-R", "manager_id": cls.staff["territory_manager"].id,
        })
        cls.city = Territory.create({
            "name": "Service City", "code": "SVC-C", "level": "city", "parent_id": cls.region.id,
        })
        cls.elsewhere = Territory.create({"name": "Service Elsewhere", "code": "SVC-E"})
        Partner = cls.env["res.partner"]
        member = {"is_company": True, "channel_role": "dealer", "channel_state": "active"}
        cls.dealer = Partner.create(dict(
            member, name="Service Dealer", channel_territory_id=cls.city.id, user_id=cls.staff["salesman"].id,
        ))
        cls.dealer_b = Partner.create(dict(member, name="Service Dealer B", channel_territory_id=cls.elsewhere.id))
        cls.prospect = Partner.create(dict(
            member, name="Service Prospect", channel_state="prospect", channel_territory_id=cls.city.id,
        ))
        cls.dealer_contact = Partner.create({
            "name": "Dealer Boss", "parent_id": cls.dealer.id, "email": "boss@dealer.example.com",
        })
        Type = cls.env["channel.service.type"]
        cls.type_order = Type.create({
            "name": "Order", "department": "Sales Office", "user_id": cls.staff["order"].id,
            "phone": "+86 571 1000", "response_hours": 2, "resolution_hours": 24, "sequence": 1,
        })
        cls.type_payment = Type.create({
            "name": "Payment check", "department": "Finance", "user_id": cls.staff["finance"].id,
            "manager_id": cls.staff["type_manager"].id, "email": "finance@example.com",
            "response_hours": 4, "resolution_hours": 24, "sequence": 2,
        })
        cls.type_support = Type.create({
            "name": "Technical support", "department": "Technical Service", "user_id": cls.staff["support"].id,
            "response_hours": 8, "resolution_hours": 72, "prospect_ok": True, "sequence": 3,
        })
        cls.type_free = Type.create({
            "name": "Other", "department": "Sales Office", "response_hours": 0, "resolution_hours": 48, "sequence": 4,
        })

    @classmethod
    def _request(cls, partner=None, service_type=None, **vals):
        return cls.env["channel.service.request"].create(dict({
            "partner_id": (partner or cls.dealer).id,
            "type_id": (service_type or cls.type_order).id,
            "subject": "Where is my order?",
        }, **vals))

    @staticmethod
    def _after(request, hours):
        """The moment ``hours`` after the request was filed."""
        return request.create_date + timedelta(hours=hours)
