import logging
import threading

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# First key of every advisory lock the suite takes ("CHNL"), so that its locks never collide with
# the advisory locks of other code; the second key is a hash of the lock name.
LOCK_NAMESPACE = 0x43484E4C


class ChannelBatch(models.AbstractModel):
    """Batch work of the suite's crons and mass actions.

    ``_run_batches`` runs a callable over records in batches of N:

    - it holds named advisory locks: a second run of the same job started at the same time (the cron
      and a user's button, two users) stops at once with a clear "already running" error instead of
      producing a second set of records;
    - in a run of the scheduler whose entry point asked for it (``ir.cron`` puts ``cron_id`` and
      ``ir_cron_progress_id`` in the context, the entry point adds ``_cron_context()``), it commits
      after every batch and reports the progress with ``ir.cron._notify_progress``: a run killed in the
      middle keeps the batches already done and the cron is run again at once while records remain;
    - everywhere else (buttons, "Run Manually", tests, RPC, code of another cron that happens to call
      it) the whole run is one transaction.

    The callable must be idempotent per batch (records keyed by their natural key, ideally behind a
    unique index): after a kill, the next run goes over the same records again and must leave exactly
    what one uninterrupted run leaves.
    """

    _name = "channel.batch"
    _description = "Channel Batch Runner"

    @api.model
    def _cron_context(self):
        """Context for a cron entry point whose batches are committed: ``records.with_context(**...)``."""
        return {"channel_batch_commit": True}

    @api.model
    def _is_cron_run(self):
        """Whether the current call runs in a cron that commits its batches (the only place commits are
        allowed)."""
        context = self.env.context
        return all(context.get(key) for key in ("cron_id", "ir_cron_progress_id", "channel_batch_commit"))

    @api.model
    def _lock(self, names, label=None):
        """Take the transaction-level advisory locks ``names`` (a name or a list of names) or raise a
        ``UserError`` saying that ``label`` is already running. The locks are released at the end of
        the transaction (commit or rollback)."""
        if isinstance(names, str):
            names = [names]
        for name in names:
            self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", LOCK_NAMESPACE, name))
            if not self.env.cr.fetchone()[0]:
                raise UserError(
                    self.env._(
                        "%(job)s is already running (started by another user or by the scheduled action). "
                        "Try again once it has finished.",
                        job=label or name,
                    )
                )
        return True

    @api.model
    def _commit_batch(self):
        """Commit the batch just done (cron runs only; never while Odoo runs its tests)."""
        self.env.flush_all()
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _run_batches(self, records, process, batch_size=1000, lock=None, label=None):
        """Run ``process(batch)`` over ``records`` in batches of ``batch_size`` records.

        :param records: the recordset (or list) to go over, in its order
        :param process: callable taking one batch (a recordset, or a list), returning a recordset or None
        :param lock: advisory lock name(s) held during the run (re-taken after every commit)
        :param label: what runs, for the "already running" message (translated by the caller)
        :return: the union of the recordsets returned by ``process`` (None when it returns nothing)
        """
        batch_size = max(int(batch_size or 1), 1)
        in_cron = self._is_cron_run()
        if lock:
            self._lock(lock, label)
        result = None
        total = len(records)
        for start in range(0, total, batch_size):
            batch = records[start : start + batch_size]
            done = process(batch)
            if isinstance(done, models.BaseModel):
                result = done if result is None else result | done
            if in_cron:
                self.env["ir.cron"]._notify_progress(done=start + len(batch), remaining=total - start - len(batch))
                self._commit_batch()
                _logger.info("%s: %s of %s records done", label or lock or "batch", start + len(batch), total)
                if lock and start + len(batch) < total:
                    self._lock(lock, label)
        if in_cron and not total:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return result
