from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestPriceFloor(ChannelPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Floor = cls.env["channel.price.floor"]

    def _floor(self, **vals):
        return self.Floor.create({"floor_type": "retail", "min_price": 50.0, **vals})

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._floor(min_price=0.0, product_id=self.product_tea.id)
        with self.assertRaises(ValidationError):
            self._floor(min_price=-5.0, product_id=self.product_tea.id)
        with self.assertRaises(ValidationError):
            self._floor(product_id=self.product_tea.id, categ_id=self.categ_tea.id)
        with self.assertRaises(ValidationError):
            self._floor()
        with self.assertRaises(ValidationError):
            self._floor(product_id=self.product_tea.id, date_from=date(2026, 5, 1), date_to=date(2026, 4, 1))
        self.assertFalse(self.Floor.search([("product_id", "=", self.product_tea.id)]))

    def test_product_beats_category(self):
        categ_floor = self._floor(categ_id=self.categ_tea.id, min_price=60.0)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "retail"), categ_floor)
        product_floor = self._floor(product_id=self.product_tea.id, min_price=40.0)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "retail"), product_floor)

    def test_nearest_category_first(self):
        parent_floor = self._floor(categ_id=self.categ_drinks.id, min_price=30.0)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "retail"), parent_floor)
        child_floor = self._floor(categ_id=self.categ_tea.id, min_price=60.0)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "retail"), child_floor)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_water, "retail"), parent_floor)

    def test_territory_beats_general(self):
        general = self._floor(product_id=self.product_tea.id, min_price=50.0)
        province = self._floor(product_id=self.product_tea.id, min_price=55.0, territory_ids=[self.territory_zj.id])
        city = self._floor(product_id=self.product_tea.id, min_price=58.0, territory_ids=[self.territory_hz.id])
        Floor = self.Floor
        self.assertEqual(Floor._get_applicable_floor(self.product_tea, "retail", territory=self.territory_hz), city)
        self.assertEqual(Floor._get_applicable_floor(self.product_tea, "retail", territory=self.territory_zj), province)
        self.assertEqual(Floor._get_applicable_floor(self.product_tea, "retail", territory=self.territory_nj), general)
        self.assertEqual(Floor._get_applicable_floor(self.product_tea, "retail"), general)
        # from the partner's territory
        self.assertEqual(Floor._get_applicable_floor(self.product_tea, "retail", partner=self.dealer_hz), city)

    def test_type_date_and_tier(self):
        retail = self._floor(product_id=self.product_tea.id, min_price=50.0)
        distributor = self._floor(product_id=self.product_tea.id, floor_type="distributor", min_price=45.0)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "distributor"), distributor)
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "retail"), retail)
        retail.write({"date_from": date(2030, 1, 1)})
        self.assertFalse(self.Floor._get_applicable_floor(self.product_tea, "retail", date=date(2029, 12, 31)))
        self.assertEqual(self.Floor._get_applicable_floor(self.product_tea, "retail", date=date(2030, 1, 1)), retail)
        gold = self._floor(product_id=self.product_water.id, min_price=7.0, tier_ids=[self.tier_gold.id])
        self.assertEqual(self.Floor._get_applicable_floor(self.product_water, "retail", partner=self.dealer_hz), gold)
        self.assertFalse(self.Floor._get_applicable_floor(self.product_water, "retail", partner=self.dealer_nj))

    def test_batch_lookup(self):
        categ_floor = self._floor(categ_id=self.categ_drinks.id, min_price=5.0)
        tea_floor = self._floor(product_id=self.product_tea.id, min_price=50.0)
        floors = self.Floor._get_applicable_floors(self.product_tea | self.product_water, "retail")
        self.assertEqual(floors, {self.product_tea.id: tea_floor, self.product_water.id: categ_floor})
