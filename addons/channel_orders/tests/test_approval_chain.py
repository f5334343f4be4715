from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ChannelOrdersCommon


@tagged("post_install", "-at_install")
class TestApprovalChain(ChannelOrdersCommon):
    def _set_chain(self, sales=True, finance=True, receipt=True):
        self.company.write(
            {
                "channel_sales_approval": sales,
                "channel_finance_approval": finance,
                "channel_receipt_confirmation": receipt,
            }
        )

    def test_full_chain(self):
        order = self._order()
        self.assertEqual(order.channel_dealer_id, self.dealer)
        self.assertEqual(order.channel_state, "draft")
        self.assertEqual(order.channel_tier_id, self.tier)
        self.assertEqual(order.channel_territory_id, self.territory)
        self.assertEqual(order.channel_route_id, self.route)
        self.assertFalse(order.require_signature)
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_sales")
        self.assertEqual(order.state, "draft")
        order.action_channel_approve()
        self.assertEqual(order.channel_state, "to_finance")
        self.assertEqual(order.state, "draft")
        order.action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids, "confirmation creates the delivery")
        self._ship(order)
        self.assertEqual(order.channel_state, "shipped")
        order.action_channel_confirm_receipt("2 cases damaged")
        self.assertEqual(order.channel_state, "received")
        self.assertEqual(order.channel_receipt_note, "2 cases damaged")
        self.assertTrue(order.channel_receipt_date)
        order.action_channel_done()
        self.assertEqual(order.channel_state, "done")
        # Every transition is in the chatter and addressed to the dealer.
        bodies = order.message_ids.filtered(lambda m: m.message_type == "comment").mapped("body")
        self.assertEqual(len(bodies), 6, "to_sales, to_finance, confirmed, shipped, received, done")
        self.assertTrue(
            all(self.dealer in m.partner_ids for m in order.message_ids.filtered(lambda m: m.message_type == "comment"))
        )

    def test_sales_step_off(self):
        self._set_chain(sales=False)
        order = self._order()
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_finance")
        order.action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")

    def test_finance_step_off(self):
        self._set_chain(finance=False)
        order = self._order()
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_sales")
        order.action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")
        self.assertEqual(order.state, "sale")

    def test_no_approval(self):
        self._set_chain(sales=False, finance=False)
        order = self._order()
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "confirmed")
        self.assertEqual(order.state, "sale")

    def test_receipt_step_off(self):
        self._set_chain(sales=False, finance=False, receipt=False)
        order = self._order()
        order.action_channel_submit()
        self._ship(order)
        self.assertEqual(order.channel_state, "done")
        with self.assertRaises(UserError):
            order.action_channel_confirm_receipt()

    def test_step_switched_off_while_waiting(self):
        order = self._order()
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_sales")
        self._set_chain(sales=True, finance=False)
        order.action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")

    def test_partial_delivery_stays_confirmed(self):
        self._set_chain(sales=False, finance=False)
        order = self._order(lines=[(self.product_a, 12.0), (self.product_b, 5.0)])
        order.action_channel_submit()
        picking = order.picking_ids
        move_a = picking.move_ids.filtered(lambda m: m.product_id == self.product_a)
        move_a.quantity = 12.0
        move_a.picked = True
        picking.move_ids.filtered(lambda m: m.product_id == self.product_b).quantity = 0.0
        picking.with_context(cancel_backorder=False).button_validate()
        self.assertEqual(order.channel_state, "confirmed", "the backorder is still to ship")
        self._ship(order)
        self.assertEqual(order.channel_state, "shipped")

    def test_reject(self):
        order = self._order()
        order.action_channel_submit()
        with self.assertRaises(UserError):
            order.action_channel_reject("  ")
        order.action_channel_reject("Price list outdated")
        self.assertEqual(order.channel_state, "rejected")
        self.assertEqual(order.channel_reject_reason, "Price list outdated")
        self.assertEqual(order.state, "cancel")
        with self.assertRaises(UserError):
            order.action_channel_approve()
        order.action_channel_reset_to_draft()
        self.assertEqual(order.channel_state, "draft")
        self.assertEqual(order.state, "draft")

    def test_reject_only_when_waiting(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.action_channel_reject("no")
        with self.assertRaises(UserError):
            order.action_channel_approve()

    def test_cancel_before_confirmation(self):
        order = self._order()
        order.action_channel_submit()
        order.action_cancel()
        self.assertEqual(order.channel_state, "cancelled")

    def test_submit_needs_lines(self):
        order = self.env["sale.order"].create({"partner_id": self.dealer.id})
        with self.assertRaises(UserError):
            order.action_channel_submit()

    def test_approver_groups(self):
        salesman = self._make_user(
            "co_salesman", ["sales_team.group_sale_salesman_all_leads", "channel_base.group_channel_user"]
        )
        sales_approver = self._make_user("co_sales_approver", ["channel_orders.group_sales_approver"])
        finance_approver = self._make_user("co_fin_approver", ["channel_orders.group_finance_approver"])
        order = self._order()
        order.with_user(salesman).action_channel_submit()
        with self.assertRaises(AccessError):
            order.with_user(salesman).action_channel_approve()
        with self.assertRaises(AccessError):
            order.with_user(finance_approver).action_channel_approve()
        order.with_user(sales_approver).action_channel_approve()
        self.assertEqual(order.channel_sales_approver_id, sales_approver)
        with self.assertRaises(AccessError):
            order.with_user(sales_approver).action_channel_approve()
        order.with_user(finance_approver).action_channel_approve()
        self.assertEqual(order.channel_finance_approver_id, finance_approver)
        self.assertEqual(order.channel_state, "confirmed")

    def test_non_channel_customer_keeps_standard_flow(self):
        order = self._order(partner=self.customer)
        self.assertFalse(order.channel_dealer_id)
        self.assertFalse(order.channel_state)
        with self.assertRaises(UserError):
            order.action_channel_submit()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.channel_state)
        self._ship(order)
        self.assertFalse(order.channel_state)

    def test_order_of_dealer_contact(self):
        order = self._order(partner=self.dealer_contact)
        self.assertEqual(order.channel_dealer_id, self.dealer)
        self.assertEqual(order.channel_state, "draft")

    def test_urgent_order(self):
        self._set_chain(sales=False, finance=False)
        order = self._order(channel_order_type="urgent")
        order.action_channel_submit()
        self.assertTrue(order.commitment_date)
        self.assertEqual(order.picking_ids.mapped("priority"), ["1"])

    def test_xlsx_export(self):
        orders = self._order() | self._order(channel_order_type="trial")
        content = orders._channel_orders_xlsx()
        self.assertTrue(content.startswith(b"PK"))
        action = orders.action_channel_export_xlsx()
        self.assertIn(str(orders[0].id), action["url"])

    def test_sales_analysis_dimensions(self):
        self._set_chain(sales=False, finance=False)
        order = self._order(lines=[(self.product_b, 3.0)])
        order.action_channel_submit()
        self.env.flush_all()
        groups = self.env["sale.report"]._read_group(
            [("order_reference", "=", f"sale.order,{order.id}")],
            ["channel_tier_id", "channel_territory_id", "channel_route_id", "channel_order_type", "channel_state"],
            ["price_subtotal:sum"],
        )
        self.assertEqual(groups, [(self.tier, self.territory, self.route, "regular", "confirmed", 60.0)])
