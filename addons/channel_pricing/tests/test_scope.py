from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChannelScope(TransactionCase):
    """``channel.scope.mixin`` on price floors: tiers, territories with their sub-territories and
    listed partners; the partner domain, the in-memory check and the reverse domain agree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Territory = cls.env["channel.territory"]
        cls.region = Territory.create({"name": "Scope Region", "code": "SC-R"})
        cls.city = Territory.create({"name": "Scope City", "code": "SC-C", "parent_id": cls.region.id})
        cls.district = Territory.create({"name": "Scope District", "code": "SC-D", "parent_id": cls.city.id})
        cls.elsewhere = Territory.create({"name": "Scope Elsewhere", "code": "SC-E"})
        cls.gold = cls.env["channel.tier"].create({"name": "Scope Gold", "code": "SC-GOLD"})
        cls.silver = cls.env["channel.tier"].create({"name": "Scope Silver", "code": "SC-SILVER"})
        Partner = cls.env["res.partner"]

        def dealer(name, territory, tier, role="dealer"):
            return Partner.create({
                "name": name, "is_company": True, "channel_role": role, "channel_state": "active",
                "channel_territory_id": territory.id, "channel_tier_id": tier.id,
            })

        cls.dealer_region = dealer("Scope Dealer Region", cls.region, cls.gold)
        cls.dealer_district = dealer("Scope Dealer District", cls.district, cls.silver)
        cls.dealer_elsewhere = dealer("Scope Dealer Elsewhere", cls.elsewhere, cls.gold)
        cls.retailer_city = dealer("Scope Retailer City", cls.city, cls.gold, role="retailer")
        cls.contact = Partner.create({"name": "Scope Contact", "parent_id": cls.dealer_district.id})
        cls.ours = cls.dealer_region | cls.dealer_district | cls.dealer_elsewhere | cls.retailer_city
        cls.categ = cls.env["product.category"].create({"name": "Scope Category"})
        cls.product = cls.env["product.product"].create({"name": "Scope Product", "categ_id": cls.categ.id})

    def _floor(self, **vals):
        return self.env["channel.price.floor"].create(
            {"floor_type": "retail", "min_price": 10.0, "categ_id": self.categ.id, **vals}
        )

    def _in_scope(self, floor):
        """Our partners in the scope, by the domain and, checked one by one, in memory."""
        by_domain = self.env["res.partner"].search(floor._channel_scope_domain()) & self.ours
        in_memory = self.ours.filtered(floor._channel_in_scope)
        self.assertEqual(by_domain, in_memory, "the domain and the in-memory check disagree")
        return by_domain

    def test_territory_includes_sub_territories(self):
        floor = self._floor(territory_ids=[(6, 0, self.region.ids)])
        self.assertEqual(self._in_scope(floor), self.dealer_region | self.dealer_district | self.retailer_city)
        self.assertTrue(floor._channel_in_scope(self.contact), "a contact is in scope through its company")
        floor.territory_ids = self.city
        self.assertEqual(self._in_scope(floor), self.dealer_district | self.retailer_city)
        self.assertFalse(floor._channel_in_scope(self.dealer_region))

    def test_tiers_and_territories_together(self):
        floor = self._floor(territory_ids=[(6, 0, self.region.ids)], tier_ids=[(6, 0, self.gold.ids)])
        self.assertEqual(self._in_scope(floor), self.dealer_region | self.retailer_city)
        self.assertFalse(floor._channel_scope_matches(self.silver, self.district))
        self.assertTrue(floor._channel_scope_matches(self.gold, self.district))
        self.assertFalse(floor._channel_scope_matches(self.gold, self.elsewhere))

    def test_no_criterion_and_listed_partners(self):
        floor = self._floor()
        self.assertEqual(self._in_scope(floor), self.ours)
        floor.partner_ids = self.retailer_city | self.dealer_elsewhere
        self.assertEqual(self._in_scope(floor), self.retailer_city | self.dealer_elsewhere)
        floor.territory_ids = self.region
        self.assertEqual(self._in_scope(floor), self.retailer_city)

    def test_archived_partner_is_out_of_scope(self):
        floor = self._floor(territory_ids=[(6, 0, self.region.ids)])
        self.dealer_region.active = False
        self.assertFalse(floor._channel_in_scope(self.dealer_region))
        self.assertEqual(self._in_scope(floor), self.dealer_district | self.retailer_city)

    def test_records_whose_scope_includes_a_partner(self):
        Floor = self.env["channel.price.floor"]
        everywhere = self._floor()
        region = self._floor(territory_ids=[(6, 0, self.region.ids)])
        district_gold = self._floor(territory_ids=[(6, 0, self.district.ids)], tier_ids=[(6, 0, self.gold.ids)])
        listed = self._floor(partner_ids=[(6, 0, self.dealer_elsewhere.ids)])
        floors = everywhere | region | district_gold | listed
        for partner in self.ours:
            found = Floor.search(Floor._channel_scope_records_domain(partner)) & floors
            self.assertEqual(found, floors.filtered(lambda f, p=partner: f._channel_in_scope(p)), partner.name)
        self.assertEqual(
            Floor.search(Floor._channel_scope_records_domain(self.dealer_district)) & floors, everywhere | region
        )

    def test_floor_for_listed_partners_wins(self):
        Floor = self.env["channel.price.floor"]
        region = self._floor(territory_ids=[(6, 0, self.region.ids)], min_price=20.0)
        listed = self._floor(partner_ids=[(6, 0, self.dealer_district.ids)], min_price=15.0)
        self.assertEqual(Floor._get_applicable_floor(self.product, "retail", partner=self.dealer_district), listed)
        self.assertEqual(Floor._get_applicable_floor(self.product, "retail", partner=self.retailer_city), region)
        # Where no partner is known (an inspection in the district), a floor for listed partners never applies.
        self.assertEqual(Floor._get_applicable_floor(self.product, "retail", territory=self.district), region)
