from odoo.tests import TransactionCase, new_test_user


class ChannelBaseCommon(TransactionCase):
    """A small channel network built once per test class, independent of demo data.

    Zhejiang (T-ZJ, China, state Zhejiang) > Hangzhou (T-ZJ-HZ, city Hangzhou);
    dealer (Gold, Hangzhou, active) > distributor > retailer; a second dealer (Silver) with its own
    distributor and retailer.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Partner = cls.env["res.partner"]
        cls.country_cn = cls.env.ref("base.cn")
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.tier_gold = cls.env["channel.tier"].create({"name": "Gold", "code": "T-GOLD"})
        cls.tier_silver = cls.env["channel.tier"].create({"name": "Silver", "code": "T-SILVER"})
        cls.territory_zj = cls.env["channel.territory"].create({
            "name": "Zhejiang", "code": "T-ZJ", "country_id": cls.country_cn.id,
            "state_ids": [(6, 0, cls.state_zj.ids)],
            "city_names": "Hangzhou, Ningbo",
        })
        cls.territory_hz = cls.env["channel.territory"].create({
            "name": "Hangzhou", "code": "T-ZJ-HZ", "level": "city", "parent_id": cls.territory_zj.id,
            "city_names": "Hangzhou",
        })
        cls.dealer = Partner.create({
            "name": "Dealer A", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": cls.tier_gold.id, "channel_territory_id": cls.territory_hz.id,
            "channel_state": "active", "city": "Hangzhou",
        })
        cls.distributor = Partner.create({
            "name": "Distributor A1", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer.id, "channel_state": "active",
        })
        cls.retailer = Partner.create({
            "name": "Retailer A1-1", "is_company": True, "channel_role": "retailer",
            "channel_parent_id": cls.distributor.id, "channel_state": "active",
        })
        cls.dealer_b = Partner.create({
            "name": "Dealer B", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": cls.tier_silver.id, "channel_state": "active", "city": "Nanjing",
        })
        cls.distributor_b = Partner.create({
            "name": "Distributor B1", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer_b.id, "channel_state": "active",
        })
        cls.retailer_b = Partner.create({
            "name": "Retailer B1-1", "is_company": True, "channel_role": "retailer",
            "channel_parent_id": cls.distributor_b.id, "channel_state": "active",
        })

    @classmethod
    def _new_portal_user(cls, login, partner, groups="base.group_portal", **values):
        """A portal user (password = login) for an existing contact, keeping its name and email."""
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=groups,
            partner_id=partner.id,
            name=partner.name,
            email=partner.email or False,
            **values,
        )
