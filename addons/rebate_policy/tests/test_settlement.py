from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateSettlement(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._policy(partner_ids=[Command.set((cls.dealer_a | cls.dealer_b).ids)])
        cls._invoice(cls.dealer_a, 320000, date(2025, 1, 20))
        cls._refund(cls.dealer_a, 20000, invoice_date=date(2025, 3, 5))

    def _settlement(self, partner=None, policy=None):
        settlements = (policy or self.policy)._generate_settlements(self.day)
        return settlements.filtered(lambda s: s.partner_id == (partner or self.dealer_a))

    def _violation(self, partner, penalty, day):
        violation = self.env["channel.violation"].create({
            "violation_type": "price",
            "partner_id": partner.id,
            "territory_id": self.territory_hz.id,
            "date": day,
            "penalty_amount": penalty,
        })
        violation.action_confirm()
        return violation

    def test_rerun_refreshes_drafts_only(self):
        settlement = self._settlement()
        self.assertAlmostEqual(settlement.gross_amount, 10500)
        self._invoice(self.dealer_a, 200000, date(2025, 2, 20))
        again = self._settlement()
        self.assertEqual(again, settlement, "the draft is refreshed, not duplicated")
        self.assertAlmostEqual(settlement.base_amount, 500000)
        self.assertAlmostEqual(settlement.gross_amount, 25000)
        settlement.action_confirm()
        self._invoice(self.dealer_a, 100000, date(2025, 2, 21))
        self.assertEqual(self._settlement(), settlement)
        self.assertEqual(settlement.state, "confirmed")
        self.assertAlmostEqual(settlement.base_amount, 500000, msg="confirmed settlements are never recomputed")
        self.assertEqual(
            self.env["rebate.settlement"].search_count(
                [("policy_id", "=", self.policy.id), ("partner_id", "=", self.dealer_a.id)]
            ),
            1,
        )

    def test_settle_credit_note_idempotent(self):
        settlement = self._settlement()
        settlement.action_confirm()
        settlement.action_settle()
        self.assertEqual(settlement.state, "settled")
        move = settlement.move_id
        self.assertTrue(move)
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.partner_id, self.dealer_a)
        self.assertAlmostEqual(move.amount_total, 10500)
        self.assertAlmostEqual(move.amount_tax, 0)
        product_line = move.invoice_line_ids
        self.assertEqual(len(product_line), 1)
        self.assertEqual(product_line.account_id, self.rebate_account)
        self.assertAlmostEqual(product_line.debit, 10500)
        self.assertEqual(move.line_ids.filtered(lambda line: line.display_type == "payment_term").account_id,
                         self.dealer_a.property_account_receivable_id)
        # Second call: nothing new.
        moves_before = self.env["account.move"].search_count([("move_type", "=", "out_refund")])
        settlement.action_settle()
        settlement.action_settle()
        self.assertEqual(self.env["account.move"].search_count([("move_type", "=", "out_refund")]), moves_before)
        self.assertEqual(settlement.move_id, move)
        # The credit note is not an invoice line of the rebate base.
        self.assertAlmostEqual(self._settlement().base_amount, 300000)

    def test_credit_note_default_account(self):
        policy = self._policy(name="No account", account_id=False, partner_ids=[Command.set(self.dealer_a.ids)])
        settlement = self._settlement(policy=policy)
        settlement.action_settle()  # confirms the draft first
        self.assertEqual(settlement.state, "settled")
        income = policy.product_id.product_tmpl_id.get_product_accounts()["income"]
        self.assertEqual(settlement.move_id.invoice_line_ids.account_id, income)

    def test_penalties_deducted_and_carried_over(self):
        self.policy.deduct_penalties = True
        old = self._violation(self.dealer_a, 8000, date(2025, 1, 5))
        new = self._violation(self.dealer_a, 7000, date(2025, 2, 5))
        settlement = self._settlement()
        self.assertAlmostEqual(settlement.deduction_amount, 10500, msg="estimate, never beyond the rebate")
        self.assertAlmostEqual(settlement.net_amount, 0)
        settlement.action_settle()
        self.assertEqual(settlement.state, "settled")
        self.assertAlmostEqual(settlement.deduction_amount, 10500)
        self.assertAlmostEqual(settlement.net_amount, 0)
        self.assertFalse(settlement.move_id, "nothing to credit")
        self.assertEqual(old.state, "penalized")
        self.assertAlmostEqual(old.penalty_residual, 0)
        self.assertAlmostEqual(new.penalty_deducted_amount, 2500)
        self.assertAlmostEqual(new.penalty_residual, 4500)
        # What is left is deducted from the next settlement.
        self._invoice(self.dealer_a, 400000, date(2025, 5, 10))
        q2 = self.policy._generate_settlements(date(2025, 5, 10)).filtered(lambda s: s.partner_id == self.dealer_a)
        self.assertAlmostEqual(q2.gross_amount, 14000)
        q2.action_settle()
        self.assertAlmostEqual(q2.deduction_amount, 4500)
        self.assertAlmostEqual(q2.net_amount, 9500)
        self.assertAlmostEqual(q2.move_id.amount_total, 9500)
        self.assertEqual(new.state, "penalized")
        # Settling again deducts nothing more.
        q2.action_settle()
        self.assertAlmostEqual(q2.deduction_amount, 4500)

    def test_penalties_not_deducted_when_disabled(self):
        self._violation(self.dealer_a, 5000, date(2025, 1, 5))
        settlement = self._settlement()
        settlement.action_settle()
        self.assertAlmostEqual(settlement.deduction_amount, 0)
        self.assertAlmostEqual(settlement.move_id.amount_total, 10500)

    def test_settle_on_next_order(self):
        policy = self._policy(
            name="On next order", settle_as="next_order", partner_ids=[Command.set(self.dealer_a.ids)]
        )
        order = self.env["sale.order"].create({
            "partner_id": self.dealer_a.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": 200})],
        })
        settlement = self._settlement(policy=policy)
        settlement.action_settle()
        self.assertEqual(settlement.state, "settled")
        line = settlement.sale_line_id
        self.assertEqual(line.order_id, order)
        self.assertAlmostEqual(line.price_subtotal, -10500)
        self.assertEqual(line.rebate_settlement_id, settlement)
        settlement.action_settle()
        self.assertEqual(len(order.order_line), 2)

    def test_settle_waits_for_next_order(self):
        policy = self._policy(
            name="On next order", settle_as="next_order", partner_ids=[Command.set(self.dealer_a.ids)]
        )
        settlement = self._settlement(policy=policy)
        settlement.action_settle()
        self.assertEqual(settlement.state, "confirmed")
        self.assertFalse(settlement.sale_line_id)
        order = self.env["sale.order"].create({
            "partner_id": self.dealer_a_contact.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": 10})],
        })
        self.assertEqual(settlement.state, "settled")
        self.assertEqual(settlement.sale_line_id.order_id, order)
        self.assertAlmostEqual(settlement.sale_line_id.price_unit, -10500)

    def test_generate_wizard_several_policies(self):
        flat = self._policy(name="Flat", computation="flat", rate=1, threshold_ids=[])
        wizard = self.env["rebate.settlement.generate"].create({
            "policy_ids": [Command.set((self.policy | flat).ids)], "date": self.day, "confirm": True,
        })
        action = wizard.action_generate()
        settlements = self.env["rebate.settlement"].search(action["domain"])
        self.assertEqual(settlements.policy_id, self.policy | flat)
        self.assertEqual(set(settlements.mapped("state")), {"confirmed"})
        self.assertAlmostEqual(settlements.filtered(lambda s: s.policy_id == flat).gross_amount, 3000)

    def test_near_threshold(self):
        self._invoice(self.dealer_b, 276600, date(2025, 2, 1))
        self.policy._generate_settlements(self.day)
        near = self.env["rebate.settlement"].search(
            self.env["rebate.settlement"]._get_near_threshold_domain(10) + [("policy_id", "=", self.policy.id)]
        )
        self.assertEqual(near.partner_id, self.dealer_b)
        self.assertAlmostEqual(near.missing_base, 23400)
        self.assertAlmostEqual(near.missing_percent, 7.8)

    def test_rebate_line_protected_on_next_order(self):
        policy = self._policy(
            name="On next order", settle_as="next_order", partner_ids=[Command.set(self.dealer_a.ids)]
        )
        order = self.env["sale.order"].create({
            "partner_id": self.dealer_a.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": 200})],
        })
        settlement = self._settlement(policy=policy)
        settlement.action_settle()
        line = settlement.sale_line_id
        # Repricing the order keeps the rebate.
        order._channel_apply_prices()
        order.with_context(force_price_recomputation=True)._recompute_prices()
        self.assertAlmostEqual(line.price_unit, -10500)
        order._channel_set_quantities({line.product_id: 5})
        self.assertAlmostEqual(line.product_uom_qty, 1)
        # Cancelling the order sends the rebate to the next one.
        order._action_cancel()
        self.assertFalse(line.exists())
        self.assertEqual(settlement.state, "confirmed")
        next_order = self.env["sale.order"].create({"partner_id": self.dealer_a.id})
        self.assertEqual(settlement.state, "settled")
        self.assertEqual(settlement.sale_line_id.order_id, next_order)

    def test_rebate_credit_note_not_in_base(self):
        policy = self._policy(name="Base check", partner_ids=[Command.set(self.dealer_a.ids)])
        settlement = self._settlement(policy=policy)
        settlement.action_settle()
        self.assertEqual(settlement.move_id.state, "posted")
        self.assertAlmostEqual(policy._read_base(self.q1_start, self.q1_end)[self.dealer_a.id]["amount"], 300000)

    def test_order_in_approval_not_used(self):
        policy = self._policy(
            name="On next order", settle_as="next_order", partner_ids=[Command.set(self.dealer_a.ids)]
        )
        submitted = self.env["sale.order"].create({
            "partner_id": self.dealer_a.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": 20})],
        })
        submitted.channel_state = "to_sales"
        settlement = self._settlement(policy=policy)
        settlement.action_settle()
        self.assertEqual(settlement.state, "confirmed", "waits for an order not yet submitted")
        self.assertFalse(submitted.order_line.rebate_settlement_id)
