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
        inspection = self._create_inspection(self.territory_nj, [(self.product_tea, 10.0, {})], user=self.user_zj)
        self.assertEqual(inspection.user_id, self.user_zj)
        inspection.with_user(self.user_zj).action_done()
        self.assertEqual(inspection.state, "done")

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
