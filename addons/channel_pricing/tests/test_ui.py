from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_inspection_tour(self):
        admin = self.env.ref("base.user_admin")
        admin.groups_id = [Command.link(self.env.ref("channel_base.group_channel_manager").id)]
        territory = self.env["channel.territory"].create({"name": "Tour Territory", "code": "TP-TOUR"})
        dealer = self.env["res.partner"].create({
            "name": "Tour Dealer", "is_company": True, "channel_role": "dealer",
            "channel_territory_id": territory.id, "user_id": admin.id,
        })
        shop = self.env["res.partner"].create({
            "name": "Tour Shop", "is_company": True, "channel_role": "retailer",
            "channel_parent_id": dealer.id, "channel_territory_id": territory.id,
        })
        product = self.env["product.product"].create({"name": "Tour Tea", "list_price": 20.0})
        self.env["channel.price.floor"].create({"product_id": product.id, "floor_type": "retail", "min_price": 15.0})
        inspection = self.env["channel.inspection"].create({
            "territory_id": territory.id,
            "partner_id": shop.id,
            "user_id": admin.id,
            "line_ids": [Command.create({"product_id": product.id, "observed_price": 9.0})],
        })
        self.start_tour(
            f"/web#action=channel_pricing.channel_inspection_action&model=channel.inspection"
            f"&id={inspection.id}&view_type=form",
            "channel_pricing_inspection_tour",
            login="admin",
        )
        self.assertEqual(inspection.state, "done")
        self.assertEqual(inspection.violation_ids.state, "confirmed")
        self.assertEqual(inspection.violation_ids.partner_id, dealer)
        self.assertEqual(inspection.violation_ids.activity_ids.user_id, admin)
