from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ChannelBaseCommon


@tagged("post_install", "-at_install")
class TestTerritory(ChannelBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Territory = cls.env["channel.territory"]
        # Only this class's territories take part in the matching.
        Territory.search([("code", "not like", "T-%")]).active = False
        cls.state_js = cls.env.ref("base.state_cn_JS")
        cls.state_ah = cls.env.ref("base.state_cn_AH")
        cls.territory_hz_xh = Territory.create({
            "name": "Xihu", "code": "T-ZJ-HZ-XH", "level": "district", "parent_id": cls.territory_hz.id,
            "city_names": "西湖区",
        })
        cls.territory_js = Territory.create({
            "name": "Jiangsu", "code": "T-JS", "country_id": cls.country_cn.id,
            "state_ids": [(6, 0, cls.state_js.ids)],
        })
        cls.territory_js_sz = Territory.create({
            "name": "Suzhou", "code": "T-JS-SZ", "level": "city", "parent_id": cls.territory_js.id,
            "city_names": "Suzhou\n苏州",
        })
        cls.grouping = Territory.create({"name": "East China", "code": "T-EAST"})

    def _address(self, **vals):
        return self.env["res.partner"].create({"name": "Address", "is_company": True, **vals})

    def _match(self, **vals):
        return self.env["channel.territory"]._match_partner(self._address(**vals))

    def test_deepest_territory_wins(self):
        cn = self.country_cn.id
        self.assertEqual(self._match(country_id=cn, city="Hangzhou"), self.territory_hz)
        self.assertEqual(self._match(country_id=cn, city=" hangzhou "), self.territory_hz)
        self.assertEqual(self._match(country_id=cn, city="Ningbo"), self.territory_zj)
        self.assertEqual(self._match(country_id=cn, city="西湖区"), self.territory_hz_xh)

    def test_state_covers_the_whole_province(self):
        cn = self.country_cn.id
        # A city no territory names, but in a covered state.
        self.assertEqual(self._match(country_id=cn, state_id=self.state_zj.id, city="Shaoxing"), self.territory_zj)
        self.assertEqual(self._match(country_id=cn, state_id=self.state_js.id, city="苏州市"), self.territory_js_sz)
        self.assertEqual(self._match(country_id=cn, state_id=self.state_js.id, city="Wuxi"), self.territory_js)

    def test_country_and_state_must_match(self):
        # Suzhou in Anhui is not the Suzhou of Jiangsu.
        self.assertFalse(self._match(country_id=self.country_cn.id, state_id=self.state_ah.id, city="Suzhou"))
        # Hangzhou elsewhere than in China is not covered (country inherited from the province).
        self.assertFalse(self._match(country_id=self.env.ref("base.us").id, city="Hangzhou"))
        self.assertFalse(self._match(city="Lhasa"))

    def test_contact_uses_company_address(self):
        company = self._address(country_id=self.country_cn.id, city="Hangzhou")
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": company.id, "type": "invoice"})
        self.assertEqual(self.env["channel.territory"]._match_partner(contact), self.territory_hz)

    def test_assign_territory_action(self):
        dealer = self._address(
            country_id=self.country_cn.id, state_id=self.state_js.id, city="Suzhou", channel_role="dealer"
        )
        lost = self._address(city="Atlantis", channel_role="dealer")
        result = (dealer | lost).action_channel_assign_territory()
        self.assertEqual(dealer.channel_territory_id, self.territory_js_sz)
        self.assertFalse(lost.channel_territory_id)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("Address", result["params"]["message"])
        self.assertEqual(self.env["channel.territory"].find_for_partner(dealer.id), self.territory_js_sz.id)
        self.assertFalse(self.env["channel.territory"].find_for_partner(lost.id))

    def test_hierarchy(self):
        self.assertEqual(self.territory_hz_xh.complete_name, "Zhejiang / Hangzhou / Xihu")
        self.assertTrue(self.territory_zj._covers(self.territory_hz_xh))
        self.assertTrue(self.territory_hz._covers(self.territory_hz))
        self.assertFalse(self.territory_hz._covers(self.territory_zj))
        self.assertFalse(self.territory_js._covers(self.territory_hz))
        found = self.env["channel.territory"].search([("id", "child_of", self.territory_zj.id)])
        self.assertEqual(found, self.territory_zj | self.territory_hz | self.territory_hz_xh)
        with self.assertRaises(UserError):  # ValidationError is a UserError too
            self.territory_zj.parent_id = self.territory_hz_xh

    def test_dealer_count_includes_sub_territories(self):
        self.assertEqual(self.territory_hz.dealer_count, 1)
        self.assertEqual(self.territory_zj.dealer_count, 1)
        self.env["res.partner"].create({
            "name": "Xihu dealer", "is_company": True, "channel_role": "dealer",
            "channel_territory_id": self.territory_hz_xh.id,
        })
        self.env["res.partner"].create({"name": "Dealer A clerk", "parent_id": self.dealer.id})
        (self.territory_zj | self.territory_hz).invalidate_recordset(["dealer_count"])
        self.assertEqual(self.territory_zj.dealer_count, 2)
        self.assertEqual(self.territory_hz_xh.dealer_count, 1)
        action = self.territory_zj.action_view_dealers()
        self.assertEqual(len(self.env["res.partner"].search(action["domain"])), 2)
