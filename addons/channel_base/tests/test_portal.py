from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import ChannelBaseCommon


@tagged("post_install", "-at_install")
class TestPortal(ChannelBaseCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.salesman = new_test_user(
            cls.env, login="portal_test_salesman", name="Salesman Zhang", email="zhang@example.com",
            groups="channel_base.group_channel_user",
        )
        cls.dealer.user_id = cls.salesman
        cls.dealer_contact = Partner.create({"name": "Dealer A Boss", "parent_id": cls.dealer.id})
        cls.dealer_b_contact = Partner.create({"name": "Dealer B Boss", "parent_id": cls.dealer_b.id})
        cls.portal_a = new_test_user(
            cls.env, login="portal_dealer_a", password="portal_dealer_a", groups="base.group_portal",
            partner_id=cls.dealer_contact.id,
        )
        cls.portal_b = new_test_user(
            cls.env, login="portal_dealer_b", password="portal_dealer_b", groups="base.group_portal",
            partner_id=cls.dealer_b_contact.id,
        )
        cls.distributor_contact = Partner.create({"name": "Distributor A1 Boss", "parent_id": cls.distributor.id})
        cls.portal_dist = new_test_user(
            cls.env, login="portal_dist_a1", password="portal_dist_a1", groups="base.group_portal",
            partner_id=cls.distributor_contact.id,
        )
        cls.outsider = new_test_user(cls.env, login="portal_outsider", password="portal_outsider",
                                     groups="base.group_portal")
        cls.network_a = cls.dealer | cls.distributor | cls.retailer
        cls.network_b = cls.dealer_b | cls.distributor_b | cls.retailer_b

    # Record rules --------------------------------------------------------------------------
    def test_portal_reads_own_network_only(self):
        Partner = self.env["res.partner"].with_user(self.portal_a)
        visible = Partner.search([("channel_role", "!=", False)])
        self.assertEqual(visible & (self.network_a | self.network_b), self.network_a)
        self.assertFalse(visible & self.network_b)
        self.assertEqual(Partner.browse(self.retailer.id).name, "Retailer A1-1")
        for partner in self.network_b | self.dealer_b_contact:
            with self.assertRaises(AccessError):
                Partner.browse(partner.id).read(["name"])
        # Portal users never write channel data, not even on their own company.
        with self.assertRaises(AccessError):
            Partner.browse(self.distributor.id).write({"channel_tier_id": self.tier_gold.id})

    def test_distributor_portal_sees_its_retailers_not_its_dealer_network(self):
        Partner = self.env["res.partner"].with_user(self.portal_dist)
        visible = Partner.search([("channel_role", "!=", False)])
        self.assertEqual(visible & (self.network_a | self.network_b), self.distributor | self.retailer)
        sibling = self.env["res.partner"].create({
            "name": "Distributor A2", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": self.dealer.id,
        })
        with self.assertRaises(AccessError):
            Partner.browse(sibling.id).read(["name"])

    def test_rpc_read_of_another_dealer_fails(self):
        self.authenticate("portal_dealer_a", "portal_dealer_a")
        own = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "res.partner", "method": "read",
            "args": [[self.distributor.id], ["name", "channel_role", "channel_dealer_id"]], "kwargs": {},
        })
        self.assertEqual(own[0]["name"], "Distributor A1")
        self.assertEqual(own[0]["channel_dealer_id"][0], self.dealer.id)
        for partner in (self.dealer_b, self.distributor_b, self.retailer_b):
            with self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request("/web/dataset/call_kw", {
                    "model": "res.partner", "method": "read",
                    "args": [[partner.id], ["name"]], "kwargs": {},
                })
            self.assertIn("AccessError", str(caught.exception))
        found = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "res.partner", "method": "search_read",
            "args": [[("channel_role", "!=", False)], ["name"]], "kwargs": {},
        })
        names = {row["name"] for row in found}
        self.assertIn("Retailer A1-1", names)
        self.assertFalse(names & {"Dealer B", "Distributor B1", "Retailer B1-1", "Dealer B Boss"})

    # Portal pages ---------------------------------------------------------------------------
    def test_my_channel_page(self):
        self.authenticate("portal_dealer_a", "portal_dealer_a")
        response = self.url_open("/my/channel")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Distributor A1", page)
        self.assertIn("Retailer A1-1", page)
        self.assertIn("Gold", page)
        self.assertIn("Zhejiang / Hangzhou", page)
        self.assertIn("Salesman Zhang", page)
        for name in ("Dealer B", "Distributor B1", "Retailer B1-1"):
            self.assertNotIn(name, page)
        # The dealer itself is not one of its downstream partners.
        self.assertEqual(page.count("o_channel_downstream_row"), 2)
        # The cockpit: one card per contribution of res.partner._channel_cockpit_cards, in sequence.
        self.assertIn("o_channel_card_tier", page)
        dealer_a = self.env["res.users"].search([("login", "=", "portal_dealer_a")]).partner_id.commercial_partner_id
        cards = dealer_a.with_user(dealer_a.user_ids[:1])._channel_cockpit_sorted_cards()
        self.assertEqual(cards[0]["name"], "tier")
        self.assertEqual(cards[0]["tier"].name, "Gold")
        self.assertEqual([card["sequence"] for card in cards], sorted(card["sequence"] for card in cards))

        filtered = self.url_open("/my/channel?filterby=retailer").text
        self.assertIn("Retailer A1-1", filtered)
        self.assertEqual(filtered.count("o_channel_downstream_row"), 1)
        searched = self.url_open("/my/channel?search=Retailer&search_in=name").text
        self.assertEqual(searched.count("o_channel_downstream_row"), 1)

        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["channel_partner_count"]})
        self.assertEqual(counters["channel_partner_count"], 2)
        home = self.url_open("/my/home").text
        self.assertIn('href="/my/channel"', home)

    def test_my_channel_page_other_dealer(self):
        self.authenticate("portal_dealer_b", "portal_dealer_b")
        page = self.url_open("/my/channel").text
        self.assertIn("Distributor B1", page)
        self.assertIn("Silver", page)
        for name in ("Dealer A", "Distributor A1", "Retailer A1-1", "Salesman Zhang"):
            self.assertNotIn(name, page)
        # Gold shows only as the next tier of the tier card (ranked above Silver), never as A's tier
        self.assertEqual(page.count("Gold"), 1)
        self.assertIn('<div class="fw-bold o_channel_card_tier_next_name">Gold</div>', page)

    def test_my_channel_page_not_a_member(self):
        self.authenticate("portal_outsider", "portal_outsider")
        response = self.url_open("/my/channel", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertNotIn('href="/my/channel"', self.url_open("/my/home").text)
