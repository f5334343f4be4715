import logging
import threading
from datetime import date, datetime

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# First key of every advisory lock the suite takes ("CHNL"), so that its locks never collide with
# the advisory locks of other code; the second key is a hash of the lock name.
LOCK_NAMESPACE = 0x43484E4C
# Field types _insert_records writes as one column each.
INSERT_SCALAR_TYPES = {
    "boolean", "char", "date", "datetime", "float", "html", "integer", "many2one", "many2one_reference",
    "monetary", "selection", "text",
}
INSERT_BATCH = 1000


def _none_or_str(value):
    return None if value is None or value is False else str(value)


def _none_or_id(value):
    return value or None


def _float_or_zero(value):
    return float(value or 0.0)


def _date_or_none(value):
    # a date (the driver sends it as such) or a date string
    return value or None


# Values the plain conversions take (anything else goes through the field's conversion).
PLAIN_VALUE_TYPES = (int, float, str, bool, type(None), date)


def _plain_conversion(field):
    """For the field types whose column and cache formats are the same plain value (ids, booleans,
    untranslated unsized strings; selections are checked by their own conversion): the conversion of
    such a value, else None (the field's own conversions apply)."""
    if field.type == "many2one":
        return _none_or_id
    if field.type == "boolean":
        return bool
    if field.type in ("char", "text") and not field.translate and not getattr(field, "size", None):
        return _none_or_str
    return None


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

    # ------------------------------------------------------------------
    # Inserting many records
    # ------------------------------------------------------------------
    @api.model
    def _insert_records(self, model, vals_list, create_overrides=()):
        """Create records of ``model`` from ``vals_list`` as ``model.create(vals_list)`` does, with one
        ``INSERT … SELECT FROM unnest(…)`` per 1,000 rows (one array per column) instead of the ORM's
        work per record: the same defaults (looked up once per set of given fields), log columns,
        column conversions (HTML sanitised, each distinct value once), cache, recomputation of the
        computed fields left out, Python constraints and access checks.

        Values must be of stored scalar fields (or ``[Command.set(ids)]`` for a many2many); the whole
        list goes through ``create()`` when a value or a default is of another kind (translated,
        company-dependent, one2many, binary, properties...), or when a module overrides ``create`` of
        ``model`` and is not in ``create_overrides`` (dotted Python module names): the caller does
        what those overrides do.

        :return: the new records, in the order of ``vals_list``"""
        if not vals_list:
            return model.browse()
        if not self._insert_create_ok(model, create_overrides):
            return model.create(vals_list)
        model.check_access("create")
        uid, now = self.env.uid, self.env.cr.now()
        defaults, groups = {}, {}
        for index, vals in enumerate(vals_list):
            keys = frozenset(vals)
            if keys not in defaults:
                complete = model._add_missing_default_values(dict(vals))
                missing = {fname: value for fname, value in complete.items() if fname not in vals}
                defaults[keys] = missing if self._insert_fields_ok(model, set(complete)) else None
            if defaults[keys] is None:
                return model.create(vals_list)
            row = dict(defaults[keys], **vals)
            if model._log_access:
                row.update(create_uid=uid, create_date=now, write_uid=uid, write_date=now)
            groups.setdefault(tuple(sorted(row)), []).append((index, row))
        ids = [None] * len(vals_list)
        converted = {}
        for fnames, indexed_rows in groups.items():
            columns = [fname for fname in fnames if model._fields[fname].type != "many2many"]
            for chunk in split_every(INSERT_BATCH, indexed_rows):
                # One array per column whose values differ, one parameter for a value shared by all
                # rows (users, dates, company...): far less to send and to parse.
                arrays, selected = [], []
                for fname in columns:
                    column_type = SQL(model._fields[fname].column_type[1])
                    values = self._insert_column_values(model, fname, [row for _index, row in chunk], converted)
                    if len(chunk) > 1 and all(value == values[0] for value in values):
                        selected.append(SQL("%s::%s", values[0], column_type))
                    else:
                        arrays.append(SQL("%s::%s[]", values, column_type))
                        selected.append(SQL.identifier("u", f"c{len(arrays)}"))
                self.env.cr.execute(SQL(
                    "INSERT INTO %s (%s) SELECT %s FROM %s RETURNING id",
                    SQL.identifier(model._table),
                    SQL(", ").join(SQL.identifier(fname) for fname in columns),
                    SQL(", ").join(selected),
                    SQL(
                        "unnest(%s) AS u(%s)",
                        SQL(", ").join(arrays),
                        SQL(", ").join(SQL.identifier(f"c{n}") for n in range(1, len(arrays) + 1)),
                    )
                    if arrays
                    else SQL("(SELECT generate_series(1, %s)) AS u", len(chunk)),
                ))
                for (index, _row), (new_id,) in zip(chunk, self.env.cr.fetchall(), strict=True):
                    ids[index] = new_id
        records = model.browse(ids)
        rows = [None] * len(vals_list)
        for indexed_rows in groups.values():
            for index, row in indexed_rows:
                rows[index] = row
        self._insert_relations(model, records, rows)
        self._insert_cache(model, records, rows, converted)
        records._parent_store_create()
        given = {fname for fnames in groups for fname in fnames}
        protected = set()
        for fname in given:
            field = model._fields[fname]
            if field.compute:
                protected.update(model.pool.field_computed.get(field, [field]))
        with self.env.protecting(protected, records):
            records.modified(model._fields, create=True)
        records._validate_fields(given)
        records.check_access("create")
        return records

    @api.model
    def _insert_create_ok(self, model, create_overrides):
        """Whether every ``create`` of ``model``'s classes is Odoo's own or one of ``create_overrides``."""
        allowed = {"odoo.models", *create_overrides}
        return all(
            cls.__module__ in allowed for cls in type(model).__mro__ if "create" in vars(cls) and cls is not type(model)
        )

    @api.model
    def _insert_fields_ok(self, model, fnames):
        for fname in fnames:
            field = model._fields.get(fname)
            if not field or not field.store or fname == "id" or field.company_dependent or field.translate:
                return False
            if field.type == "many2many":
                continue
            if field.type not in INSERT_SCALAR_TYPES or not field.column_type:
                return False
        return True

    @api.model
    def _insert_column_values(self, model, fname, rows, converted):
        """The column values of ``fname`` for ``rows`` as ``create()`` inserts them, converted by one
        plain function for the whole column where the field's type allows it."""
        field = model._fields[fname]
        first = rows[0][fname]
        if isinstance(first, PLAIN_VALUE_TYPES) and all(row[fname] == first for row in rows):
            # One value for every row (users, dates, company, state...): converted once.
            return [self._insert_column_value(model, fname, rows[0], converted)] * len(rows)
        plain = _plain_conversion(field)
        if plain is None and field.type == "selection":
            plain = _none_or_str  # checked against the selection by the cache conversion
        elif plain is None and field.type == "float" and not field.get_digits(self.env):
            plain = _float_or_zero
        elif plain is None and field.type == "date":
            plain = _date_or_none
        values = [row[fname] for row in rows]
        if plain and all(isinstance(value, PLAIN_VALUE_TYPES) and not isinstance(value, datetime) for value in values):
            return [plain(value) for value in values]
        return [self._insert_column_value(model, fname, row, converted) for row in rows]

    @api.model
    def _insert_column_value(self, model, fname, row, converted):
        """The column value of ``row[fname]`` as ``create()`` inserts it (HTML sanitised once per value)."""
        field = model._fields[fname]
        value = row[fname]
        plain = _plain_conversion(field)
        if plain and isinstance(value, (int, str, bool, type(None))):
            return plain(value)
        if field.type != "html" or not value:
            return field.convert_to_column_insert(value, model, row)
        key = (fname, value)
        if key not in converted:
            converted[key] = field.convert_to_column_insert(value, model, row)
        return converted[key]

    @api.model
    def _insert_relations(self, model, records, rows):
        """The many2many rows of the new records (values given as ``[Command.set(ids)]``)."""
        for fname in {fname for row in rows for fname in row if model._fields[fname].type == "many2many"}:
            field = model._fields[fname]
            pairs = []
            for record, row in zip(records, rows, strict=True):
                for command in row.get(fname) or ():
                    if command[0] != Command.SET:
                        raise ValueError(f"{model._name}.{fname}: only Command.set() can be inserted")
                    pairs.extend((record.id, target_id) for target_id in command[2])
            if pairs:
                self.env.cr.execute(SQL(
                    "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    [left for left, _right in pairs],
                    [right for _left, right in pairs],
                ))

    @api.model
    def _insert_cache(self, model, records, rows, converted):
        """Put the new records in the cache as ``create()`` does (one update per field)."""
        cache = self.env.cache
        # The one2many lists that the new many2one values extend are read again when needed (before
        # the cache of the new records is set: invalidating them also drops their inverse).
        for fname in {fname for row in rows for fname in row}:
            field = model._fields[fname]
            if field.type in ("many2one", "many2one_reference"):
                targets = list({row[fname] for row in rows if row.get(fname)})
                for inverse in model.pool.field_inverses[field]:
                    self.env[inverse.model_name].browse(targets).invalidate_recordset([inverse.name])
        for field in model._fields.values():
            given = [row for row in rows if field.name in row]
            if field.type in ("one2many", "many2many") and not given:
                cache.update(records, field, [()] * len(records))
            elif field.type == "many2many":
                cache.update(records, field, [
                    tuple(target_id for command in row.get(field.name) or () for target_id in command[2])
                    for row in rows
                ])
            elif given:
                if field.type == "html":
                    # What the column holds, sanitised once (converted by _insert_column_value).
                    targets, values = [], []
                    for record_id, row in zip(records._ids, rows, strict=True):
                        if field.name in row:
                            value = row[field.name]
                            value = converted.get((field.name, value)) if value else None
                            targets.append(record_id)
                            values.append(Markup(value) if value else None)
                    cache.update(records.browse(targets), field, values)
                elif len(given) == len(rows) and field.type != "monetary":
                    plain = _plain_conversion(field)
                    values = [row[field.name] for row in rows]
                    if plain and all(isinstance(value, (int, str, bool, type(None))) for value in values):
                        cache.update(records, field, [plain(value) for value in values])
                    else:
                        cache.update(records, field, [field.convert_to_cache(value, model) for value in values])
                else:
                    for record, row in zip(records, rows, strict=True):
                        if field.name in row:
                            cache.set(record, field, field.convert_to_cache(row[field.name], record))
            elif field.related and not field.column_type:
                cache.update(records, field, [field.convert_to_cache(None, model)] * len(records))
            elif field.store and not field.compute and field.name not in ("id", "parent_path"):
                cache.update(records, field, [field.convert_to_cache(None, model)] * len(records))
