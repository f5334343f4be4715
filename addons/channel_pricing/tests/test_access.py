from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestAccess(ChannelPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_zj = new_test_user(cls.env, login="tp_regional_zj", groups="channel_base.group_channel_user")
        cls.user_js = new_test_user(cls.env, login="tp_regional_js", groups="channel_base.group_channel_user")
        cls.manager = new_test_user(cls.env, login="tp_channel_manager", groups="channel_base.group_channel_manager")
        cls.territory_zj.manager_id = cls.user_zj
        cls.territory_js.manager_id = cls.user_js
        cls.portal_user = new_test_user(
            cls.env, login="tp_portal_dealer", groups="base.group_portal", partner_id=cls.dealer_hz.id
        )
        Violation = cls.env["channel.violation"]
        cls.violation_hz = Violation.create({
            "violation_type": "price", "partner_id": cls.dealer_nj.id, "territory_id": cls.territory_hz.id,
        })
        cls.violation_nj = Violation.create({
            "violation_type": "cross_territory", "partner_id": cls.dealer_hz.id, "territory_id": cls.territory_nj.id,
        })
        cls.inspection_hz = cls._create_inspection(cls.territory_hz, [(cls.product_tea, 10.0, {})])
        cls.inspection_nj = cls._create_inspection(cls.territory_nj, [(cls.product_tea, 10.0, {})])

    def test_portal_never_reads_violations(self):
        Violation = self.env["channel.violation"].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Violation.search([])
        with self.assertRaises(AccessError):
            self.violation_nj.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.inspection_hz.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["channel.price.floor"].with_user(self.portal_user).search([])

    def test_regional_user_sees_own_territories(self):
        Violation = self.env["channel.violation"].with_user(self.user_zj)
        domain = [("id", "in", (self.violation_hz | self.violation_nj).ids)]
        self.assertEqual(Violation.search(domain), self.violation_hz)
        with self.assertRaises(AccessError):
            self.violation_nj.with_user(self.user_zj).read(["name"])
        Violation = self.env["channel.violation"].with_user(self.user_js)
        self.assertEqual(Violation.search(domain), self.violation_nj)

        Inspection = self.env["channel.inspection"].with_user(self.user_zj)
        domain = [("id", "in", (self.inspection_hz | self.inspection_nj).ids)]
        self.assertEqual(Inspection.search(domain), self.inspection_hz)
        self.assertEqual(
            self.env["channel.inspection.line"].with_user(self.user_zj).search(
                [("inspection_id", "in", (self.inspection_hz | self.inspection_nj).ids)]
            ),
            self.inspection_hz.line_ids,
        )

    def test_regional_user_without_territory_sees_nothing(self):
        lonely = new_test_user(self.env, login="tp_regional_none", groups="channel_base.group_channel_user")
        domain = [("id", "in", (self.violation_hz | self.violation_nj).ids)]
        self.assertFalse(self.env["channel.violation"].with_user(lonely).search(domain))

    def test_inspector_keeps_own_inspection(self):
        self.env["channel.price.floor"].create({
            "product_id": self.product_tea.id, "min_price": 50.0, "floor_type": "retail",
        })
        inspection = self._create_inspection(
            self.territory_nj, [(self.product_tea, 10.0, {})], partner=self.retailer_nj, user=self.user_zj
        )
        self.assertEqual(inspection.user_id, self.user_zj)
        violations = inspection.with_user(self.user_zj).action_done()
        self.assertEqual(inspection.state, "done")
        self.assertEqual(violations.partner_id, self.dealer_nj)
        # the inspector reads what was found, the Jiangsu manager too; another regional user does not
        self.assertEqual(violations.with_user(self.user_zj).read(["state"])[0]["state"], "draft")
        self.assertTrue(self.env["channel.violation"].with_user(self.user_js).search([("id", "=", violations.id)]))
        lonely = new_test_user(self.env, login="tp_regional_other", groups="channel_base.group_channel_user")
        self.assertFalse(self.env["channel.violation"].with_user(lonely).search([("id", "=", violations.id)]))
        # confirming: the activity goes to the manager of the territory where it was found
        violations.with_user(self.user_zj).action_confirm()
        self.assertEqual(violations.activity_ids.user_id, self.user_js)

    def test_salesperson_sees_customer_violations(self):
        violation = self.env["channel.violation"].create({
            "violation_type": "price", "partner_id": self.dealer_hz.id, "territory_id": self.territory_js.id,
        })
        self.assertEqual(self.dealer_hz.user_id, self.salesperson)
        self.assertTrue(violation.with_user(self.salesperson).read(["name"]))

    def test_partner_form_without_channel_group(self):
        seller = new_test_user(self.env, login="tp_plain_seller", groups="sales_team.group_sale_salesman")
        views = self.env["res.partner"].with_user(seller).get_views([(False, "form")])
        self.assertNotIn("channel_violation_count", views["views"]["form"]["arch"])
        order = self.env["sale.order"].with_user(seller).create({
            "partner_id": self.dealer_hz.id,
            "user_id": seller.id,
            "order_line": [(0, 0, {"product_id": self.product_tea.id})],
        })
        self.assertAlmostEqual(order.order_line.price_unit, 80.0)

    def test_regional_user_works_on_violations(self):
        violation = self.violation_hz.with_user(self.user_zj)
        violation.action_confirm()
        self.assertEqual(violation.state, "confirmed")
        with self.assertRaises(AccessError):
            self.violation_nj.with_user(self.user_zj).action_confirm()
        with self.assertRaises(AccessError):
            violation.unlink()

    def test_manager_sees_all(self):
        domain = [("id", "in", (self.violation_hz | self.violation_nj).ids)]
        self.assertEqual(
            self.env["channel.violation"].with_user(self.manager).search(domain), self.violation_hz | self.violation_nj
        )
        floor = self.env["channel.price.floor"].with_user(self.manager).create({
            "product_id": self.product_tea.id, "min_price": 1.0, "floor_type": "retail",
        })
        self.assertTrue(floor)

    def test_regional_user_reads_floors_only(self):
        with self.assertRaises(AccessError):
            self.env["channel.price.floor"].with_user(self.user_zj).create({
                "product_id": self.product_tea.id, "min_price": 1.0, "floor_type": "retail",
            })
        self.assertIsNotNone(self.env["channel.price.floor"].with_user(self.user_zj).search([]))

    def test_portal_dealer_prices(self):
        """The portal quick order prices the dealer's own catalog as the portal user."""
        self._create_order(self.dealer_hz, [(self.product_tea, 1, {"price_unit": 70.0})], confirm=True)
        partner = self.portal_user.partner_id.with_user(self.portal_user)
        prices = partner._channel_price_get(self.product_tea | self.product_water)
        self.assertAlmostEqual(prices[self.product_tea.id]["price"], 70.0)
        self.assertAlmostEqual(prices[self.product_water.id]["price"], 8.0)
        self.assertEqual(prices[self.product_water.id]["source"], "tier pricelist")

    def test_regional_user_traces_lots(self):
        self.env["channel.price.floor"].create({
            "product_id": self.product_lot.id, "min_price": 450.0, "floor_type": "retail",
        })
        lot = self._deliver_lot(self.dealer_hz, self.product_lot, "LOT-ACCESS-1")
        inspection = self._create_inspection(
            self.territory_nj, [(self.product_lot, 400.0, {"lot_id": lot.id})], user=self.user_js
        )
        violations = inspection.with_user(self.user_js).action_done()
        self.assertEqual(sorted(violations.mapped("violation_type")), ["cross_territory", "price"])
        self.assertEqual(violations.partner_id, self.dealer_hz)

    def test_views_open_for_regional_staff(self):
        for model, modes in (
            ("channel.inspection", ["list", "form", "search", "calendar"]),
            ("channel.violation", ["list", "form", "search", "pivot", "graph"]),
            ("channel.price.floor", ["list", "form", "search"]),
            ("channel.price.matrix", ["form"]),
        ):
            views = self.env[model].with_user(self.user_zj).get_views([(False, mode) for mode in modes])
            self.assertEqual(set(views["views"]), set(modes))
        wizard = self.env["channel.price.matrix"].with_user(self.user_zj).create({
            "product_ids": [(6, 0, self.product_tea.ids)],
        })
        self.assertIn("Green Tea", wizard.preview_html)
        settings = self.env["res.config.settings"].get_views([(False, "form")])
        self.assertIn("channel_penalty_price", settings["views"]["form"]["arch"])
