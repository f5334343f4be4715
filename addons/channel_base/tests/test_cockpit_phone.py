from odoo.tests import HttpCase, new_test_user, tagged

from .common import ChannelBaseCommon


@tagged("post_install", "-at_install")
class TestCockpitPhone(ChannelBaseCommon, HttpCase):
    """/my/channel on a 390 px wide phone: the cards stack, the downstream partners become stacked
    rows, nothing scrolls sideways (with every card of the installed modules)."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = cls.env["res.partner"].create({"name": "Dealer A Phone Boss", "parent_id": cls.dealer.id})
        new_test_user(
            cls.env, login="cockpit_phone_a", password="cockpit_phone_a", groups="base.group_portal",
            partner_id=contact.id,
        )

    def test_cockpit_on_a_phone(self):
        self.start_tour("/my/channel", "channel_base_cockpit_phone", login="cockpit_phone_a")

    def test_downstream_rows_counted_once(self):
        self.authenticate("cockpit_phone_a", "cockpit_phone_a")
        page = self.url_open("/my/channel").text
        # One table row and one stacked row per partner (the phone list has its own class).
        self.assertEqual(page.count("o_channel_downstream_row"), 2)
        self.assertEqual(page.count("o_channel_downstream_item"), 2)
