from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ChannelOrdersCommon


@tagged("post_install", "-at_install")
class TestChainEnforced(ChannelOrdersCommon):
    """Only the approval chain confirms a dealer order; the delivery steps follow the warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._make_user(
            "co_chain_salesman", ["sales_team.group_sale_salesman_all_leads", "channel_base.group_channel_user"]
        )
        cls.admin = cls.env.ref("base.user_admin")

    def test_direct_confirm_refused_waiting_approval(self):
        order = self._order()
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_sales")
        for user in (self.admin, self.salesman):
            with self.assertRaisesRegex(UserError, "approval chain"):
                order.with_user(user).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.channel_state, "to_sales")
        self.assertFalse(order.picking_ids)

    def test_direct_confirm_refused_draft(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.admin).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.channel_state, "draft")

    def test_rpc_context_cannot_pass_for_the_chain(self):
        """A context key sent over JSON-RPC is a string, never the chain's marker."""
        order = self._order()
        order.action_channel_submit()
        with self.assertRaises(UserError):
            order.with_user(self.admin).with_context(channel_chain_confirm=True).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_chain_confirms(self):
        order = self._order()
        order.action_channel_submit()
        order.with_user(self.admin).action_channel_approve()
        order.with_user(self.admin).action_channel_approve()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.channel_state, "confirmed")

    def test_no_approval_confirm_is_submission(self):
        """Every approval switched off: confirming runs the submission checks (credit included)."""
        self.company.write({"channel_sales_approval": False, "channel_finance_approval": False})
        self.dealer.with_company(self.company).credit_limit = 50.0
        order = self._order(lines=[(self.product_a, 12.0)])
        order._channel_apply_prices()
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.with_user(self.admin).action_confirm()
        self.assertEqual(order.state, "draft")
        self.dealer.with_company(self.company).credit_limit = 0.0
        order.with_user(self.admin).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.channel_submit_date)

    def test_credit_checked_at_submission_without_finance(self):
        self.company.channel_finance_approval = False
        self.dealer.with_company(self.company).credit_limit = 50.0
        order = self._order(lines=[(self.product_a, 12.0)])
        order._channel_apply_prices()
        self.assertGreater(order.amount_total, 50.0)
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.action_channel_submit()
        self.assertEqual(order.channel_state, "draft")
        self.assertFalse(order.channel_submit_date)

    def test_quotation_acceptance_path_refused(self):
        order = self._order()
        order.action_channel_submit()
        with self.assertRaises(UserError):
            order.sudo()._validate_order()
        self.assertEqual(order.state, "draft")

    def test_paid_order_stays_in_chain(self):
        """A done payment of a dealer order does not confirm it: the chain does."""
        order = self._order()
        order.action_channel_submit()
        provider = self.env["payment.provider"].search([("code", "=", "demo")], limit=1) or self.env[
            "payment.provider"
        ].create({"name": "Chain demo", "code": "none"})
        method = self.env["payment.method"].with_context(active_test=False).search([], limit=1)
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.dealer.id,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        self.assertFalse(tx._check_amount_and_confirm_order())
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.channel_state, "to_sales")

    def test_internal_caller_only(self):
        order = self._order()
        for method, args in (
            ("action_channel_submit", ()),
            ("action_channel_approve", ()),
            ("action_channel_reject", ("no",)),
            ("action_channel_confirm_receipt", ()),
            ("action_channel_done", ()),
            ("action_channel_reset_to_draft", ()),
        ):
            with self.assertRaises(AccessError, msg=method):
                getattr(order.with_user(self.dealer_user), method)(*args)
        self.assertEqual(order.channel_state, "draft")

    def test_two_step_delivery_picked_then_shipped(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._order()
        order.action_channel_submit()
        order.action_channel_approve()
        order.action_channel_approve()
        self.assertEqual(order._channel_chain_steps(), [
            "draft", "to_sales", "to_finance", "confirmed", "picked", "shipped", "received", "done",
        ])
        pick = order.picking_ids.filtered(lambda p: p.picking_type_code != "outgoing")
        self.assertTrue(pick)
        self._validate_pickings(pick)
        self.assertEqual(order.channel_state, "picked")
        self._ship(order)
        self.assertEqual(order.channel_state, "shipped")

    def test_one_step_delivery_shows_shipping_only(self):
        self.warehouse.delivery_steps = "ship_only"
        order = self._order()
        self.assertNotIn("picked", order._channel_chain_steps())
        self.company.channel_picking_step = False
        self.warehouse.delivery_steps = "pick_ship"
        self.assertNotIn("picked", order._channel_chain_steps())

    def test_shipping_step_off_closes_delivered_order(self):
        self.company.channel_shipping_step = False
        order = self._order()
        order.action_channel_submit()
        order.action_channel_approve()
        order.action_channel_approve()
        self.assertNotIn("shipped", order._channel_chain_steps())
        self._ship(order)
        self.assertEqual(order.channel_state, "done")

    def test_inventory_user_validates_unreadable_order(self):
        """A stock user who may not read the order still validates its delivery (chain state moves)."""
        order = self._order()
        order.action_channel_submit()
        order.action_channel_approve()
        order.action_channel_approve()
        clerk = self._make_user("co_chain_clerk", ["stock.group_stock_user", "sales_team.group_sale_salesman"])
        self.assertFalse(order.with_user(clerk).has_access("read"))
        self._validate_pickings(order.picking_ids.with_user(clerk))
        self.assertEqual(order.channel_state, "shipped")

    def test_internal_notes_groups(self):
        for name in ("channel_credit_override_reason", "channel_credit_override_user_id", "channel_anomaly_note"):
            self.assertEqual(self.env["sale.order"]._fields[name].groups, "base.group_user", name)
