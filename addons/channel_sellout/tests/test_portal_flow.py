from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutPortalFlow(SelloutCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        cls.user_dealer = cls._portal_user("so_flow_dealer", cls.dealer)
        cls.user_buyer = cls._portal_user("so_flow_buyer", cls.buyer)
        cls.user_other = cls._portal_user("so_flow_other", cls.dealer_other)

    def _csrf(self):
        page = self.url_open("/my").text
        return page.split('csrf_token: "', 1)[1].split('"', 1)[0]

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=self._csrf())
        with mute_logger("odoo.http"):
            return self.url_open(url, data=data, files=files)

    def _orders(self):
        self.env.flush_all()
        return self.env["channel.sellout.order"].search([("seller_id", "=", self.dealer.id)])

    def test_order_flow_both_parties(self):
        # The distributor orders from its dealer on the same quick order page.
        self.authenticate("so_flow_buyer", "so_flow_buyer")
        page = self.url_open("/my/channel/order")
        self.assertEqual(page.status_code, 200)
        self.assertIn("SO Dealer", page.text)
        self.assertIn("SO Tea", page.text)
        response = self._post("/my/channel/order/sellout", {f"qty_{self.product.id}": "6", "note": "Tuesday"})
        self.assertEqual(response.status_code, 200)
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertEqual((order.state, order.source, order.buyer_id), ("submitted", "distributor_portal", self.buyer))
        self.assertAlmostEqual(order.amount_total, 720.0)
        self.assertEqual(order.route_date, self.route._next_date(self.today))
        self.assertEqual(self.url_open("/my/channel/sellout").status_code, 200)
        # The buyer cannot accept its own order.
        self._post(f"/my/channel/sellout/{order.id}/accept")
        self.assertEqual(order.state, "submitted")
        # The dealer accepts and delivers.
        self.authenticate("so_flow_dealer", "so_flow_dealer")
        listing = self.url_open("/my/channel/sellout?filterby=submitted")
        self.assertIn(order.name, listing.text)
        self._post(f"/my/channel/sellout/{order.id}/accept")
        order.invalidate_recordset()
        self.assertEqual(order.state, "accepted")
        self._post(f"/my/channel/sellout/{order.id}/receive")
        self.assertEqual(order.state, "accepted", "the dealer does not confirm the receipt")
        self._post(f"/my/channel/sellout/{order.id}/deliver")
        order.invalidate_recordset()
        self.assertEqual(order.state, "delivered")
        # The buyer confirms the receipt.
        self.authenticate("so_flow_buyer", "so_flow_buyer")
        self._post(f"/my/channel/sellout/{order.id}/receive")
        order.invalidate_recordset()
        self.assertEqual(order.state, "received")

    def test_forged_price_refused(self):
        self.authenticate("so_flow_buyer", "so_flow_buyer")
        for forged in ({"price_unit": "1"}, {"seller_id": self.dealer_other.id}, {"state": "accepted"}):
            response = self._post("/my/channel/order/sellout", dict({f"qty_{self.product.id}": "2"}, **forged))
            self.assertEqual(response.status_code, 403, forged)
        self.assertFalse(self._orders())

    def test_phone_order_and_prices(self):
        self.authenticate("so_flow_dealer", "so_flow_dealer")
        self._post("/my/channel/sellout/prices", {f"resale_{self.product.id}": "130"})
        item = self.env["product.pricelist.item"].search([("pricelist_id", "=", self.pricelist.id),
                                                          ("product_id", "=", self.product.id)])
        self.assertAlmostEqual(item.fixed_price, 130.0)
        self.assertEqual(self.url_open("/my/channel/sellout/prices").status_code, 200)
        response = self._post("/my/channel/sellout/new", {"buyer_id": self.buyer_other.id,
                                                          f"qty_{self.product.id}": "2"})
        self.assertEqual(response.status_code, 403, "not the dealer's buyer")
        self._post("/my/channel/sellout/new", {"buyer_id": self.buyer_2.id, f"qty_{self.product.id}": "2"})
        order = self._orders()
        self.assertEqual((order.state, order.source), ("accepted", "dealer_portal"))
        self.assertAlmostEqual(order.amount_total, 260.0)

    def test_portal_import_preview_and_errors(self):
        self.authenticate("so_flow_dealer", "so_flow_dealer")
        # "Today" as the importing user sees it (the test's admin may live in another time zone).
        user = self.env["res.users"].search([("login", "=", "so_flow_dealer")])
        today = fields.Date.context_today(user.with_context(tz=user.tz or "UTC"))
        good = f"date,buyer,product,qty,price\n{today},B-1,SO-TEA,3,120\n".encode()
        bad = good + f"{today},B-1,NOPE,3,120\n".encode()
        response = self._post("/my/channel/sellout/import", files={"upload": ("s.csv", bad, "text/csv")})
        self.assertIn("o_sellout_import_errors", response.text)
        self.assertFalse(self._orders())
        response = self._post("/my/channel/sellout/import", files={"upload": ("s.csv", good, "text/csv")})
        self.assertIn("o_sellout_import_preview", response.text)
        self.assertFalse(self._orders(), "a preview creates nothing")
        import base64  # noqa: PLC0415

        self._post("/my/channel/sellout/import", {"content": base64.b64encode(good).decode(), "filename": "s.csv",
                                                  "confirm": "1"})
        order = self._orders()
        self.assertEqual((order.state, order.source), ("delivered", "import"))

    def test_other_dealer_order_not_found(self):
        order = self._order(state="submitted")
        self.authenticate("so_flow_other", "so_flow_other")
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/my/channel/sellout/{order.id}").status_code, 404)
        self._post(f"/my/channel/sellout/{order.id}/accept")
        self.assertEqual(order.state, "submitted")
