"""A dealer's portal user walks through every portal page of the installed suite.

Each page answers for the dealer, shows its own data and nothing of another dealer; a user whose
company is not in the channel network is turned away from the channel pages.
"""

from odoo.tests import HttpCase, new_test_user, tagged

# Portal pages of each module of the suite (only those of installed modules are visited).
PORTAL_PAGES = {
    "channel_base": ["/my/channel"],
    "channel_orders": ["/my/channel/order", "/my/channel/statement"],
    "rebate_policy": ["/my/channel/rebates"],
    "dealer_training": ["/my/channel/training"],
}


@tagged("post_install", "-at_install")
class TestPortalSuite(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer_a = Partner.create({
            "name": "Suite Dealer Alpha", "is_company": True, "channel_role": "dealer", "channel_state": "active",
        })
        cls.dealer_b = Partner.create({
            "name": "Suite Dealer Bravo", "is_company": True, "channel_role": "dealer", "channel_state": "active",
        })
        cls.distributor_a = Partner.create({
            "name": "Suite Distributor Alpha-1", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer_a.id,
        })
        cls.distributor_b = Partner.create({
            "name": "Suite Distributor Bravo-1", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer_b.id,
        })
        cls.owner_a = Partner.create({
            "name": "Owner Alpha", "parent_id": cls.dealer_a.id, "email": "alpha@example.com",
        })
        new_test_user(cls.env, login="suite_portal_a", password="suite_portal_a", groups="base.group_portal",
                      partner_id=cls.owner_a.id)
        outsider = Partner.create({"name": "Plain Customer", "is_company": True})
        new_test_user(cls.env, login="suite_portal_x", password="suite_portal_x", groups="base.group_portal",
                      partner_id=Partner.create({"name": "Plain Contact", "parent_id": outsider.id}).id)
        installed = set(cls.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        cls.pages = [url for module, urls in PORTAL_PAGES.items() if module in installed for url in urls]

    def test_dealer_sees_own_pages_only(self):
        self.authenticate("suite_portal_a", "suite_portal_a")
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertTrue("/my/channel" in home.text, "/my has no channel entry")
        for url in self.pages:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, url)
                for foreign in ("Suite Dealer Bravo", "Suite Distributor Bravo-1"):
                    self.assertFalse(foreign in response.text, f"{url} shows {foreign}")
        channel = self.url_open("/my/channel")
        self.assertTrue("Suite Distributor Alpha-1" in channel.text, "/my/channel misses the own distributor")

    def test_non_member_is_turned_away(self):
        self.authenticate("suite_portal_x", "suite_portal_x")
        for url in self.pages:
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertNotEqual(response.status_code, 200, url)
