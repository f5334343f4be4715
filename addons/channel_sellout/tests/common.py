from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user


class SelloutCommon:
    """A dealer of a province with two sub-distributors inside it and one outside, a product with a
    distributor floor of 100 and a resale price of 120, a weekly route; independent of demo data."""

    @classmethod
    def _setup_sellout(cls):
        env = cls.env
        Partner = env["res.partner"]
        Territory = env["channel.territory"]
        cls.province = Territory.create({"name": "SO Province", "code": "SO-P"})
        cls.city = Territory.create({"name": "SO City", "code": "SO-C", "parent_id": cls.province.id})
        cls.elsewhere = Territory.create({"name": "SO Elsewhere", "code": "SO-E"})
        cls.tier = env["channel.tier"].create({"name": "SO Tier", "code": "SO-TIER"})
        common = {"is_company": True, "channel_state": "active", "channel_tier_id": cls.tier.id}
        cls.dealer = Partner.create(dict(common, name="SO Dealer", channel_role="dealer",
                                         channel_territory_id=cls.province.id))
        cls.dealer_other = Partner.create(dict(common, name="SO Other Dealer", channel_role="dealer",
                                               channel_territory_id=cls.province.id))
        buyer = dict(common, channel_role="distributor", channel_parent_id=cls.dealer.id)
        cls.buyer = Partner.create(dict(buyer, name="SO Buyer", ref="B-1", channel_territory_id=cls.city.id))
        cls.buyer_2 = Partner.create(dict(buyer, name="SO Buyer 2", ref="B-2", channel_territory_id=cls.province.id))
        cls.buyer_out = Partner.create(dict(buyer, name="SO Buyer Out", ref="B-OUT",
                                            channel_territory_id=cls.elsewhere.id))
        cls.buyer_other = Partner.create(dict(common, name="SO Other Buyer", channel_role="distributor",
                                              channel_parent_id=cls.dealer_other.id,
                                              channel_territory_id=cls.province.id))
        cls.product = env["product.product"].create({
            "name": "SO Tea", "default_code": "SO-TEA", "type": "consu", "sale_ok": True, "list_price": 150.0,
        })
        cls.product_2 = env["product.product"].create({
            "name": "SO Wine", "default_code": "SO-WINE", "type": "consu", "sale_ok": True, "list_price": 50.0,
        })
        env["channel.price.floor"].create({
            "product_id": cls.product.id, "floor_type": "distributor", "min_price": 100.0,
        })
        cls.pricelist = cls.dealer._channel_sellout_pricelist()
        env["product.pricelist.item"].create([
            {"pricelist_id": cls.pricelist.id, "applied_on": "0_product_variant", "product_id": product.id,
             "compute_price": "fixed", "fixed_price": price}
            for product, price in ((cls.product, 120.0), (cls.product_2, 40.0))
        ])
        today = fields.Date.context_today(env.user)
        cls.route = env["channel.sellout.route"].create({
            "seller_id": cls.dealer.id, "weekday": str(today.weekday()), "interval_weeks": 1,
            "date_start": today - timedelta(days=70),
        })
        cls.today = today

    @classmethod
    def _portal_user(cls, login, company, **vals):
        contact = cls.env["res.partner"].create(dict({"name": login, "parent_id": company.id,
                                                      "email": f"{login}@example.com"}, **vals))
        return new_test_user(cls.env, login=login, password=login, groups="base.group_portal",
                             partner_id=contact.id)

    @classmethod
    def _order(cls, buyer=None, quantity=10.0, price=120.0, product=None, date_order=None, state="draft",
               seller=None):
        order = cls.env["channel.sellout.order"].create({
            "seller_id": (seller or cls.dealer).id,
            "buyer_id": (buyer or cls.buyer).id,
            "date_order": date_order or cls.today,
            "line_ids": [(0, 0, {"product_id": (product or cls.product).id, "quantity": quantity,
                                 "price_unit": price})],
        })
        steps = ["submitted", "accepted", "delivered", "received"]
        actions = {"submitted": order.action_submit, "accepted": order.action_accept,
                   "delivered": order.action_deliver, "received": order.action_receive}
        if state in steps:
            for step in steps[: steps.index(state) + 1]:
                actions[step]()
        return order
