from datetime import date

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRebateSettleConcurrency(TransactionCase):
    """Two transactions settle the same settlement at once: one credit note, the loser refused.

    The data is committed in its own transaction (two cursors never see the test's uncommitted data)
    and removed at the end."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _create_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            partner = env["res.partner"].create({
                "name": "RB Concurrent Dealer", "is_company": True, "channel_role": "dealer",
                "channel_state": "active",
            })
            account = env["account.account"].create({
                "name": "Concurrent rebates", "code": "RBC4199", "account_type": "income",
            })
            policy = env["rebate.policy"].create({
                "name": "Concurrent policy", "date_start": date(2025, 1, 1), "date_end": date(2025, 12, 31),
                "computation": "flat", "rate": 2.0, "account_id": account.id,
                "partner_ids": [Command.set(partner.ids)],
            })
            policy.action_activate()
            settlement = env["rebate.settlement"].create({
                "policy_id": policy.id, "partner_id": partner.id, "period_start": date(2025, 1, 1),
                "period_end": date(2025, 3, 31), "gross_amount": 1234.0, "state": "confirmed",
            })
            return partner.id, account.id, policy.id, settlement.id

    def _remove_data(self, partner_id, account_id, policy_id, settlement_id):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            settlement = env["rebate.settlement"].browse(settlement_id)
            moves = env["account.move"].search([("rebate_settlement_ids", "in", settlement_id)])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            settlement.write({"state": "cancelled", "move_id": False})
            settlement.unlink()
            env["rebate.policy"].browse(policy_id).unlink()
            env["account.account"].browse(account_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

    def test_parallel_settle_one_credit_note(self):
        ids = self._create_data()
        self.addCleanup(self._remove_data, *ids)
        settlement_id = ids[3]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            env1["rebate.settlement"].browse(settlement_id).action_settle()  # holds the lock
            with self.assertRaises(UserError) as refusal, mute_logger("odoo.sql_db"):
                env2["rebate.settlement"].browse(settlement_id).action_settle()
            self.assertIn("already being settled", str(refusal.exception))
            cr2.rollback()
            cr1.commit()
            # Once the first one is done, settling again (a new transaction) creates nothing more.
            env2.invalidate_all()
            settlement = env2["rebate.settlement"].browse(settlement_id)
            settlement.action_settle()
            cr2.commit()
            moves = env2["account.move"].search([("rebate_settlement_ids", "in", settlement_id)])
            self.assertEqual(len(moves), 1)
            self.assertEqual(settlement.state, "settled")
            self.assertAlmostEqual(moves.amount_total, 1234.0)
