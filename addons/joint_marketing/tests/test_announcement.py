from psycopg2 import IntegrityError

from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import JointMarketingCommon


@tagged("post_install", "-at_install")
class TestAnnouncement(JointMarketingCommon, MockEmail):
    """Portal users: A (Gold, Hangzhou, company login), B (Silver, Zhejiang), C (Gold, Jiangsu),
    D's sales clerk and warehouse clerk (Silver, Hangzhou), distributor A2 (Xihu)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a = cls._jm_portal_user("jm_ann_a", cls.dealer_a)
        cls.user_b = cls._jm_portal_user("jm_ann_b", cls.dealer_b)
        cls.user_c = cls._jm_portal_user("jm_ann_c", cls.dealer_c)
        cls.user_d_sales = cls._jm_portal_user("jm_ann_d_sales", cls.dealer_d)
        cls.user_d_sales.partner_id.channel_job_role = "sales"
        cls.user_d_wh = cls._jm_portal_user("jm_ann_d_wh", cls.dealer_d)
        cls.user_d_wh.partner_id.channel_job_role = "warehouse"
        cls.user_a2 = cls._jm_portal_user("jm_ann_a2", cls.distributor_a2)
        outsider = cls.env["res.partner"].create({"name": "JM Not in the channel", "is_company": True})
        cls.user_outsider = cls._jm_portal_user("jm_ann_out", outsider)
        cls.ours = (cls.user_a | cls.user_b | cls.user_c | cls.user_d_sales | cls.user_d_wh | cls.user_a2
                    | cls.user_outsider)
        cls.announcement = cls.env["channel.announcement"].create({"name": "New prices", "body": "<p>Hello</p>"})
        cls.announcement.action_publish()

    def _audience(self, **vals):
        self.announcement.write(vals)
        return self.announcement._get_audience_users() & self.ours

    def _visible_to(self, user):
        Announcement = self.env["channel.announcement"]
        return Announcement.search(Announcement._get_portal_domain(user)) & self.announcement

    def assertAudience(self, expected, **vals):
        audience = self._audience(**vals)
        self.assertEqual(audience, expected)
        # The reverse domain (portal pages) agrees with the audience, user by user.
        for user in self.ours:
            self.assertEqual(bool(self._visible_to(user)), user in expected, user.login)

    def test_empty_audience_is_the_whole_channel(self):
        self.assertAudience(self.ours - self.user_outsider)

    def test_audience_by_tier(self):
        self.assertAudience(self.user_a | self.user_c, tier_ids=[Command.set(self.tier_gold.ids)])

    def test_audience_by_territory_with_descendants(self):
        self.assertAudience(
            self.user_a | self.user_b | self.user_d_sales | self.user_d_wh | self.user_a2,
            territory_ids=[Command.set(self.territory_zj.ids)],
        )
        self.assertAudience(self.user_a2, territory_ids=[Command.set(self.territory_xh.ids)])

    def test_audience_by_channel_role(self):
        role = self.env.ref("joint_marketing.audience_role_distributor")
        self.assertAudience(self.user_a2, channel_roles=[Command.set(role.ids)])

    def test_audience_by_job_role(self):
        role = self.env.ref("joint_marketing.audience_job_sales")
        # Company logins without a job role are the company itself: reached too.
        self.assertAudience(
            self.user_a | self.user_b | self.user_c | self.user_d_sales | self.user_a2,
            job_roles=[Command.set(role.ids)],
        )

    def test_audience_by_partner_and_combined(self):
        self.assertAudience(self.user_c, partner_ids=[Command.set(self.dealer_c.ids)])
        self.assertAudience(
            self.user_a, partner_ids=[Command.set((self.dealer_a | self.dealer_c).ids)],
            tier_ids=[Command.set(self.tier_gold.ids)], territory_ids=[Command.set(self.territory_zj.ids)],
        )

    def test_suspended_member_still_reads_terminated_does_not(self):
        self.dealer_b.channel_state = "suspended"
        self.assertIn(self.user_b, self._audience())
        self.dealer_b.channel_state = "terminated"
        self.assertNotIn(self.user_b, self._audience())

    def test_draft_and_expired_are_not_visible(self):
        self.announcement.action_archive_announcement()
        self.assertFalse(self._visible_to(self.user_a))
        self.announcement.write({"state": "published", "date_expire": "2020-01-01"})
        self.assertFalse(self._visible_to(self.user_a))

    def test_one_receipt_per_user(self):
        first = self.announcement._mark_read(self.user_a)
        again = self.announcement._mark_read(self.user_a)
        self.assertEqual(first, again)
        self.assertEqual(first.partner_id, self.dealer_a)
        self.assertEqual(len(self.announcement.receipt_ids.filtered(lambda r: r.user_id == self.user_a)), 1)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["channel.announcement.receipt"].create({
                "announcement_id": self.announcement.id, "user_id": self.user_a.id,
            })
        self.announcement.territory_ids = self.territory_zj
        self.announcement.invalidate_recordset()
        self.assertEqual(self.announcement.read_count, 1)
        self.assertEqual(self.announcement.unread_count, 4)
        self.assertAlmostEqual(self.announcement.read_rate, 20.0)

    def test_reminders_only_to_non_readers(self):
        self.announcement.territory_ids = self.territory_hz  # A, D sales, D warehouse, A2
        self.announcement._mark_read(self.user_a)
        self.announcement._mark_read(self.user_d_wh)
        self.announcement._mark_read(self.user_c)  # outside the audience: does not matter
        with self.mock_mail_gateway():
            self.announcement.action_remind_unread()
        mails = self.env["mail.mail"].search([
            ("model", "=", "channel.announcement"), ("res_id", "=", self.announcement.id),
        ])
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, (self.user_d_sales | self.user_a2).partner_id)
        self.assertIn(f"/my/channel/announcements/{self.announcement.id}", mails[0].body_html)
        self.assertIn("New prices", mails[0].subject)

    def test_funnel_by_territory(self):
        self.announcement.territory_ids = self.territory_zj
        self.announcement._mark_read(self.user_a)
        self.announcement._mark_read(self.user_d_sales)
        lines = self.env["channel.announcement.funnel"]._refresh(self.announcement)
        by_territory = {line.territory_id: (line.reached, line.opened) for line in lines}
        self.assertEqual(by_territory[self.territory_hz], (3, 2))
        self.assertEqual(by_territory[self.territory_zj], (1, 0))
        self.assertEqual(by_territory[self.territory_xh], (1, 0))

    def test_internal_users_are_never_the_audience(self):
        internal = new_test_user(self.env, login="jm_ann_internal", groups="base.group_user")
        self.assertNotIn(internal, self.announcement._get_audience_users())
        self.assertFalse(self._visible_to(internal))
