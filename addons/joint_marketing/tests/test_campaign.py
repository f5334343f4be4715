from contextlib import nullcontext
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import JointMarketingCommon


@tagged("post_install", "-at_install")
class TestCampaign(JointMarketingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["channel.campaign"].create({
            "name": "Spring launch",
            "campaign_type": "launch",
            "territory_id": cls.territory_zj.id,
            "date_start": date(2025, 3, 1),
            "date_end": date(2025, 5, 31),
            "budget": 1000.0,
            "manufacturer_share": 60.0,
            "product_ids": [Command.set(cls.product_drink.ids)],
        })
        cls.campaign.action_approve()
        cls.campaign.action_run()
        cls.manager = new_test_user(
            cls.env, login="jm_campaign_manager",
            groups="channel_base.group_channel_manager,account.group_account_invoice,base.group_user",
        )

    def _claim(self, amount, partner=None, submit=True):
        claim = self.env["channel.campaign.claim"].create({
            "campaign_id": self.campaign.id, "partner_id": (partner or self.dealer_a).id, "amount": amount,
        })
        if submit:
            claim.action_submit()
        return claim

    def test_reimbursed_amount_is_the_manufacturer_share(self):
        claim = self._claim(500.0)
        self.assertEqual(claim.reimbursed_amount, 300.0)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(self.campaign.amount_committed, 0.0)
        self.assertEqual(self.campaign.amount_left, 1000.0)

    def test_budget_limits(self):
        first = self._claim(1000.0)  # 600 reimbursed
        first.action_approve()
        self.assertEqual(self.campaign.amount_committed, 600.0)
        self.assertEqual(self.campaign.amount_left, 400.0)
        too_much = self._claim(700.0, partner=self.dealer_b)  # 420 > 400 left
        with self.assertRaisesRegex(UserError, "only 400"):
            too_much.action_approve()
        self.assertEqual(too_much.state, "submitted")
        exact = self._claim(666.67, partner=self.dealer_d)  # 400.00 reimbursed: exactly what is left
        exact.action_approve()
        self.assertEqual(self.campaign.amount_left, 0.0)
        # Several claims at once are checked together.
        self.campaign.budget = 2000.0
        one, two = self._claim(1000.0), self._claim(1000.0, partner=self.dealer_b)
        with self.assertRaises(UserError):
            (one | two).action_approve()
        # A rejected claim frees nothing it never took; a rejected approved claim frees its amount.
        exact.action_reject()
        self.assertEqual(self.campaign.amount_committed, 600.0)
        self.assertEqual(self.campaign.amount_left, 1400.0)

    def test_claim_flow_to_credit_note(self):
        claim = self._claim(500.0)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.reviewer_id, self.manager)
        claim.with_user(self.manager).action_pay()
        self.assertEqual(claim.state, "paid")
        move = claim.move_id
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.partner_id, self.dealer_a)
        self.assertEqual(move.amount_total, 300.0)
        self.assertEqual(move.state, "posted")
        self.assertEqual(self.campaign.amount_committed, 300.0)
        with self.assertRaises(UserError):
            claim.action_pay()

    def test_credit_note_stays_draft_without_invoicing_rights(self):
        user = new_test_user(self.env, login="jm_campaign_user", groups="channel_base.group_channel_manager")
        claim = self._claim(100.0)
        claim.with_user(user).action_approve()
        claim.with_user(user).action_pay()
        self.assertEqual(claim.move_id.state, "draft")

    def _claim_paid_into_settlement(self):
        """A 500 claim of this year's campaign, approved and paid into a rebate settlement."""
        today = date.today()
        policy = self._policy(date_start=date(today.year, 1, 1), date_end=date(today.year, 12, 31))
        self.campaign.write({"settle_as": "settlement", "rebate_policy_id": policy.id})
        claim = self._claim(500.0)
        claim.action_approve()
        claim.with_context(tz="UTC").action_pay()
        return claim

    def test_claim_added_to_rebate_settlement(self):
        claim = self._claim_paid_into_settlement()
        settlement = claim.settlement_id
        self.assertTrue(settlement)
        self.assertEqual(claim.state, "paid")
        self.assertEqual(settlement.partner_id, self.dealer_a)
        self.assertEqual(settlement.campaign_amount, 300.0)
        self.assertEqual(settlement.net_amount, settlement.gross_amount + 300.0)
        self.assertFalse(claim.move_id)

    def test_refreshed_settlement_keeps_reimbursements(self):
        """A refresh of the settlement's figures (batch write) keeps the reimbursements in the net
        amount, as write() and the compute methods do."""
        today = date.today()
        claim = self._claim_paid_into_settlement()
        settlement = claim.settlement_id
        self._invoice(self.dealer_a, 120000, invoice_date=today)
        Settlement = type(settlement)
        columns = ["base_amount", "gross_amount", "campaign_amount", "net_amount", "missing_percent"]
        results = []
        for orm in (False, True):
            self.env.flush_all()
            self.env.cr.execute("SAVEPOINT refresh")
            try:
                with patch.object(Settlement, "_rebate_write_batch", lambda self, policy, vals_list: [
                    s.write(v) for s, v in zip(self, vals_list, strict=True)
                ]) if orm else nullcontext():
                    self.assertIn(settlement, self.campaign.rebate_policy_id._generate_settlements(today))
                cached = {fname: settlement[fname] for fname in columns}
                self.env.flush_all()
                settlement.invalidate_recordset()
                self.assertEqual(cached, {fname: settlement[fname] for fname in columns})
                results.append(cached)
            finally:
                self.env.invalidate_all()
                self.env.cr.execute("ROLLBACK TO SAVEPOINT refresh")
        fast, written = results
        self.assertEqual(fast, written)
        self.assertAlmostEqual(fast["gross_amount"], 2400.0)
        self.assertAlmostEqual(fast["campaign_amount"], 300.0)
        self.assertAlmostEqual(fast["net_amount"], 2700.0)

    def test_only_submitted_claims_are_approved_and_campaign_must_be_open(self):
        claim = self._claim(100.0, submit=False)
        with self.assertRaises(UserError):
            claim.action_approve()
        draft_campaign = self.campaign.copy({"name": "Draft one"})
        late = self.env["channel.campaign.claim"].create({
            "campaign_id": draft_campaign.id, "partner_id": self.dealer_a.id, "amount": 50.0,
        })
        with self.assertRaises(UserError):
            late.action_submit()

    def test_reviewed_claim_is_frozen(self):
        claim = self._claim(100.0)
        claim.action_approve()
        with self.assertRaises(UserError):
            claim.amount = 10000.0
        with self.assertRaises(UserError):
            self.campaign.manufacturer_share = 100.0

    def test_dealer_must_take_part(self):
        self.campaign.partner_ids = self.dealer_a
        with self.assertRaises(ValidationError):
            self._claim(100.0, partner=self.dealer_b)

    def test_portal_user_cannot_run_the_flow(self):
        portal = self._jm_portal_user("jm_campaign_portal", self.dealer_a)
        claim = self._claim(100.0)
        with self.assertRaises(AccessError):
            claim.with_user(portal).action_approve()
        with self.assertRaises(AccessError):
            self.env["channel.campaign.claim"].with_user(portal).create({
                "campaign_id": self.campaign.id, "amount": 10.0,
            })
        self.assertEqual(claim.state, "submitted")

    def test_announce_in_one_click(self):
        action = self.campaign.action_announce()
        announcement = self.env["channel.announcement"].browse(action["res_id"])
        self.assertEqual(announcement.state, "draft")
        self.assertEqual(announcement.campaign_id, self.campaign)
        self.assertEqual(announcement.territory_ids, self.territory_zj)
        self.assertIn("/my/channel/order", announcement.body)
        program = self.env["loyalty.program"].create({
            "name": "Buy 10 get 1", "program_type": "promotion",
            "channel_tier_ids": [Command.set(self.tier_gold.ids)],
        })
        action = program.action_channel_announce()
        announcement = self.env["channel.announcement"].browse(action["res_id"])
        self.assertEqual(announcement.loyalty_program_id, program)
        self.assertEqual(announcement.tier_ids, self.tier_gold)
        self.assertIn("/my/channel/order", announcement.body)
