from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin

from .common import DealerInvoiceMixin
from .test_portal_order import ChannelOrdersHttpCommon


@tagged("post_install", "-at_install")
class TestCockpitOrders(ChannelCockpitMixin, DealerInvoiceMixin, ChannelOrdersHttpCommon):
    """Worked example: the dealer has 2 draft orders, 1 waiting for sales approval, 1 confirmed,
    1 shipped (5 open), 1 done and 1 rejected (closed) and a cart (never an order). Its statement:
    invoices of 1,000 and 500, a credit note of 200, a payment of 700 → balance 600; an invoice dated
    tomorrow and a draft invoice do not count."""

    @classmethod
    def _orders(cls, states, partner=None):
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": (partner or cls.dealer).id,
                    "order_line": [Command.create({"product_id": cls.product_a.id, "product_uom_qty": 6.0})],
                }
                for _state in states
            ]
        )
        for order, state in zip(orders, states, strict=True):
            order.channel_state = state
        return orders

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._orders(["draft", "draft", "to_sales", "confirmed", "shipped", "done", "rejected"])
        cls.env["sale.order"]._channel_get_cart(cls.dealer, create=True)
        cls._orders(["draft", "to_sales"], partner=cls.other_dealer)
        today = fields.Date.context_today(cls.env.user)
        cls._invoice("out_invoice", today - timedelta(days=40), 1000.0)
        cls._invoice("out_invoice", today - timedelta(days=20), 500.0)
        cls._invoice("out_refund", today - timedelta(days=10), 200.0)
        cls._invoice("out_invoice", today + timedelta(days=1), 77.0)
        cls._invoice("out_invoice", today - timedelta(days=5), 999.0, post=False)
        bank = cls.env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
        receivable = cls.dealer.property_account_receivable_id
        payment = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": today - timedelta(days=3),
                "line_ids": [
                    Command.create({"account_id": bank.default_account_id.id, "debit": 700.0, "credit": 0.0}),
                    Command.create(
                        {"account_id": receivable.id, "partner_id": cls.dealer.id, "debit": 0.0, "credit": 700.0}
                    ),
                ],
            }
        )
        payment.action_post()
        cls.warehouse_user = cls._new_cockpit_user(
            "co_cockpit_wh", cls.dealer, "Dealer Storekeeper", channel_job_role="warehouse"
        )
        cls.distributor, cls.distributor_user = cls._new_cockpit_distributor(
            cls.dealer, "Test Distributor Xiaoshan", "co_cockpit_dist"
        )

    def test_orders_card(self):
        card = self._cards(self.dealer, self.dealer_user)["orders"]
        self.assertEqual(card["total"], 5)
        self.assertEqual(
            [(row["state"], row["count"]) for row in card["states"]],
            [("draft", 2), ("to_sales", 1), ("confirmed", 1), ("shipped", 1)],
        )
        self.assertEqual(card["url"], "/my/channel/orders")
        page = self._cockpit_page("co_dealer")
        self.assertIn('o_channel_card_orders_total">5<', page)
        self.assertIn("o_channel_card_orders_draft", page)
        self.assertIn("o_channel_card_orders_shipped", page)
        self.assertNotIn("o_channel_card_orders_done", page)
        self.assertIn('href="/my/channel/orders"', page)

    def test_statement_card(self):
        card = self._cards(self.dealer, self.dealer_user)["statement"]
        self.assertEqual(card["balance"], 600.0)
        self.assertEqual(card["line_count"], 4)
        self.assertEqual(card["currency"], self.company.currency_id)
        # The same closing balance as the statement page for a period ending today.
        statement = self.dealer.sudo()._channel_statement(False, fields.Date.context_today(self.env.user))
        self.assertEqual(statement["closing_balance"], card["balance"])
        page = self._cockpit_page("co_dealer")
        self.assertIn("o_channel_card_statement_balance", page)
        self.assertIn("600.00", page)
        self.assertIn('href="/my/channel/statement"', page)

    def test_access(self):
        # Warehouse staff read orders but not the statement.
        cards = self._cards(self.dealer, self.warehouse_user)
        self.assertIn("orders", cards)
        self.assertNotIn("statement", cards)
        page = self._cockpit_page("co_cockpit_wh")
        self.assertIn("o_channel_card_orders", page)
        self.assertNotIn("o_channel_card_statement", page)
        # A sub-distributor has neither (the dealer pages refuse it).
        cards = self._cards(self.distributor, self.distributor_user)
        self.assertFalse({"orders", "statement"} & set(cards))
        page = self._cockpit_page("co_cockpit_dist")
        self.assertNotIn("o_channel_card_orders", page)
        self.assertNotIn("o_channel_card_statement", page)
        # A suspended dealer still reads its orders and statement; a terminated one has no channel page.
        self.dealer.channel_state = "suspended"
        self.assertTrue({"orders", "statement"} <= set(self._cards(self.dealer, self.dealer_user)))
        self.dealer.channel_state = "terminated"
        self.assertFalse({"orders", "statement"} & set(self._cards(self.dealer, self.dealer_user)))
        self.assertNotIn("o_channel_card_orders", self._cockpit_page("co_dealer"))

    def test_queries_do_not_grow_with_orders(self):
        few = self._cockpit_queries(self.dealer, self.dealer_user)
        self._orders(["draft", "to_sales", "confirmed", "picked", "shipped", "done"] * 3)
        self._invoice("out_invoice", fields.Date.context_today(self.env.user) - timedelta(days=2), 10.0)
        many = self._cockpit_queries(self.dealer, self.dealer_user)
        self.assertEqual(self._cards(self.dealer, self.dealer_user)["orders"]["total"], 20)
        self.assertEqual(many, few, f"{few} queries with 5 open orders, {many} with 20")
