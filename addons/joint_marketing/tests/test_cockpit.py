from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin

from .common import JointMarketingHttpCommon


@tagged("post_install", "-at_install")
class TestCockpitJointMarketing(ChannelCockpitMixin, JointMarketingHttpCommon):
    """The target and announcement cards of /my/channel.

    Targets of this month: dealer A 10,000 (6,500 achieved: 65 %, 3,500 to go) and, on drinks,
    4,000 (1,000 achieved); its distributor A1 2,000 (500 achieved: 25 %).
    Announcements: five published for everybody (the first one read by A's user), one draft, one
    expired and one for dealer D only: four unread for A's user.
    """

    @classmethod
    def _target_month(cls, partner, target, achieved, parent_root, categ=None):
        Target = cls.env["channel.target"]
        yearly = Target.create({
            "territory_id": cls.territory_hz.id, "partner_id": partner.id, "year": cls.today.year,
            "parent_id": parent_root.id, "categ_id": categ and categ.id, "target_amount": target * 12,
        })
        return Target.create({
            "territory_id": cls.territory_hz.id, "partner_id": partner.id, "year": cls.today.year,
            "month": cls.today.month, "parent_id": yearly.id, "categ_id": categ and categ.id,
            "target_amount": target, "achieved_amount": achieved,
        })

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        Target = cls.env["channel.target"]
        root = Target.create({"territory_id": cls.territory_hz.id, "year": cls.today.year, "target_amount": 500000})
        drinks_root = Target.create({
            "territory_id": cls.territory_hz.id, "year": cls.today.year, "categ_id": cls.categ_drink.id,
            "target_amount": 100000,
        })
        cls.month_a = cls._target_month(cls.dealer_a, 10000, 6500, root)
        cls.month_a_drinks = cls._target_month(cls.dealer_a, 4000, 1000, drinks_root, cls.categ_drink)
        cls._target_month(cls.distributor_a1, 2000, 500, root)
        # Only the announcements of this example are in play (never those of the demo data).
        Announcement = cls.env["channel.announcement"]
        Announcement.search([("state", "=", "published")]).action_archive_announcement()
        now = datetime.now().replace(microsecond=0)
        cls.announcements = Announcement.create([
            {"name": f"Cockpit notice {i}", "date_publish": now - timedelta(days=i)} for i in range(1, 6)
        ])
        cls.announcements.action_publish()
        Announcement.create({"name": "Cockpit draft notice"})
        expired = Announcement.create({"name": "Cockpit expired notice", "date_expire": cls.today - timedelta(days=1)})
        expired.action_publish()
        for_d = Announcement.create(
            {"name": "Cockpit notice for D", "partner_ids": [fields.Command.set(cls.dealer_d.ids)]}
        )
        for_d.action_publish()
        cls.user_a = cls._jm_portal_user("jm_cockpit_a", cls.dealer_a)
        cls.user_a1 = cls._jm_portal_user("jm_cockpit_a1", cls.distributor_a1)
        cls.retailer = cls.env["res.partner"].create({
            "name": "JM Retailer A1-1", "is_company": True, "channel_role": "retailer", "channel_state": "active",
            "channel_parent_id": cls.distributor_a1.id,
        })
        cls.user_retailer = cls._jm_portal_user("jm_cockpit_r", cls.retailer)
        cls.announcements[0]._mark_read(cls.user_a)

    def test_targets_card(self):
        card = self._cards(self.dealer_a, self.user_a)["targets"]
        self.assertTrue(card["has_target"])
        self.assertEqual(card["target_amount"], 10000)
        self.assertEqual(card["achieved_amount"], 6500)
        self.assertEqual(card["remaining_amount"], 3500)
        self.assertEqual(card["rate"], 65.0)
        self.assertEqual(card["url"], "/my/channel/targets")
        page = self._cockpit_page("jm_cockpit_a")
        self.assertIn('o_channel_card_targets_rate">65 %', page)
        self.assertIn("6,500", page)
        self.assertIn("10,000", page)
        self.assertIn("3,500", page)
        # The distributor's own target only.
        card = self._cards(self.distributor_a1, self.user_a1)["targets"]
        self.assertEqual((card["target_amount"], card["achieved_amount"], card["rate"]), (2000, 500, 25.0))
        self.assertIn('o_channel_card_targets_rate">25 %', self._cockpit_page("jm_cockpit_a1"))
        # Without an overall target, the category targets add up.
        self.month_a.unlink()
        card = self._cards(self.dealer_a, self.user_a)["targets"]
        self.assertEqual((card["target_amount"], card["achieved_amount"], card["rate"]), (4000, 1000, 25.0))

    def test_announcements_card(self):
        card = self._cards(self.dealer_a, self.user_a)["announcements"]
        self.assertEqual(card["unread_count"], 4)
        self.assertEqual(
            [row["name"] for row in card["latest"]], ["Cockpit notice 2", "Cockpit notice 3", "Cockpit notice 4"]
        )
        self.assertEqual(card["latest"][0]["url"], f"/my/channel/announcements/{self.announcements[1].id}")
        page = self._cockpit_page("jm_cockpit_a")
        self.assertIn('o_channel_card_announcements_count">4<', page)
        self.assertIn(f'href="/my/channel/announcements/{self.announcements[1].id}"', page)
        self.assertNotIn("Cockpit notice 1<", page)
        self.assertNotIn("Cockpit notice 5", page)
        self.assertNotIn("Cockpit notice for D", page)
        # Opening one from the card counts it as read.
        self.url_open(f"/my/channel/announcements/{self.announcements[1].id}")
        self.assertEqual(self._cards(self.dealer_a, self.user_a)["announcements"]["unread_count"], 3)

    def test_access(self):
        # Retailers have no target page, hence no target card; they read announcements.
        cards = self._cards(self.retailer, self.user_retailer)
        self.assertNotIn("targets", cards)
        self.assertEqual(cards["announcements"]["unread_count"], 5)
        page = self._cockpit_page("jm_cockpit_r")
        self.assertNotIn("o_channel_card_targets", page)
        self.assertIn("o_channel_card_announcements", page)
        # A terminated dealer has neither page.
        self.dealer_a.channel_state = "terminated"
        self.assertFalse({"targets", "announcements"} & set(self._cards(self.dealer_a, self.user_a)))

    def test_queries_do_not_grow_with_records(self):
        few = self._cockpit_queries(self.dealer_a, self.user_a)
        Announcement = self.env["channel.announcement"]
        more = Announcement.create([{"name": f"Cockpit extra {i}"} for i in range(15)])
        more.action_publish()
        for announcement in more[:3]:
            announcement._mark_read(self.user_a)
        for distributor in (self.distributor_a2, self.distributor_a3):
            self._target_month(distributor, 1000, 100, self.month_a.parent_id.parent_id)
        many = self._cockpit_queries(self.dealer_a, self.user_a)
        self.assertEqual(self._cards(self.dealer_a, self.user_a)["announcements"]["unread_count"], 16)
        self.assertEqual(many, few, f"{few} queries with 5 announcements, {many} with 20")
