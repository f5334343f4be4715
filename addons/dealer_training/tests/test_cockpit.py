from odoo.tests import HttpCase, tagged

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestCockpitTraining(ChannelCockpitMixin, DealerTrainingCommon, HttpCase):
    """The training card of /my/channel. Dealer A's owner has 3 required items (profitability,
    finance, the certification), its salesperson 1 (profitability): once the salesperson and the
    owner completed profitability, the owner reads 2 of 4 done (50 %, 2 to do), the salesperson
    its own item done (100 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complete_course(cls, cls.sales_a, cls.course_profit)
        cls.complete_course(cls, cls.owner_a, cls.course_profit)

    def test_training_card(self):
        card = self._cards(self.dealer_a, self.user_owner_a)["training"]
        self.assertTrue(card["is_owner"])
        self.assertEqual((card["required"], card["done"], card["todo"], card["compliance"]), (4, 2, 2, 50.0))
        # The compliance of the training page (the company's figure).
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.training_compliance, card["compliance"])
        self.assertEqual(card["url"], "/my/channel/training")
        page = self._cockpit_page("dt_owner_a")
        self.assertIn('o_channel_card_training_todo">2<', page)
        self.assertIn('o_channel_card_training_compliance">50 %', page)
        self.assertIn('href="/my/channel/training"', page)
        # A salesperson reads its own items only, as on the training page.
        card = self._cards(self.dealer_a, self.user_sales_a)["training"]
        self.assertFalse(card["is_owner"])
        self.assertEqual((card["required"], card["done"], card["todo"], card["compliance"]), (1, 1, 0, 100.0))
        self.assertIn('o_channel_card_training_todo">0<', self._cockpit_page("dt_sales_a"))

    def test_access(self):
        # Another dealer's owner reads its own company's figures (its own item and its salesperson's).
        card = self._cards(self.dealer_b, self.user_owner_b)["training"]
        self.assertEqual((card["required"], card["done"]), (2, 0))
        # A terminated dealer has no training page, hence no card.
        self.dealer_a.channel_state = "terminated"
        self.assertNotIn("training", self._cards(self.dealer_a, self.user_owner_a))
        self.assertNotIn("o_channel_card_training", self._cockpit_page("dt_owner_a"))

    def test_queries_do_not_grow_with_staff(self):
        few = self._cockpit_queries(self.dealer_a, self.user_owner_a)
        self.env["res.partner"].create([
            {"name": f"Sales A{i}", "parent_id": self.dealer_a.id, "channel_job_role": "sales"} for i in range(16)
        ])
        many = self._cockpit_queries(self.dealer_a, self.user_owner_a)
        self.assertEqual(self._cards(self.dealer_a, self.user_owner_a)["training"]["required"], 20)
        self.assertEqual(many, few, f"{few} queries with 4 items, {many} with 20")
