from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateIntegrity(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._policy(
            partner_ids=[Command.set((cls.dealer_a | cls.dealer_b).ids)],
            display_reward=True, display_amount=800,
        )
        cls.invoice_a = cls._invoice(cls.dealer_a, 320000, date(2025, 1, 20))
        cls.portal_a = cls._portal_user(cls.dealer_a_contact, "rb_int_a")
        cls.manager = new_test_user(
            cls.env, login="rb_int_manager", groups="base.group_user,channel_base.group_channel_manager"
        )
        cls.accountant = new_test_user(
            cls.env, login="rb_int_accountant",
            groups="base.group_user,channel_base.group_channel_manager,account.group_account_invoice",
        )

    def _settlement(self, policy=None, day=None, partner=None):
        settlements = (policy or self.policy)._generate_settlements(day or self.day)
        return settlements.filtered(lambda s: s.partner_id == (partner or self.dealer_a))

    # ------------------------------------------------------------------
    # Portal write guard
    # ------------------------------------------------------------------
    def test_portal_cannot_create_nor_write_claims(self):
        Claim = self.env["rebate.display.claim"]
        before = Claim.search_count([])
        with self.assertRaises(AccessError):
            Claim.with_user(self.portal_a).create({
                "partner_id": self.dealer_a.id, "policy_id": self.policy.id, "date": self.day,
                "state": "approved", "amount": 999999,
            })
        self.assertEqual(Claim.search_count([]), before)
        claim = Claim.create({"partner_id": self.dealer_a.id, "policy_id": self.policy.id, "date": self.day})
        for vals in ({"state": "approved"}, {"amount": 999999}, {"note": "changed"}):
            with self.assertRaises(AccessError):
                claim.with_user(self.portal_a).write(vals)
        with self.assertRaises(AccessError):
            claim.with_user(self.portal_a).action_approve()
        self.assertEqual(claim.state, "submitted")
        self.assertAlmostEqual(claim.amount, 800)

    def test_guard_mixin_forces_partner_and_refuses_fields(self):
        """A model that opens portal creation to some fields gets them checked, and its partner forced."""
        Claim = self.env["rebate.display.claim"].with_user(self.portal_a)
        self.patch(type(self.env["rebate.display.claim"]), "_portal_create_fields", ("policy_id", "date", "note"))
        self.patch(type(self.env["rebate.display.claim"]), "_portal_partner_field", "partner_id")
        with self.assertRaises(AccessError) as refusal:
            Claim.create({"policy_id": self.policy.id, "date": self.day, "amount": 5})
        self.assertIn("amount", str(refusal.exception), "the guard names the refused field")

    # ------------------------------------------------------------------
    # Superuser methods check their caller
    # ------------------------------------------------------------------
    def test_superuser_methods_refuse_portal(self):
        settlement = self._settlement()
        settlement.action_confirm()
        for method in (
            lambda: self.policy.with_user(self.portal_a).action_generate_current(),
            lambda: settlement.with_user(self.portal_a).action_refresh(),
            lambda: settlement.with_user(self.portal_a).action_settle(),
            lambda: settlement.with_user(self.portal_a).action_reset_draft(),
            lambda: settlement.with_user(self.portal_a).action_cancel(),
        ):
            with self.assertRaises(AccessError):
                method()
        self.assertEqual(settlement.state, "confirmed")
        self.assertFalse(settlement.move_id)

    def test_partner_domain_independent_of_caller(self):
        policy = self._policy(
            name="Scoped", tier_ids=[Command.set(self.tier_gold.ids)],
            territory_ids=[Command.set(self.territory_zj.ids)],
            partner_ids=[Command.set((self.dealer_a | self.dealer_b | self.dealer_c).ids)],
        )
        as_admin = policy._get_partner_domain()
        as_portal = policy.with_user(self.portal_a)._get_partner_domain()
        self.assertEqual(as_admin, as_portal)
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search(as_portal), self.dealer_a)

    # ------------------------------------------------------------------
    # What the portal reads
    # ------------------------------------------------------------------
    def test_portal_reads_policies_of_its_scope_only(self):
        Policy = self.env["rebate.policy"]
        open_policy = self._policy(name="Every dealer")
        gold = self._policy(name="Gold Zhejiang", tier_ids=[Command.set(self.tier_gold.ids)],
                            territory_ids=[Command.set(self.territory_zj.ids)])
        silver = self._policy(name="Silver", tier_ids=[Command.set(self.tier_silver.ids)])
        listed_c = self._policy(name="Listed C", partner_ids=[Command.set(self.dealer_c.ids)])
        mine = Policy.with_user(self.portal_a).search([])
        self.assertIn(open_policy, mine)
        self.assertIn(gold, mine)
        self.assertIn(self.policy, mine)
        self.assertNotIn(silver, mine)
        self.assertNotIn(listed_c, mine)
        with self.assertRaises(AccessError):
            silver.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            silver.threshold_ids[:1].with_user(self.portal_a).read(["rate"])
        # A suspended dealer keeps read access; a terminated one and a non-dealer do not.
        self.dealer_a.channel_state = "suspended"
        self.assertIn(gold, Policy.with_user(self.portal_a).search([]))
        self.dealer_a.channel_state = "terminated"
        self.assertFalse(Policy.with_user(self.portal_a).search([]))
        self.dealer_a.write({"channel_state": "active", "channel_role": "distributor",
                             "channel_parent_id": self.dealer_b.id})
        self.assertNotIn(open_policy, Policy.with_user(self.portal_a).search([]),
                         "a policy for every dealer is not a sub-distributor's")
        self.assertIn(self.policy, Policy.with_user(self.portal_a).search([]), "listed by name")

    def test_portal_reads_confirmed_settlements_only(self):
        settlement = self._settlement()
        Settlement = self.env["rebate.settlement"].with_user(self.portal_a)
        self.assertFalse(Settlement.search([]))
        with self.assertRaises(AccessError):
            settlement.with_user(self.portal_a).read(["net_amount"])
        settlement.action_confirm()
        self.assertEqual(Settlement.search([]), settlement)

    # ------------------------------------------------------------------
    # Paid once
    # ------------------------------------------------------------------
    def test_credit_note_posted_by_invoicing_users_only(self):
        settlement = self._settlement()
        settlement.with_user(self.manager).action_settle()
        self.assertEqual(settlement.state, "settled")
        self.assertEqual(settlement.move_id.state, "draft", "a channel manager without invoicing rights")
        self.assertIn("only a user with invoicing rights", settlement.message_ids[0].body)
        settlement.with_user(self.manager).action_settle()
        self.assertEqual(len(settlement.move_id), 1)
        self._invoice(self.dealer_b, 100000, date(2025, 2, 1))
        other = self._settlement(partner=self.dealer_b)
        other.with_user(self.accountant).action_settle()
        self.assertEqual(other.move_id.state, "posted")
        self.assertAlmostEqual(other.move_id.amount_total, 2000)

    def test_cancel_order_with_invoiced_rebate_line(self):
        policy = self._policy(name="Next order", settle_as="next_order",
                              partner_ids=[Command.set(self.dealer_a.ids)])
        order = self.env["sale.order"].create({
            "partner_id": self.dealer_a.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": 200,
                                           "price_unit": 100})],
        })
        settlement = self._settlement(policy=policy)
        settlement.action_settle()
        line = settlement.sale_line_id
        self.assertAlmostEqual(line.price_subtotal, -11200)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertIn(line, invoice.invoice_line_ids.sale_line_ids)
        order._action_cancel()
        self.assertTrue(line.exists(), "an invoiced rebate line stays")
        self.assertEqual(settlement.state, "settled")
        self.assertEqual(settlement.sale_line_id, line)
        next_order = self.env["sale.order"].create({"partner_id": self.dealer_a.id})
        self.assertFalse(next_order.order_line, "the rebate is not paid a second time")
        # Removing the invoiced line by hand never sends it back either.
        line.unlink()
        self.assertEqual(settlement.state, "settled")

    # ------------------------------------------------------------------
    # Claims per period
    # ------------------------------------------------------------------
    def test_claim_limit_per_period(self):
        self.env["ir.config_parameter"].set_param("rebate_policy.claim_max_per_period", 2)
        Claim = self.env["rebate.display.claim"]
        vals = {"partner_id": self.dealer_a.id, "policy_id": self.policy.id, "date": self.day}
        first = Claim.create(vals)
        Claim.create(vals)
        with self.assertRaises(ValidationError):
            Claim.create(vals)
        first.action_reject()
        Claim.create(vals)  # rejected claims do not count
        Claim.create(dict(vals, date=date(2025, 4, 2)))  # another period

    # ------------------------------------------------------------------
    # Returns claw back settled rebates
    # ------------------------------------------------------------------
    def _return(self, invoice, amount, day):
        refund = self._refund(self.dealer_a, amount, invoice_date=day, post=False)
        refund.reversed_entry_id = invoice
        refund.action_post()
        return refund

    def test_clawback_worked_example(self):
        """Q1: 320,000 invoiced, 3.5 % = 11,200 settled. In Q2 a credit note returns 50,000 of a Q1
        invoice: Q1 recomputed is 270,000 at 2 % = 5,400, so 5,800 were paid too much. Q2: 400,000
        invoiced (the return is not in Q2's base) at 3.5 % = 14,000, net 14,000 - 5,800 = 8,200."""
        policy = self._policy(name="Clawback", partner_ids=[Command.set(self.dealer_a.ids)])
        q1 = self._settlement(policy=policy)
        q1.action_settle()
        self.assertAlmostEqual(q1.move_id.amount_total, 11200)
        refund = self._return(self.invoice_a, 50000, date(2025, 5, 10))
        self._invoice(self.dealer_a, 400000, date(2025, 5, 12))
        q2 = self._settlement(policy=policy, day=date(2025, 5, 15))
        self.assertAlmostEqual(q2.base_amount, 400000)
        self.assertAlmostEqual(q2.gross_amount, 14000)
        self.assertAlmostEqual(q2.clawback_amount, 5800)
        self.assertAlmostEqual(q2.net_amount, 8200)
        line = q2.clawback_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.source_settlement_id, q1)
        self.assertEqual(line.source_period_label, "2025-Q1")
        self.assertEqual(line.refund_ids, refund)
        self.assertAlmostEqual(line.base_before, 320000)
        self.assertAlmostEqual(line.base_after, 270000)
        self.assertAlmostEqual(line.gross_before, 11200)
        self.assertAlmostEqual(line.gross_after, 5400)
        # Refreshing changes nothing; Q1 stays as settled.
        again = self._settlement(policy=policy, day=date(2025, 5, 15))
        self.assertEqual(again.clawback_line_ids, line)
        self.assertAlmostEqual(q1.gross_amount, 11200)
        q2.action_settle()
        self.assertAlmostEqual(q2.move_id.amount_total, 8200)
        # A second return of Q1 in Q3 only claws back what Q2 did not take yet: 270,000 -> 250,000
        # stays at 2 %: 5,400 - 5,000 = 400. Q3 has no rebate to take it from: it stays due.
        second = self._return(self.invoice_a, 20000, date(2025, 8, 1))
        q3 = self._settlement(policy=policy, day=date(2025, 8, 2))
        self.assertAlmostEqual(q3.clawback_line_ids.due_amount, 400)
        self.assertAlmostEqual(q3.clawback_amount, 0)
        self.assertAlmostEqual(q3.net_amount, 0)
        self.assertEqual(q3.clawback_line_ids.refund_ids, refund | second)
        q3.action_settle()
        # Q4: 200,000 at 2 % = 4,000, less the 400 still due = 3,600.
        self._invoice(self.dealer_a, 200000, date(2025, 11, 3))
        q4 = self._settlement(policy=policy, day=date(2025, 11, 4))
        self.assertAlmostEqual(q4.gross_amount, 4000)
        self.assertAlmostEqual(q4.clawback_amount, 400)
        self.assertAlmostEqual(q4.net_amount, 3600)
        q4.action_settle()
        self.assertAlmostEqual(
            sum(self.env["rebate.settlement.clawback"].search([("source_settlement_id", "=", q1.id)]).mapped("amount")),
            5800 + 400, msg="Q1 paid 11,200 and earned 5,000: 6,200 clawed back in all",
        )

    def test_clawback_off(self):
        policy = self._policy(name="No clawback", clawback_returns=False,
                              partner_ids=[Command.set(self.dealer_a.ids)])
        self._settlement(policy=policy).action_settle()
        self._return(self.invoice_a, 50000, date(2025, 5, 10))
        self._invoice(self.dealer_a, 400000, date(2025, 5, 12))
        q2 = self._settlement(policy=policy, day=date(2025, 5, 15))
        self.assertAlmostEqual(q2.base_amount, 350000, msg="the return counts in its own period")
        self.assertAlmostEqual(q2.clawback_amount, 0)
        self.assertAlmostEqual(q2.net_amount, 12250)

    def test_return_of_unsettled_period_counts_there(self):
        policy = self._policy(name="Draft Q1", partner_ids=[Command.set(self.dealer_a.ids)])
        self._return(self.invoice_a, 50000, date(2025, 5, 10))
        q1 = self._settlement(policy=policy)
        self.assertAlmostEqual(q1.base_amount, 270000)
        self.assertAlmostEqual(q1.gross_amount, 5400)
        q2 = self._settlement(policy=policy, day=date(2025, 5, 15))
        self.assertFalse(q2)
