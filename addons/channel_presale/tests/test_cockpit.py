from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin

from .common import ChannelPresaleCommon


@tagged("post_install", "-at_install")
class TestCockpitSuggested(ChannelCockpitMixin, ChannelPresaleCommon, HttpCase):
    """The suggested order of the next route date on /my/channel: deliveries of 12, 0 and 18 cases
    and of 5, 0 and 8 units over the last three cycles give 12 cases and 5 units at 10.00 (170.00)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_user = cls._new_cockpit_user("sg_cockpit_boss", cls.dealer, "Cockpit Boss")
        cls.warehouse_user = cls._new_cockpit_user(
            "sg_cockpit_wh", cls.dealer, "Cockpit Storekeeper", channel_job_role="warehouse"
        )
        cls.distributor, cls.distributor_user = cls._new_cockpit_distributor(
            cls.dealer, "Suggest Distributor", "sg_cockpit_dist"
        )
        cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(0))
        cls._deliver(cls.dealer, [(cls.product_case, 18), (cls.product_unit, 8)], cls._in_cycle(2))
        cls.order = cls.route._prepare_suggested_orders(cls.route_date).filtered(
            lambda order: order.partner_id == cls.dealer
        )

    def test_suggested_card(self):
        card = self._cards(self.dealer, self.dealer_user)["suggested"]
        self.assertEqual(card["order"], self.order)
        self.assertEqual(card["route_date"], self.route_date)
        self.assertEqual(card["line_count"], 2)
        self.assertEqual(card["amount"], 170.0)
        self.assertEqual(card["currency"], self.pricelist.currency_id)
        self.assertEqual(card["url"], "/my/channel/order")
        page = self._cockpit_page("sg_cockpit_boss")
        self.assertIn("o_channel_card_suggested", page)
        self.assertIn('o_channel_card_suggested_lines">2 products', page)
        self.assertIn("170.00", page)
        self.assertIn('href="/my/channel/order"', page)
        # Once submitted, nothing is waiting any more.
        self.order.action_channel_submit()
        card = self._cards(self.dealer, self.dealer_user)["suggested"]
        self.assertFalse(card["order"])
        self.assertIn("No suggested order is waiting for you.", self._cockpit_page("sg_cockpit_boss"))

    def test_access(self):
        # Ordering is what the card leads to: staff who may not order, a suspended dealer and a
        # sub-distributor get no card.
        self.assertNotIn("suggested", self._cards(self.dealer, self.warehouse_user))
        self.assertNotIn("o_channel_card_suggested", self._cockpit_page("sg_cockpit_wh"))
        self.assertNotIn("suggested", self._cards(self.distributor, self.distributor_user))
        self.assertNotIn("o_channel_card_suggested", self._cockpit_page("sg_cockpit_dist"))
        self.dealer.channel_state = "suspended"
        self.assertNotIn("suggested", self._cards(self.dealer, self.dealer_user))
        self.assertNotIn("o_channel_card_suggested", self._cockpit_page("sg_cockpit_boss"))

    def test_queries_do_not_grow_with_lines(self):
        few = self._cockpit_queries(self.dealer, self.dealer_user)
        products = self.env["product.product"].create(
            [{"name": f"Suggest item {i}", "type": "consu", "list_price": 1.0, "taxes_id": [Command.clear()]}
             for i in range(18)]
        )
        self.order.order_line = [Command.create({"product_id": p.id, "product_uom_qty": 1.0}) for p in products]
        many = self._cockpit_queries(self.dealer, self.dealer_user)
        self.assertEqual(self._cards(self.dealer, self.dealer_user)["suggested"]["line_count"], 20)
        self.assertEqual(many, few, f"{few} queries with 2 lines, {many} with 20")
