from datetime import date, datetime
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestSettlementBatchWrite(RebateCommon):
    """The settlement run inserts and refreshes its drafts in SQL: the rows must be those that
    create() and write() give, column by column."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._policy(
            partner_ids=[Command.set((cls.dealer_a | cls.dealer_b | cls.dealer_c).ids)],
            deduct_penalties=True,
            cap_amount=12000,
        )
        cls._invoice(cls.dealer_a, 320000.333, date(2025, 1, 20))
        cls._refund(cls.dealer_a, 20000, invoice_date=date(2025, 3, 5))
        cls._invoice(cls.dealer_b, 50000.555, date(2025, 2, 2))
        cls._invoice(cls.dealer_c, 150000, date(2025, 2, 3))
        violation = cls.env["channel.violation"].create({
            "violation_type": "price", "partner_id": cls.dealer_c.id, "territory_id": cls.territory_js.id,
            "date": date(2025, 1, 5), "penalty_amount": 1234.567,
        })
        violation.action_confirm()
        cls.Settlement = cls.env["rebate.settlement"]
        cls.columns = sorted(
            fname for fname, field in cls.Settlement._fields.items()
            if field.store and field.column_type and fname != "id"
        )

    def _rows(self, settlements):
        """{partner id: {column: value}} of ``settlements`` as the database holds them."""
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "SELECT %s FROM rebate_settlement WHERE id IN %s",
            SQL(", ").join(SQL.identifier(fname) for fname in self.columns), tuple(settlements.ids),
        ))
        return {row[self.columns.index("partner_id")]: dict(zip(self.columns, row, strict=True))
                for row in self.env.cr.fetchall()}

    def _chatter(self, settlements):
        self.env.flush_all()
        messages = self.env["mail.message"].search_count(
            [("model", "=", "rebate.settlement"), ("res_id", "in", settlements.ids)])
        followers = self.env["mail.followers"].search_count(
            [("res_model", "=", "rebate.settlement"), ("res_id", "in", settlements.ids)])
        return messages, followers

    def _generate(self, orm=False):
        """Run the settlement run, through the batch writes or (``orm``) through create() and write()."""
        patches = [patch.object(fields.Datetime, "now", return_value=datetime(2025, 2, 10, 8, 30))]
        if orm:
            patches += [
                patch.object(type(self.Settlement), "_rebate_create_batch",
                             lambda self, vals_list: self.create(vals_list)),
                patch.object(type(self.Settlement), "_rebate_write_batch",
                             lambda self, policy, vals_list: [
                                 s.write(v) for s, v in zip(self, vals_list, strict=True)
                             ]),
            ]
        for started in patches:
            started.start()
        try:
            return self.policy._generate_settlements(self.day)
        finally:
            for started in patches:
                started.stop()

    def _compare_runs(self, prepare=None, then=None):
        """Rows and chatter of the run, batch then ORM, each from the same state (rolled back)."""
        results = []
        for orm in (False, True):
            self.env.flush_all()
            self.env.cr.execute("SAVEPOINT batch_write")
            try:
                if prepare:
                    prepare()
                settlements = self._generate(orm=orm)
                if then:
                    then(settlements)
                results.append((self._rows(settlements), self._chatter(settlements)))
            finally:
                self.env.invalidate_all()
                self.env.transaction.clear()
                self.env.cr.execute("ROLLBACK TO SAVEPOINT batch_write")
                self.env.invalidate_all()
        return results

    def test_created_rows_equal_orm_create(self):
        (fast, fast_chatter), (orm, orm_chatter) = self._compare_runs()
        self.assertEqual(set(fast), {self.dealer_a.id, self.dealer_b.id, self.dealer_c.id})
        self.assertEqual(fast, orm, "same columns as create(), field by field")
        self.assertEqual(fast_chatter, orm_chatter)
        self.assertEqual(fast_chatter, (0, 0), "no message, no follower")
        row = fast[self.dealer_c.id]
        self.assertEqual(row["channel_tier_id"], self.tier_gold.id)
        self.assertEqual(row["channel_territory_id"], self.territory_js.id)
        self.assertEqual(row["company_id"], self.company.id)
        self.assertEqual(row["state"], "draft")
        self.assertEqual(row["create_uid"], self.env.uid)
        self.assertEqual(row["period_label"], "2025-Q1")
        self.assertAlmostEqual(row["deduction_amount"], 1234.57)
        self.assertAlmostEqual(row["net_amount"], 3000 - 1234.57)
        self.assertAlmostEqual(fast[self.dealer_a.id]["gross_amount"], 10500.01)
        self.assertTrue(fast[self.dealer_b.id]["missing_percent"])

    def test_tracking_after_create_like_orm(self):
        """Tracked changes later in the transaction of the run give the same messages either way."""
        self.policy = self.policy.with_context(tracking_disable=False)

        def confirm(settlements):
            settlements.with_context(tracking_disable=False)[:1].action_confirm()
            self.env.flush_all()
            self.env.cr.precommit.run()

        (fast, fast_chatter), (orm, orm_chatter) = self._compare_runs(then=confirm)
        self.assertEqual(fast, orm)
        self.assertEqual(fast_chatter, orm_chatter)

    def test_created_settlements_read_through_orm(self):
        settlements = self._generate()
        settlement = settlements.filtered(lambda s: s.partner_id == self.dealer_a)
        self.assertEqual(settlement.currency_id, self.currency)
        self.assertEqual(settlement.name, f"{self.policy.name} 2025-Q1 - {self.dealer_a.name}")
        self.assertIn(settlement, self.policy.settlement_ids, "the policy's settlements are up to date")
        self.assertEqual(self.policy.settlement_count, 3)

    def test_refreshed_rows_equal_orm_write(self):
        first = self._generate()
        first.filtered(lambda s: s.partner_id == self.dealer_b).action_confirm()

        def change():
            self._invoice(self.dealer_a, 250000.125, date(2025, 2, 20))
            self._invoice(self.dealer_b, 90000, date(2025, 2, 20))  # confirmed: left alone
            self._refund(self.dealer_c, 100000, invoice_date=date(2025, 2, 21))

        (fast, fast_chatter), (orm, orm_chatter) = self._compare_runs(change)
        self.assertEqual(fast, orm, "same columns as write(), field by field")
        self.assertEqual(fast_chatter, orm_chatter)
        self.assertAlmostEqual(fast[self.dealer_a.id]["gross_amount"], 12000, msg="capped")
        self.assertAlmostEqual(fast[self.dealer_b.id]["base_amount"], 50000.56)
        self.assertAlmostEqual(fast[self.dealer_c.id]["net_amount"], 0)

    def test_refresh_updates_cache(self):
        settlements = self._generate()
        settlement = settlements.filtered(lambda s: s.partner_id == self.dealer_a)
        self.assertAlmostEqual(settlement.net_amount, 10500.01)
        self._invoice(self.dealer_a, 200000, date(2025, 2, 20))
        self.assertEqual(self._generate(), settlements)
        self.assertAlmostEqual(settlement.base_amount, 500000.33)
        self.assertAlmostEqual(settlement.gross_amount, 12000)
        self.assertAlmostEqual(settlement.net_amount, 12000)
        self.assertAlmostEqual(settlement.missing_percent, 0)

    def _change_dealers(self):
        self._invoice(self.dealer_a, 250000.125, date(2025, 2, 20))
        self._invoice(self.dealer_b, 15000.335, date(2025, 2, 21))
        self._refund(self.dealer_c, 40000, invoice_date=date(2025, 2, 21))

    def test_refreshed_amounts_equal_orm_write(self):
        """The net amount and missing % written with the figures are what write() then the compute
        methods give, the penalties deducted included."""
        self._generate()
        (fast, _chatter), (orm, _orm_chatter) = self._compare_runs(self._change_dealers)
        self.assertEqual(fast, orm)
        for partner, row in fast.items():
            self.assertAlmostEqual(
                row["net_amount"],
                max(row["gross_amount"] + row["addition_amount"] - row["deduction_amount"] - row["clawback_amount"], 0),
                msg=partner,
            )
            self.assertAlmostEqual(
                row["missing_percent"],
                row["next_threshold"] and round(row["missing_base"] / row["next_threshold"] * 100, 2),
                msg=partner,
            )
        self.assertAlmostEqual(fast[self.dealer_c.id]["deduction_amount"], 1234.57)
        self.assertAlmostEqual(fast[self.dealer_c.id]["net_amount"], 2200 - 1234.57)

    def test_refresh_without_batch_computations(self):
        """Computed fields that ``_rebate_batch_recomputed_values`` does not know are computed by their
        compute methods and written with the values, as the ORM writes them."""
        self._generate()
        Settlement = type(self.Settlement)

        def prepare():
            self._change_dealers()
            self._patch_recomputed = patch.object(
                Settlement, "_rebate_batch_recomputed_values", lambda self, policy, fnames: [{} for _s in self]
            )
            self._patch_recomputed.start()
            self.addCleanup(self._patch_recomputed.stop)

        (fast, _chatter), (orm, _orm_chatter) = self._compare_runs(prepare)
        self._patch_recomputed.stop()
        self.assertEqual(fast, orm)
        self.assertAlmostEqual(fast[self.dealer_a.id]["net_amount"], 12000)

    def test_refresh_writes_once(self):
        """One UPDATE of the settlements writes the figures and what is computed from them, and the
        flush after it has nothing left to write."""
        settlements = self._generate()
        self._change_dealers()
        self.env.flush_all()
        updates = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            code = query.code if isinstance(query, SQL) else str(query)
            if code.lstrip().startswith('UPDATE "rebate_settlement"'):
                updates.append(code)
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            self._generate()
            self.env.flush_all()
        self.assertEqual(len(updates), 1, updates)
        self.assertIn('"net_amount"', updates[0])
        self.assertIn('"missing_percent"', updates[0])
        self.assertFalse(self.env.cache.has_dirty_fields(settlements))

    def test_refresh_cache_equals_database(self):
        """After the batch write the cache holds what the database holds: the new figures and
        computed values, rounded as stored, nothing pending."""
        settlements = self._generate()
        self._change_dealers()
        self._generate()
        fnames = [fname for fname in self.columns if fname not in ("write_date", "write_uid")]
        cached = {s.id: {fname: s[fname] for fname in fnames} for s in settlements}
        self.assertFalse(self.env.cache.has_dirty_fields(settlements))
        self.assertFalse([field for field in self.env.fields_to_compute() if field.model_name == "rebate.settlement"])
        settlements.invalidate_recordset()
        self.assertEqual(cached, {s.id: {fname: s[fname] for fname in fnames} for s in settlements})
        settlement = settlements.filtered(lambda s: s.partner_id == self.dealer_b)
        self.assertAlmostEqual(settlement.base_amount, 65000.9)
        self.assertAlmostEqual(settlement.missing_percent, 35.0)

    def test_refresh_keeps_pending_values_of_other_settlements(self):
        """Values of other settlements still to flush stay pending and are written by the flush."""
        settlements = self._generate()
        one, other = settlements.filtered(lambda s: s.partner_id == self.dealer_a), settlements[-1]
        self.assertNotEqual(one, other)
        Settlement = self.Settlement.sudo().with_context(tracking_disable=True)
        other.missing_base = 4321.0  # pending, not flushed
        Settlement.browse(one.id)._rebate_write_batch(self.policy, [{"missing_base": 12.345, "gross_amount": 99.994}])
        self.assertAlmostEqual(one.missing_base, 12.35)
        self.assertAlmostEqual(one.net_amount, 99.99)
        self.env.flush_all()
        rows = self._rows(settlements)
        self.assertAlmostEqual(rows[other.partner_id.id]["missing_base"], 4321.0)
        self.assertAlmostEqual(
            rows[other.partner_id.id]["missing_percent"],
            round(4321.0 / rows[other.partner_id.id]["next_threshold"] * 100, 2),
        )
        self.assertAlmostEqual(rows[self.dealer_a.id]["missing_base"], 12.35)
        self.assertAlmostEqual(rows[self.dealer_a.id]["gross_amount"], 99.99)
        self.assertAlmostEqual(rows[self.dealer_a.id]["net_amount"], 99.99)

    def test_refresh_tracking_like_orm(self):
        """The net amount of a refreshed draft is tracked as when the ORM computes it in the
        environment the run was called in, batch or ORM write, whichever environment flushes."""
        self._generate()
        # In a later transaction: the settlements created by the run are not tracked in their own.
        self.env.flush_all()
        self.env.cr.precommit.run()
        untracked = self.env

        def commit(settlements):
            untracked.flush_all()
            self.env.cr.precommit.run()

        for tracking_disable, messages in ((False, 2), (True, 0)):
            self.policy = self.policy.with_context(tracking_disable=tracking_disable)
            (fast, fast_chatter), (orm, orm_chatter) = self._compare_runs(self._change_dealers, then=commit)
            self.assertEqual(fast, orm)
            self.assertEqual(fast_chatter, orm_chatter)
            self.assertEqual(fast_chatter, (messages, 0), tracking_disable)
        tracked = self.env["mail.tracking.value"].search([
            ("field_id.name", "=", "net_amount"), ("field_id.model", "=", "rebate.settlement"),
        ])
        self.assertFalse(tracked, "rolled back")

    def test_drafts_found_and_read_at_once(self):
        """The drafts of the period are found and read with one query, in the order of search()."""
        self._generate()
        domain = [("policy_id", "=", self.policy.id), ("period_start", "=", self.q1_start)]
        ordered = self.Settlement.search(domain)
        # Rows rewritten are stored after the others: the order is the model's, not the table's.
        for settlement in ordered[:2]:
            settlement.date_computed = datetime(2025, 2, 11)
            self.env.flush_all()
        fnames = ["base_amount", "claim_ids", "clawback_line_ids", "gross_amount", "period_end"]
        with self.assertQueryCount(__system__=1):
            found, current = self.Settlement._rebate_search_current_values(domain, fnames)
        self.assertEqual(found, ordered)
        self.assertEqual(found.ids, ordered.ids)
        self.assertEqual(current, found._rebate_current_values(fnames))
        self.assertEqual(set(current[found[0].id]), {"partner_id", "state", *fnames})
        # A refresh returns its drafts in that order, as search() finds them.
        self.assertEqual(self._generate().ids, ordered.ids)
