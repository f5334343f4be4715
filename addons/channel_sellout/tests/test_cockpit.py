from odoo.tests import HttpCase, tagged

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestCockpitSellout(ChannelCockpitMixin, SelloutCommon, HttpCase):
    """The sell-out card of /my/channel: two orders of the dealer's sub-distributors wait for it to
    accept them (10 × 120 and 5 × 120: 1,800 in all); a draft and an accepted order do not count, nor
    the orders of another dealer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        cls.waiting = cls._order(quantity=10.0, state="submitted") | cls._order(
            buyer=cls.buyer_2, quantity=5.0, state="submitted"
        )
        cls.others = cls._order(quantity=3.0) | cls._order(quantity=4.0, state="accepted")
        cls._order(buyer=cls.buyer_other, seller=cls.dealer_other, quantity=7.0, state="submitted")
        cls.user_dealer = cls._portal_user("so_cockpit_dealer", cls.dealer)
        cls.user_buyer = cls._portal_user("so_cockpit_buyer", cls.buyer)
        cls.dealer_alone = cls.env["res.partner"].create({
            "name": "SO Dealer Alone", "is_company": True, "channel_role": "dealer", "channel_state": "active",
        })
        cls.user_alone = cls._portal_user("so_cockpit_alone", cls.dealer_alone)

    def test_sellout_card(self):
        card = self._cards(self.dealer, self.user_dealer)["sellout"]
        self.assertEqual(card["count"], 2)
        self.assertEqual(card["amount"], 1800.0)
        self.assertEqual(card["url"], "/my/channel/sellout?filterby=submitted")
        page = self._cockpit_page("so_cockpit_dealer")
        self.assertIn('o_channel_card_sellout_count">2<', page)
        self.assertIn("1,800.00", page)
        self.assertIn('href="/my/channel/sellout?filterby=submitted"', page)
        # The same orders as the "To accept" list.
        listed = self.url_open("/my/channel/sellout?filterby=submitted").text
        for order in self.waiting:
            self.assertIn(order.name, listed)
        for order in self.others:
            self.assertNotIn(order.name, listed)

    def test_access(self):
        # Only dealers with sub-distributors, never a sub-distributor itself.
        self.assertNotIn("sellout", self._cards(self.dealer_alone, self.user_alone))
        self.assertNotIn("o_channel_card_sellout", self._cockpit_page("so_cockpit_alone"))
        self.assertNotIn("sellout", self._cards(self.buyer, self.user_buyer))
        self.assertNotIn("o_channel_card_sellout", self._cockpit_page("so_cockpit_buyer"))
        self.dealer.channel_state = "terminated"
        self.assertNotIn("sellout", self._cards(self.dealer, self.user_dealer))

    def test_queries_do_not_grow_with_orders(self):
        few = self._cockpit_queries(self.dealer, self.user_dealer)
        for _i in range(18):
            self._order(quantity=1.0, state="submitted")
        many = self._cockpit_queries(self.dealer, self.user_dealer)
        self.assertEqual(self._cards(self.dealer, self.user_dealer)["sellout"]["count"], 20)
        self.assertEqual(many, few, f"{few} queries with 2 orders to accept, {many} with 20")
