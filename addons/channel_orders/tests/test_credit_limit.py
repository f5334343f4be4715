from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ChannelOrdersCommon


@tagged("post_install", "-at_install")
class TestCreditLimit(ChannelOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.channel_sales_approval = False
        cls.dealer.credit_limit = 1000.0
        # 800 already owed on a posted invoice.
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.dealer.id,
                "invoice_date": "2026-01-10",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_b.id,
                            "quantity": 40.0,
                            "price_unit": 20.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        cls.finance_approver = cls._make_user("co_fin", ["channel_orders.group_finance_approver"])
        cls.manager = cls._make_user(
            "co_manager", ["channel_base.group_channel_manager", "channel_orders.group_finance_approver"]
        )

    def test_exposure_figures(self):
        order = self._order(lines=[(self.product_a, 30.0)])  # 300
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_finance")
        self.assertAlmostEqual(order.channel_exposure, 800.0)
        self.assertAlmostEqual(order.channel_credit_limit, 1000.0)
        self.assertTrue(order.channel_credit_exceeded)

    def test_under_limit_passes(self):
        order = self._order(lines=[(self.product_a, 20.0)])  # 200: 800 + 200 = 1000, not above
        order.action_channel_submit()
        order.with_user(self.finance_approver).action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")

    def test_block_and_override(self):
        order = self._order(lines=[(self.product_a, 30.0)])
        order.action_channel_submit()
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.with_user(self.finance_approver).action_channel_approve()
        self.assertEqual(order.channel_state, "to_finance")
        # A finance approver who is not a manager cannot override.
        with self.assertRaises(AccessError):
            order.with_user(self.finance_approver).action_channel_override_credit("Good payer")
        # A manager needs a reason.
        with self.assertRaises(UserError):
            order.with_user(self.manager).action_channel_override_credit("")
        order.with_user(self.manager).action_channel_override_credit("Pays within the week")
        self.assertEqual(order.channel_state, "confirmed")
        self.assertTrue(order.channel_credit_override)
        self.assertEqual(order.channel_credit_override_reason, "Pays within the week")
        self.assertEqual(order.channel_credit_override_user_id, self.manager)

    def test_override_through_context(self):
        order = self._order(lines=[(self.product_a, 30.0)])
        order.action_channel_submit()
        order.with_user(self.manager).with_context(channel_credit_override_reason="Guaranteed").action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")
        self.assertEqual(order.channel_credit_override_reason, "Guaranteed")

    def test_override_through_wizard(self):
        order = self._order(lines=[(self.product_a, 30.0)])
        order.action_channel_submit()
        action = order.action_channel_override_wizard()
        wizard = (
            self.env["channel.order.reason.wizard"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "Season peak"})
        )
        wizard.action_confirm()
        self.assertEqual(order.channel_state, "confirmed")

    def test_confirmed_uninvoiced_orders_count(self):
        self.company.channel_finance_approval = False
        first = self._order(lines=[(self.product_a, 15.0)])  # 150, confirmed without finance step
        first.action_channel_submit()
        self.assertEqual(first.channel_state, "confirmed")
        self.company.channel_finance_approval = True
        second = self._order(lines=[(self.product_a, 10.0)])  # 800 + 150 + 100 > 1000
        second.action_channel_submit()
        self.assertAlmostEqual(second.channel_exposure, 950.0)
        with self.assertRaises(UserError):
            second.with_user(self.finance_approver).action_channel_approve()

    def test_no_limit_no_block(self):
        self.dealer.credit_limit = 0.0
        order = self._order(lines=[(self.product_a, 300.0)])
        order.action_channel_submit()
        order.with_user(self.finance_approver).action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")
