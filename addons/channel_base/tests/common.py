from odoo.tests import TransactionCase


class ChannelBaseCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Partner = cls.env["res.partner"]
        cls.tier_gold = cls.env["channel.tier"].create({"name": "Gold", "code": "T-GOLD"})
        cls.tier_silver = cls.env["channel.tier"].create({"name": "Silver", "code": "T-SILVER"})
        cls.territory_zj = cls.env["channel.territory"].create({
            "name": "Zhejiang", "code": "T-ZJ", "country_id": cls.env.ref("base.cn").id,
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
