"""Test helpers for batch jobs: run a job as the cron runs it, kill it in the n-th batch, hold its lock
from another database connection."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo import sql_db
from odoo.tools import SQL

from odoo.addons.channel_base.models.channel_batch import LOCK_NAMESPACE


class Killed(Exception):
    """The worker died in the middle of a batch."""


class CronBatchMixin:
    """For TransactionCase classes: the test transaction stands for the database; a cron "commit"
    releases a savepoint, a killed run rolls back to the last one (what a real kill leaves)."""

    def run_as_cron(self, records, method, *args, cron=None, **kwargs):
        """Call ``records.<method>(*args, **kwargs)`` as ``ir.cron`` does (progress record in the
        context, batches committed). When the call raises, everything since the last committed batch
        is rolled back and the exception re-raised. Returns (result, progress)."""
        cron = cron or self.env["ir.cron"].search([], limit=1)
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        savepoints = [self.env.cr.savepoint()]

        def commit(batch_self):
            batch_self.env.flush_all()
            savepoints[-1].close(rollback=False)
            savepoints.append(batch_self.env.cr.savepoint())

        with patch.object(self.registry["channel.batch"], "_commit_batch", commit):
            try:
                cron_records = records.with_context(
                    cron_id=cron.id, ir_cron_progress_id=progress.id, channel_batch_commit=True
                )
                result = getattr(cron_records, method)(*args, **kwargs)
            except Exception:
                savepoints[-1].close(rollback=True)
                self.env.invalidate_all()
                raise
        savepoints[-1].close(rollback=False)
        self.env.invalidate_all()
        return result, progress

    def run_killed_as_cron(self, kill, records, method, *args, **kwargs):
        """``run_as_cron``, killed as ``kill_in_batch(**kill)`` says; fails when the kill did not happen.
        (Not inside ``assertRaises``: in a TransactionCase it rolls back everything done in its block.)"""
        with self.kill_in_batch(**kill):
            try:
                self.run_as_cron(records, method, *args, **kwargs)
            except Killed:
                return
        self.fail("The run was not killed")

    def clean_run(self, function):
        """What one uninterrupted run leaves: ``function()`` returns a snapshot of the records (e.g. a
        set of natural keys); the run is rolled back afterwards."""
        savepoint = self.env.cr.savepoint()
        try:
            function_result = function()
            self.env.flush_all()
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        return function_result

    @contextmanager
    def kill_in_batch(self, model, method, n, when=None):
        """Make ``model.<method>`` (called once per batch) raise ``Killed`` at its n-th call (counting only
        the calls for which ``when(records, *args)`` is true, when given)."""
        original = getattr(self.registry[model], method)
        calls = []

        def wrapper(self_, *args, **kwargs):
            counted = when is None or when(self_, *args)
            if counted:
                calls.append(1)
            result = original(self_, *args, **kwargs)
            if counted and len(calls) == n:
                self_.env.flush_all()  # the batch is half-written in the database when the worker dies
                raise Killed(f"killed in batch {n}")
            return result

        with patch.object(self.registry[model], method, wrapper):
            yield calls

    @contextmanager
    def lock_held_elsewhere(self, name):
        """Hold the advisory lock ``name`` from another connection (another worker running the job)."""
        cr = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", LOCK_NAMESPACE, name))
            yield cr
        finally:
            cr.rollback()
            cr.close()
