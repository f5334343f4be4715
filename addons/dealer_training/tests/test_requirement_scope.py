from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRequirementScope(TransactionCase):
    """Training requirements restrict their staff by tier, territory (with sub-territories) and
    listed dealers through ``channel.scope.mixin``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Territory = cls.env["channel.territory"]
        cls.region = Territory.create({"name": "Req Region", "code": "RQ-R"})
        cls.city = Territory.create({"name": "Req City", "code": "RQ-C", "parent_id": cls.region.id})
        cls.elsewhere = Territory.create({"name": "Req Elsewhere", "code": "RQ-E"})
        cls.gold = cls.env["channel.tier"].create({"name": "Req Gold", "code": "RQ-GOLD"})
        Partner = cls.env["res.partner"]
        cls.dealer_city = Partner.create(
            {
                "name": "Req Dealer City",
                "is_company": True,
                "channel_role": "dealer",
                "channel_state": "active",
                "channel_territory_id": cls.city.id,
                "channel_tier_id": cls.gold.id,
            }
        )
        cls.dealer_elsewhere = Partner.create(
            {
                "name": "Req Dealer Elsewhere",
                "is_company": True,
                "channel_role": "dealer",
                "channel_state": "active",
                "channel_territory_id": cls.elsewhere.id,
                "channel_tier_id": cls.gold.id,
            }
        )
        cls.staff_city = Partner.create(
            {
                "name": "Req Staff City",
                "parent_id": cls.dealer_city.id,
                "channel_job_role": "sales",
            }
        )
        cls.staff_elsewhere = Partner.create(
            {
                "name": "Req Staff Elsewhere",
                "parent_id": cls.dealer_elsewhere.id,
                "channel_job_role": "sales",
            }
        )
        cls.requirement = cls.env["dealer.training.requirement"].create(
            {
                "name": "Req Regional curriculum",
                "job_role": "sales",
                "tier_ids": [Command.set(cls.gold.ids)],
                "territory_ids": [Command.set(cls.region.ids)],
            }
        )

    def test_territory_with_sub_territories(self):
        self.assertTrue(self.requirement._applies_to(self.staff_city))
        self.assertFalse(self.requirement._applies_to(self.staff_elsewhere))
        self.assertEqual(
            self.env["res.partner"].search(self.requirement._channel_scope_domain())
            & (self.dealer_city | self.dealer_elsewhere),
            self.dealer_city,
        )

    def test_listed_dealers_and_job_role(self):
        self.requirement.write(
            {"territory_ids": [Command.clear()], "partner_ids": [Command.set(self.dealer_elsewhere.ids)]}
        )
        self.assertFalse(self.requirement._applies_to(self.staff_city))
        self.assertTrue(self.requirement._applies_to(self.staff_elsewhere))
        self.requirement.job_role = "warehouse"
        self.assertFalse(self.requirement._applies_to(self.staff_elsewhere))
