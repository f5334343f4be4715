from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ChannelPresaleCommon


@tagged("post_install", "-at_install")
class TestSuggestPortal(ChannelPresaleCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer_user = cls._new_portal_user(
            "sg_portal_one", Partner.create({"name": "Boss One", "parent_id": cls.dealer.id, "email": "b1@example.com"})
        )
        cls.other_user = cls._new_portal_user(
            "sg_portal_two",
            Partner.create({"name": "Boss Two", "parent_id": cls.dealer_two.id, "email": "b2@example.com"}),
        )
        cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(0))
        cls._deliver(cls.dealer, [(cls.product_case, 18), (cls.product_unit, 8)], cls._in_cycle(2))
        cls.order = cls.route._prepare_suggested_orders(cls.route_date)

    def _post(self, url, data=None):
        return self.url_open(
            url, data=dict(data or {}, csrf_token=http.Request.csrf_token(self)), allow_redirects=False
        )

    def test_suggestion_first_with_explanation(self):
        self.authenticate("sg_portal_one", "sg_portal_one")
        response = self.url_open("/my/channel/order")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Your suggested order for", text)
        self.assertIn("o_channel_suggest_explanation", text)
        self.assertIn("Forecast 10", text)
        self.assertLess(text.index("o_channel_suggested_order"), text.index("o_channel_order_search"))
        # Juice, sold in units: 5, 0, 8 -> 4.333 + 10 % = 4.767 -> 5 units, never "4.77".
        self.assertIn(f'name="qty_{self.product_unit.id}" value="5"', text)
        self.assertIn("Rounded up to whole units: 5 Units", text)
        self.assertNotIn('value="4.77"', text)

    def test_edit_and_submit(self):
        self.authenticate("sg_portal_one", "sg_portal_one")
        response = self._post(f"/my/channel/suggested/{self.order.id}/update", {f"qty_{self.product_case.id}": "13"})
        self.assertEqual(response.status_code, 303)
        line = self.order.order_line.filtered(lambda line: line.product_id == self.product_case)
        self.assertEqual(line.product_uom_qty, 18.0, "Rounded up to whole cases")
        # A bad quantity saves nothing.
        self._post(f"/my/channel/suggested/{self.order.id}/update", {f"qty_{self.product_case.id}": "-4"})
        self.assertEqual(line.product_uom_qty, 18.0)
        response = self._post(f"/my/channel/suggested/{self.order.id}/submit", {f"qty_{self.product_case.id}": "6"})
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/channel/orders/{self.order.id}", response.headers["Location"])
        self.assertEqual(line.product_uom_qty, 6.0)
        self.assertEqual(self.order.channel_state, "confirmed")
        page = self.url_open(f"/my/channel/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_channel_suggest_explanations", page.text)
        # Submitted: no longer offered, and no longer editable.
        self.assertNotIn("Your suggested order for", self.url_open("/my/channel/order").text)
        response = self._post(f"/my/channel/suggested/{self.order.id}/update", {f"qty_{self.product_case.id}": "12"})
        self.assertEqual(response.status_code, 404)

    def test_other_dealer_cannot_touch(self):
        self.authenticate("sg_portal_two", "sg_portal_two")
        self.assertNotIn("Your suggested order for", self.url_open("/my/channel/order").text)
        response = self._post(f"/my/channel/suggested/{self.order.id}/update", {f"qty_{self.product_case.id}": "60"})
        self.assertEqual(response.status_code, 404)
        response = self._post(f"/my/channel/suggested/{self.order.id}/submit", {})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.order.channel_state, "draft")
        with self.assertRaises(AccessError):
            self.order.with_user(self.other_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["channel.alert"].with_user(self.dealer_user).search([])

    def test_price_tampering_refused(self):
        self.authenticate("sg_portal_one", "sg_portal_one")
        response = self._post(
            f"/my/channel/suggested/{self.order.id}/update",
            {f"qty_{self.product_case.id}": "6", "price_unit": "0.01"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotEqual(self.order.order_line[0].price_unit, 0.01)
