from odoo.tests import tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestTierPricelist(ChannelPricingCommon):
    def test_new_dealer_gets_tier_pricelist(self):
        self.assertEqual(self.dealer_hz.property_product_pricelist, self.pricelist_gold)
        self.assertEqual(self.dealer_nj.property_product_pricelist, self.pricelist_silver)

    def test_tier_change_follows(self):
        self.dealer_hz.channel_tier_id = self.tier_silver
        self.assertEqual(self.dealer_hz.property_product_pricelist, self.pricelist_silver)

    def test_contact_follows_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.dealer_hz.id})
        self.assertEqual(contact.property_product_pricelist, self.pricelist_gold)
        self.dealer_hz.channel_tier_id = self.tier_silver
        self.assertEqual(contact.property_product_pricelist, self.pricelist_silver)

    def test_manual_pricelist_kept(self):
        special = self.env["product.pricelist"].create({"name": "Special"})
        self.dealer_hz.write({"channel_pricelist_manual": True, "property_product_pricelist": special.id})
        self.dealer_hz.channel_tier_id = self.tier_silver
        self.assertEqual(self.dealer_hz.property_product_pricelist, special)
        self.tier_silver.pricelist_id = self.pricelist_gold
        self.assertEqual(self.dealer_hz.property_product_pricelist, special)
        # back to automatic: the tier's pricelist again
        self.dealer_hz.channel_pricelist_manual = False
        self.assertEqual(self.dealer_hz.property_product_pricelist, self.pricelist_gold)

    def test_tier_pricelist_change_repoints_dealers(self):
        new_pricelist = self.env["product.pricelist"].create({"name": "Gold 2027"})
        self.tier_gold.pricelist_id = new_pricelist
        self.assertEqual(self.dealer_hz.property_product_pricelist, new_pricelist)
        self.assertEqual(self.dealer_nj.property_product_pricelist, self.pricelist_silver)

    def test_channel_price_get_pricelist(self):
        prices = self.dealer_nj._channel_price_get(self.product_tea | self.product_water)
        self.assertEqual(set(prices), {self.product_tea.id, self.product_water.id})
        self.assertAlmostEqual(prices[self.product_tea.id]["price"], 90.0)
        self.assertAlmostEqual(prices[self.product_water.id]["price"], 9.0)
        self.assertEqual(prices[self.product_tea.id]["source"], "tier pricelist")
        self.assertFalse(prices[self.product_tea.id]["order_line_id"])

    def test_channel_price_get_from_contact(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.dealer_nj.id})
        prices = contact._channel_price_get(self.product_tea)
        self.assertAlmostEqual(prices[self.product_tea.id]["price"], 90.0)

    def test_sale_order_uses_tier_pricelist(self):
        order = self._create_order(self.dealer_nj, [(self.product_tea, 1, {})])
        self.assertEqual(order.pricelist_id, self.pricelist_silver)
        self.assertAlmostEqual(order.order_line.price_unit, 90.0)
        self.assertEqual(order.order_line.channel_price_origin, "pricelist")
        self.assertEqual(order.order_line.channel_price_source, "tier pricelist")
