from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    # Wide enough for every section of the Channel menu: at 1366 px, on a database with demo
    # data, Configuration moves into the navbar's "more" dropdown and the tour cannot click it.
    browser_size = "1920x1080"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tier = cls.env["channel.tier"].create({"name": "Tour Tier", "code": "TOUR"})
        province = cls.env["channel.territory"].create({"name": "Tour Province", "code": "TOUR-P"})
        city = cls.env["channel.territory"].create({
            "name": "Tour City", "code": "TOUR-C", "level": "city", "parent_id": province.id,
        })
        dealer = cls.env["res.partner"].create({
            "name": "Tour Dealer", "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": tier.id, "channel_territory_id": city.id,
        })
        cls.env["res.partner"].create({
            "name": "Tour Distributor", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": dealer.id,
        })

    def test_channel_app(self):
        self.start_tour("/web", "channel_base_tour", login="admin")
