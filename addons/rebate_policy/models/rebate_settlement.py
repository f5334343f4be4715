from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, float_compare, float_repr, float_round, split_every

from .rebate_policy import compare_6


class RebateSettlement(models.Model):
    _name = "rebate.settlement"
    _description = "Rebate Settlement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, policy_id, partner_id"

    name = fields.Char(compute="_compute_name", store=True)
    policy_id = fields.Many2one("rebate.policy", string="Policy", required=True, index=True, ondelete="restrict",
                                readonly=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True, readonly=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    channel_tier_id = fields.Many2one(related="partner_id.channel_tier_id", store=True, string="Tier")
    channel_territory_id = fields.Many2one(related="partner_id.channel_territory_id", store=True, string="Territory")
    period_start = fields.Date(required=True, index=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    period_label = fields.Char(string="Period", compute="_compute_name", store=True)
    base_type = fields.Selection(related="policy_id.base", string="Base Type")
    base_amount = fields.Float(
        string="Base", digits=(16, 2), readonly=True,
        help="Untaxed amount (or quantity) invoiced minus credited in the period.",
    )
    amount_untaxed = fields.Monetary(string="Invoiced (Untaxed)", readonly=True)
    rate = fields.Float(string="Rate Reached (%)", digits=(16, 4), readonly=True)
    gross_amount = fields.Monetary(string="Gross Rebate", readonly=True, tracking=True)
    addition_amount = fields.Monetary(string="Display Rewards", readonly=True, tracking=True)
    deduction_amount = fields.Monetary(
        string="Penalties Deducted", readonly=True, tracking=True,
        help="Draft: penalties pending now. Settled: penalties actually deducted.",
    )
    clawback_amount = fields.Monetary(
        string="Returns Clawed Back", readonly=True, tracking=True,
        help="What earlier settled periods paid too much once recomputed with the credit notes that reverse "
        "their invoices (see the clawback lines).",
    )
    clawback_line_ids = fields.One2many(
        "rebate.settlement.clawback", "settlement_id", string="Clawbacks", readonly=True,
    )
    net_amount = fields.Monetary(string="Net Rebate", compute="_compute_net_amount", store=True, tracking=True)
    next_threshold = fields.Float(digits=(16, 2), readonly=True)
    next_rate = fields.Float(string="Next Rate (%)", digits=(16, 4), readonly=True)
    missing_base = fields.Float(string="Missing to Next Threshold", digits=(16, 2), readonly=True)
    missing_percent = fields.Float(
        string="Missing (%)", compute="_compute_missing_percent", store=True, digits=(16, 2),
        help="What the base lacks to reach the next threshold, in % of that threshold.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("settled", "Settled"), ("cancelled", "Cancelled")],
        default="draft", required=True, index=True, tracking=True, copy=False,
    )
    settle_as = fields.Selection(related="policy_id.settle_as")
    move_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False, index="btree_not_null")
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", readonly=True, copy=False,
                                   index="btree_not_null")
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", string="Order")
    claim_ids = fields.One2many("rebate.display.claim", "settlement_id", string="Display Claims")
    invoice_line_ids = fields.Many2many(
        "account.move.line", compute="_compute_invoice_line_ids", string="Invoice Lines",
        help="The customer invoice and credit note lines this settlement is computed from.",
    )
    invoice_line_count = fields.Integer(compute="_compute_invoice_line_ids")
    date_computed = fields.Datetime(string="Computed on", readonly=True)
    date_settled = fields.Date(string="Settled on", readonly=True, copy=False)
    penalties_deducted = fields.Boolean(
        string="Penalties Settled", readonly=True, copy=False, help="Penalties were deducted at settlement."
    )

    _sql_constraints = [
        ("policy_partner_period_uniq", "unique(policy_id, partner_id, period_start)",
         "A dealer has one settlement per policy and period."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("policy_id.name", "partner_id.name", "period_start")
    def _compute_name(self):
        for settlement in self:
            label = settlement.policy_id._get_period_label(settlement.period_start) if settlement.policy_id else ""
            settlement.period_label = label
            settlement.name = f"{settlement.policy_id.name or ''} {label} - {settlement.partner_id.name or ''}"

    @api.depends("gross_amount", "addition_amount", "deduction_amount", "clawback_amount")
    def _compute_net_amount(self):
        # The settlement run computes it in batch (``_rebate_batch_computed_values`` for new
        # settlements, ``_rebate_batch_recomputed_values`` for refreshed ones): extend those with it.
        for settlement in self:
            settlement.net_amount = max(
                settlement.gross_amount + settlement.addition_amount - settlement.deduction_amount
                - settlement.clawback_amount,
                0.0,
            )

    @api.depends("missing_base", "next_threshold")
    def _compute_missing_percent(self):
        # Computed in batch by the settlement run too (see _compute_net_amount).
        for settlement in self:
            settlement.missing_percent = (
                settlement.missing_base / settlement.next_threshold * 100.0 if settlement.next_threshold else 0.0
            )

    def _get_invoice_line_domain(self):
        self.ensure_one()
        return self.policy_id._get_invoice_line_domain(
            self.period_start, self.period_end, partner_domain=[("id", "=", self.partner_id.id)]
        )

    def _compute_invoice_line_ids(self):
        Line = self.env["account.move.line"]
        for settlement in self:
            if not settlement.policy_id or not settlement.partner_id:
                settlement.invoice_line_ids = Line
                settlement.invoice_line_count = 0
                continue
            lines = Line.search(settlement._get_invoice_line_domain())
            settlement.invoice_line_ids = lines
            settlement.invoice_line_count = len(lines)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(s.state not in ("draft", "cancelled") for s in self):
            raise UserError(self.env._("Only draft or cancelled rebate settlements can be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.env["rebate.policy"]._rebate_check_caller()
        for settlement in self:
            if settlement.state != "draft":
                raise UserError(self.env._("Only draft settlements can be confirmed (%s).", settlement.display_name))
        self.write({"state": "confirmed"})
        return True

    def action_cancel(self):
        self.env["rebate.policy"]._rebate_check_caller()
        if any(s.state == "settled" for s in self):
            raise UserError(self.env._("A settled rebate cannot be cancelled: reverse its credit note or order line."))
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self.env["rebate.policy"]._rebate_check_caller()
        if any(s.state not in ("confirmed", "cancelled") for s in self):
            raise UserError(self.env._("Only confirmed or cancelled settlements can go back to draft."))
        if any(s.penalties_deducted for s in self):
            raise UserError(
                self.env._("Penalties were already deducted from this settlement: it cannot go back to draft.")
            )
        self.write({"state": "draft"})
        return True

    def action_refresh(self):
        """Recompute draft settlements from the current invoices."""
        self.env["rebate.policy"]._rebate_check_caller()
        drafts = self.filtered(lambda s: s.state == "draft")
        for (policy, start), settlements in drafts.grouped(lambda s: (s.policy_id, s.period_start)).items():
            policy._generate_settlements(start, partners=settlements.partner_id)
        return True

    def action_settle(self):
        """Settle confirmed (and draft) settlements: deduct penalties, create the credit notes or the
        order lines. Idempotent: settled settlements are skipped, nothing is created twice, and two runs
        at once on the same settlements never both pay: the second is refused while the first holds
        the row locks."""
        self.env["rebate.policy"]._rebate_check_caller()
        self._lock_for_settlement()
        if any(s.state == "cancelled" for s in self):
            raise UserError(self.env._("A cancelled settlement cannot be settled; reset it to draft first."))
        todo = self.filtered(lambda s: s.state in ("draft", "confirmed") and not s.move_id and not s.sale_line_id)
        if not todo:
            return True
        todo.filtered(lambda s: s.state == "draft").action_confirm()
        todo._deduct_penalties()
        todo._link_claims()
        credit = todo.filtered(lambda s: s.policy_id.settle_as == "credit_note" and s.net_amount > 0)
        on_order = todo.filtered(lambda s: s.policy_id.settle_as == "next_order" and s.net_amount > 0)
        credit._create_credit_notes()
        pending = on_order._add_to_next_orders()
        done = todo - pending
        done.write({"state": "settled", "date_settled": fields.Date.context_today(self)})
        for settlement in pending:
            settlement.message_post(
                body=self.env._("No draft order of %s yet: the rebate will be deducted from its next order.",
                       settlement.partner_id.display_name)
            )
        return True

    def action_view_invoice_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice Lines of %s", self.display_name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [(self.env.ref("account.view_move_line_tree").id, "list"), (False, "form")],
            "domain": self._get_invoice_line_domain(),
            "context": {"create": False, "search_default_group_by_move": 0},
        }

    def action_view_move(self):
        self.ensure_one()
        if self.move_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "account.move",
                "res_id": self.move_id.id,
                "view_mode": "form",
            }
        if self.sale_order_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": self.sale_order_id.id,
                "view_mode": "form",
            }
        return False

    # ------------------------------------------------------------------
    # Settlement steps
    # ------------------------------------------------------------------
    def _lock_for_settlement(self):
        """Lock the rows of these settlements until the end of the transaction; refuse at once when
        another transaction settles them."""
        if not self.ids:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                    SQL.identifier(self._table), tuple(self.ids),
                ))
        except (LockNotAvailable, SerializationFailure) as error:
            raise UserError(self.env._(
                "These rebate settlements are already being settled by another user or job. "
                "Reload them in a moment: what was settled is not settled twice."
            )) from error
        # Read the states the lock protects, not what this transaction had in cache.
        self.invalidate_recordset()

    def _deduct_penalties(self):
        """Deduct the confirmed penalties still open from the rebate (never below zero)."""
        for settlement in self:
            if settlement.penalties_deducted:
                continue
            if not settlement.policy_id.deduct_penalties:
                settlement.deduction_amount = 0.0
                continue
            available = settlement.gross_amount + settlement.addition_amount - settlement.clawback_amount
            violations = settlement.partner_id.sudo()._channel_get_undeducted_violations()
            deducted = violations._channel_deduct_penalties(available) if violations and available > 0 else 0.0
            settlement.deduction_amount = settlement.currency_id.round(deducted)
            settlement.penalties_deducted = True
            if deducted:
                settlement.message_post(
                    body=self.env._("Penalties deducted: %(amount)s (%(count)s violation(s) open).",
                           amount=settlement.deduction_amount, count=len(violations))
                )

    def _link_claims(self):
        for settlement in self:
            claims = settlement.claim_ids.filtered(lambda c: c.state == "approved")
            (settlement.claim_ids - claims).write({"settlement_id": False})

    def _get_credit_note_account(self):
        self.ensure_one()
        policy = self.policy_id
        if policy.account_id:
            return policy.account_id
        product = policy.product_id.with_company(policy.company_id)
        fiscal_position = self.env["account.fiscal.position"].with_company(policy.company_id)._get_fiscal_position(
            self.partner_id
        )
        return product.product_tmpl_id.get_product_accounts(fiscal_pos=fiscal_position)["income"]

    def _get_journal(self):
        self.ensure_one()
        journal = self.policy_id.journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._("No sales journal for the rebate credit notes of %s.", self.policy_id.display_name)
            )
        return journal

    def _prepare_credit_note_vals(self):
        self.ensure_one()
        policy = self.policy_id
        account = self._get_credit_note_account()
        if not account:
            raise UserError(self.env._("Set a rebate account on the policy %s.", policy.display_name))
        return {
            "move_type": "out_refund",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": self._get_journal().id,
            "invoice_date": fields.Date.context_today(self),
            "currency_id": self.currency_id.id,
            "ref": self.name,
            "invoice_origin": policy.name,
            "invoice_line_ids": [Command.create({
                "product_id": policy.product_id.id,
                "name": self.env._("Rebate %(policy)s %(period)s", policy=policy.name, period=self.period_label),
                "quantity": 1.0,
                "price_unit": self.net_amount,
                "tax_ids": [Command.clear()],
                "account_id": account.id,
            })],
        }

    def _create_credit_notes(self):
        if not self:
            return self.env["account.move"]
        # Accounts and journals are read as superuser: settling needs no accounting configuration rights.
        moves = self.env["account.move"].sudo().create([s.sudo()._prepare_credit_note_vals() for s in self])
        for settlement, move in zip(self, moves, strict=False):
            settlement.move_id = move
        if self._rebate_may_post_credit_notes():
            moves.action_post()
        else:
            for settlement in self:
                settlement.message_post(body=self.env._(
                    "The credit note %s was created in draft: only a user with invoicing rights "
                    "(Invoicing / Billing) posts it.", settlement.move_id.display_name,
                ))
        return moves

    def _rebate_may_post_credit_notes(self):
        """Credit notes are posted by users with invoicing rights (or superuser jobs), never merely
        because the settle button is visible."""
        return self.env.su or self.env.user.has_group("account.group_account_invoice")

    def _prepare_order_line_vals(self, order):
        self.ensure_one()
        return {
            "order_id": order.id,
            "product_id": self.policy_id.product_id.id,
            "name": self.env._("Rebate %(policy)s %(period)s", policy=self.policy_id.name, period=self.period_label),
            "product_uom_qty": 1.0,
            "price_unit": -self.net_amount,
            "tax_id": [Command.clear()],
            "rebate_settlement_id": self.id,
            "sequence": 9999,
        }

    def _find_next_orders(self):
        """{partner: oldest draft order} for the partners of these settlements (one search)."""
        orders = self.env["sale.order"].sudo().search(
            [
                ("partner_id", "child_of", self.partner_id.ids),
                ("state", "in", ("draft", "sent")),
                # Not an order already submitted to the approval chain: its amount was agreed.
                ("channel_state", "in", (False, "draft")),
            ],
            order="date_order, id",
        )
        result = {}
        for order in orders:
            result.setdefault((order.partner_id.commercial_partner_id, order.company_id), order)
        return result

    def _add_to_next_orders(self, orders=None):
        """Add a negative line to the next draft order of each dealer; returns the settlements still
        waiting for an order."""
        if not self:
            return self
        orders = orders if orders is not None else self._find_next_orders()
        vals_list, placed = [], self.browse()
        for settlement in self:
            order = orders.get((settlement.partner_id, settlement.company_id))
            if order:
                vals_list.append(settlement._prepare_order_line_vals(order))
                placed |= settlement
        lines = self.env["sale.order.line"].sudo().create(vals_list)
        for settlement, line in zip(placed, lines, strict=False):
            settlement.sale_line_id = line
        return self - placed

    @api.model
    def _apply_pending_to_orders(self, orders):
        """Place the rebates waiting for a next order on the new draft ``orders``."""
        pending = self.sudo().search([
            ("state", "=", "confirmed"),
            ("settle_as", "=", "next_order"),
            ("sale_line_id", "=", False),
            ("net_amount", ">", 0),
            ("partner_id", "in", orders.partner_id.commercial_partner_id.ids),
        ])
        if not pending:
            return pending
        by_key = {}
        for order in orders.sorted(lambda o: (o.date_order, o.id)):
            if order.state in ("draft", "sent") and order.channel_state in (False, "draft"):
                by_key.setdefault((order.partner_id.commercial_partner_id, order.company_id), order)
        waiting = pending._add_to_next_orders(by_key)
        placed = pending - waiting
        placed.write({"state": "settled", "date_settled": fields.Date.context_today(self)})
        return placed

    def _rebate_back_to_pending(self, reason):
        """Settlements whose order line disappeared wait for the next order again."""
        settlements = self.exists().filtered(lambda s: s.state == "settled" and s.settle_as == "next_order")
        if not settlements:
            return
        settlements.write({"state": "confirmed", "sale_line_id": False, "date_settled": False})
        for settlement in settlements:
            settlement.message_post(body=self.env._("%s It will be deducted from the next order.", reason))

    def _reset_settlement_figures(self):
        """Drop these draft settlements to zero: their partner has no base any more in the period."""
        if not self:
            return
        self.write({
            "base_amount": 0.0, "amount_untaxed": 0.0, "rate": 0.0, "gross_amount": 0.0,
            "addition_amount": 0.0, "deduction_amount": 0.0, "missing_base": 0.0,
            "claim_ids": [Command.clear()], "date_computed": fields.Datetime.now(),
            "clawback_amount": 0.0, "clawback_line_ids": [Command.clear()],
        })

    def _rebate_values_changed(self, vals):
        """True when recomputed ``vals`` differ from what this settlement holds (date aside)."""
        self.ensure_one()
        return bool(self._rebate_changed_vals(vals))

    def _rebate_changed_vals(self, vals):
        """The part of recomputed ``vals`` that differs from what this settlement holds, with the
        computation date; {} when nothing but the date would change. Unchanged display claims and
        clawback lines are left out: rewriting them costs queries per settlement."""
        self.ensure_one()
        changed = {}
        for fname, value in vals.items():
            if fname in ("date_computed", "policy_id", "partner_id"):
                continue
            if fname == "claim_ids":
                if set(value[0][2]) != set(self.claim_ids.ids):
                    changed[fname] = value
            elif fname == "clawback_line_ids":
                if self._rebate_clawback_key(value) != {
                    (line.source_settlement_id.id, tuple(line.refund_ids.sorted("id").ids),
                     self.currency_id.round(line.amount), self.currency_id.round(line.due_amount))
                    for line in self.clawback_line_ids
                }:
                    changed[fname] = value
            elif isinstance(value, float):
                if float_compare(self[fname], value, precision_digits=6):
                    changed[fname] = value
            elif self[fname] != value:
                changed[fname] = value
        if changed and "date_computed" in vals:
            changed["date_computed"] = vals["date_computed"]
        return changed

    def _rebate_clawback_key(self, commands):
        """Comparable form of the clawback line commands of recomputed values."""
        self.ensure_one()
        return {
            (
                vals["source_settlement_id"],
                tuple(sorted(vals["refund_ids"][0][2])),
                self.currency_id.round(vals["amount"]),
                self.currency_id.round(vals["due_amount"]),
            )
            for command, _id, vals in commands
            if command == Command.CREATE
        }

    # ------------------------------------------------------------------
    # Batch writes of the settlement run
    # ------------------------------------------------------------------
    def _rebate_batch_ok(self, fnames):
        """True when values of ``fnames`` may be written in SQL by the settlement run: stored columns
        that are not computed, translated nor company-dependent (no x2many, no log field), monetary
        fields in the policy currency, and no chatter to feed (tracking disabled, as the run does)."""
        if not self.env.context.get("tracking_disable"):
            return False
        for fname in fnames:
            field = self._fields.get(fname)
            if (
                not field or not field.store or not field.column_type or field.compute or field.translate
                or field.company_dependent or fname in ("id", "parent_path", "create_uid", "create_date",
                                                        "write_uid", "write_date")
                or (field.type == "monetary" and field.get_currency_field(self) != "currency_id")
            ):
                return False
        return True

    @api.model
    def _rebate_column_values(self, policy, rows):
        """Rows of values ({field name: value}) of settlements of ``policy`` converted to their SQL
        parameters as create() and write() convert them: floats rounded to their digits, a monetary
        value to the policy currency (what create() finds through a ``new()`` record per value)."""
        currency = policy.currency_id
        converters = {}

        def converter(field):
            if field.type == "monetary" and currency:
                rounding, places = currency.rounding, currency.decimal_places
                return lambda value: float_repr(float_round(float(value or 0.0), precision_rounding=rounding), places)
            if field.type == "monetary":
                return lambda value: float(value or 0.0)
            if field.type == "float" and field.get_digits(self.env):
                scale = field.get_digits(self.env)[1]
                return lambda value: float_repr(float_round(float(value or 0.0), precision_digits=scale), scale)
            if field.type in ("date", "datetime", "many2one"):
                # The driver adapts dates and ids as they are; False is NULL (as convert_to_column()).
                return lambda value: value or None
            return lambda value: field.convert_to_column_insert(value, self)

        def memoized(convert):
            # Thousands of rows repeat the same few values (zeros, thresholds, rates): each value is
            # converted once.
            memo = {}

            def convert_once(value):
                if value not in memo:
                    memo[value] = convert(value)
                return memo[value]

            return convert_once

        result = []
        for row in rows:
            converted = {}
            for fname, value in row.items():
                if fname not in converters:
                    field = self._fields[fname]
                    convert = converter(field)
                    converters[fname] = memoized(convert) if field.type in ("monetary", "float") else convert
                converted[fname] = converters[fname](value)
            result.append(converted)
        return result

    @api.model
    def _rebate_batch_computed_values(self, policy, rows):
        """Values of the stored computed and related fields of new settlements of ``policy`` made of
        the values ``rows`` (defaults included), one dict per row: what their compute methods give,
        from the values rounded as the ORM caches them. The batch insert writes them with the row;
        a stored computed field left out is computed by the ORM after the insert. Extend this with
        the compute method of such a field."""
        rounding = policy.currency_id.rounding
        Partner = self.env["res.partner"]
        Partner.flush_model(["name", "channel_tier_id", "channel_territory_id"])
        self.env.cr.execute(SQL(
            "SELECT id, name, channel_tier_id, channel_territory_id FROM res_partner WHERE id IN %s",
            tuple({row["partner_id"] for row in rows}),
        ))
        partners = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        digits = {fname: self._fields[fname].get_digits(self.env)[1] for fname in ("missing_base", "next_threshold")}
        policy_name = policy.name or ""
        labels = {}
        result = []
        for row in rows:
            start = row["period_start"]
            if start not in labels:
                labels[start] = policy._get_period_label(start)
            name, tier_id, territory_id = partners[row["partner_id"]]
            # (Zero, the usual addition, deduction and claw-back, needs no rounding.)
            amounts = {
                fname: float_round(value, precision_rounding=rounding) if (value := row.get(fname)) else 0.0
                for fname in ("gross_amount", "addition_amount", "deduction_amount", "clawback_amount")
            }
            missing = row.get("missing_base")
            missing = float_round(missing, precision_digits=digits["missing_base"]) if missing else 0.0
            threshold = row.get("next_threshold")
            threshold = float_round(threshold, precision_digits=digits["next_threshold"]) if threshold else 0.0
            result.append({
                "name": f"{policy_name} {labels[start]} - {name or ''}",
                "period_label": labels[start],
                "company_id": policy.company_id.id,
                "channel_tier_id": tier_id,
                "channel_territory_id": territory_id,
                "net_amount": max(
                    amounts["gross_amount"] + amounts["addition_amount"] - amounts["deduction_amount"]
                    - amounts["clawback_amount"],
                    0.0,
                ),
                "missing_percent": missing / threshold * 100.0 if threshold else 0.0,
            })
        return result

    @api.model
    def _rebate_create_batch(self, vals_list):
        """Create settlements as ``create(vals_list)`` does, with one ``INSERT … RETURNING`` per 1,000
        rows: the same defaults, log columns (create/write user and date) and rounded values, and the
        stored computed and related fields (name, period, company, tier, territory, net amount…)
        computed in batch by ``_rebate_batch_computed_values`` (the ORM computes those it leaves
        out, as after create()).

        Only with ``tracking_disable`` (the run's context: create() then adds no follower, message nor
        tracking either) and for values of stored scalar fields; other values go through create()."""
        if not vals_list:
            return self.browse()
        self.check_access("create")
        fast, slow, fit = [], [], {}
        for vals in vals_list:
            keys = frozenset(vals)
            if keys not in fit:
                fit[keys] = {"policy_id", "partner_id"} <= keys and self._rebate_batch_ok(keys)
            (fast if fit[keys] else slow).append(vals)
        # Default values do not depend on the given values: looked up once per set of given fields.
        defaults = {}
        groups = {}
        uid, now = self.env.uid, self.env.cr.now()
        for vals in fast:
            keys = frozenset(vals)
            if keys not in defaults:
                complete = self._add_missing_default_values(dict(vals))
                missing = {fname: value for fname, value in complete.items() if fname not in vals}
                defaults[keys] = missing if self._rebate_batch_ok(missing) else None
            if defaults[keys] is None:
                slow.append(vals)
                continue
            row = dict(defaults[keys], **vals, create_uid=uid, create_date=now, write_uid=uid, write_date=now)
            groups.setdefault((row["policy_id"], tuple(sorted(row))), []).append(row)
        ids, computed = [], set()
        for (policy_id, _fnames), rows in groups.items():
            policy = self.env["rebate.policy"].browse(policy_id)
            for row, values in zip(rows, self._rebate_batch_computed_values(policy, rows), strict=True):
                row.update(values)
                computed.update(values)
            fnames = sorted(rows[0])
            for chunk in split_every(1000, self._rebate_column_values(policy, rows)):
                # One array per column (adapted by the driver far faster than a tuple per row).
                self.env.cr.execute(SQL(
                    "INSERT INTO %s (%s) SELECT * FROM unnest(%s) RETURNING id",
                    SQL.identifier(self._table),
                    SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                    SQL(", ").join(
                        SQL("%s::%s[]", [row[fname] for row in chunk], SQL(self._fields[fname].column_type[1]))
                        for fname in fnames
                    ),
                ))
                ids.extend(row[0] for row in self.env.cr.fetchall())
        records = self.browse(ids)
        if records:
            stored = sorted({fname for _policy_id, fnames in groups for fname in fnames} | computed)
            # What create() does after its INSERT: the one2many fields of the parents (a policy's
            # settlements) are out of date, the computed fields not inserted are to compute.
            for fname in stored:
                for inverse in self.pool.field_inverses[self._fields[fname]]:
                    self.env[inverse.model_name].invalidate_model([inverse.name])
            with self.env.protecting([self._fields[fname] for fname in computed], records):
                records.modified(self._fields, create=True)
            records._validate_fields(stored)
            records.check_access("create")
            # As create() with tracking_disable: no tracking of these records in this transaction.
            records._track_discard()
        return records | (self.create(slow) if slow else self.browse())

    def _rebate_current_values(self, fnames):
        """{settlement id: {field name: value}} of ``self`` read with one query: ``partner_id``,
        ``state`` and the stored scalar fields of ``fnames`` as the database holds them, and for
        each one2many or many2many field of ``fnames`` whether the settlement has rows in it."""
        if not self:
            return {}
        self.flush_recordset()
        names, columns = self._rebate_current_columns(fnames)
        self.env.cr.execute(SQL(
            "SELECT %s, %s FROM %s WHERE %s IN %s",
            SQL.identifier(self._table, "id"), SQL(", ").join(columns), SQL.identifier(self._table),
            SQL.identifier(self._table, "id"), tuple(self.ids),
        ))
        return {row[0]: dict(zip(names, row[1:], strict=True)) for row in self.env.cr.fetchall()}

    @api.model
    def _rebate_search_current_values(self, domain, fnames):
        """The settlements of ``domain`` (in their order) and their :meth:`_rebate_current_values`,
        read with one query."""
        names, columns = self._rebate_current_columns(fnames)
        self.flush_model([fname for fname in names if self._fields[fname].column_type])
        self.env.cr.execute(self._search(domain, order=self._order).select(SQL.identifier(self._table, "id"), *columns))
        rows = self.env.cr.fetchall()
        return self.browse([row[0] for row in rows]), {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}

    def _rebate_current_columns(self, fnames):
        """(field names, SQL columns) of :meth:`_rebate_current_values` for ``fnames``; the rows of the
        one2many and many2many fields they test are flushed."""
        names, columns = [], []
        for fname in ("partner_id", "state", *fnames):
            field = self._fields[fname]
            if field.type == "one2many" and field.store:
                comodel = self.env[field.comodel_name]
                comodel.flush_model([field.inverse_name])
                columns.append(SQL(
                    "EXISTS(SELECT 1 FROM %s WHERE %s = %s)", SQL.identifier(comodel._table),
                    SQL.identifier(comodel._table, field.inverse_name), SQL.identifier(self._table, "id"),
                ))
            elif field.type == "many2many" and field.store:
                self.flush_model([fname])
                columns.append(SQL(
                    "EXISTS(SELECT 1 FROM %s WHERE %s = %s)", SQL.identifier(field.relation),
                    SQL.identifier(field.relation, field.column1), SQL.identifier(self._table, "id"),
                ))
            elif field.store and field.column_type:
                columns.append(SQL.identifier(self._table, fname))
            else:
                continue
            names.append(fname)
        return names, columns

    @api.model
    def _rebate_diff(self, current, vals):
        """What :meth:`_rebate_changed_vals` returns, from ``current`` (a row of
        :meth:`_rebate_current_values`) instead of the record: the changed values with the
        computation date, {} when nothing but the date would change. None when the display claims or
        clawback lines are not empty on either side (they are compared by ``_rebate_changed_vals``)."""
        changed = {}
        for fname, value in vals.items():
            if fname in ("date_computed", "policy_id", "partner_id"):
                continue
            if fname not in current:
                return None
            field = self._fields[fname]
            old = current[fname]
            if old == value and not isinstance(value, list):
                continue
            if field.type in ("one2many", "many2many"):
                if old or any(command[0] != Command.CLEAR and (command[0] != Command.SET or command[2])
                              for command in value):
                    return None
            elif field.type in ("float", "monetary"):
                if compare_6(old or 0.0, value):
                    changed[fname] = value
            elif field.convert_to_cache(old, self, validate=False) != field.convert_to_cache(
                value, self, validate=False
            ):
                changed[fname] = value
        if changed and "date_computed" in vals:
            changed["date_computed"] = vals["date_computed"]
        return changed

    def _rebate_write_batch(self, policy, vals_list):
        """Write ``vals_list`` (one dict of changed scalar values per settlement of ``self``, all of
        ``policy``) as write() and the flush after it would, with one ``UPDATE`` (``_rebate_update``) per
        set of changed fields that also writes the stored fields computed from them (net amount,
        missing %…), not a second ``UPDATE``.

        As write(), the values are put in cache (as rounded and stored) and what depends on them is
        marked to recompute. The stored computed fields of these settlements then pending (see
        ``_rebate_batch_computed_fields``) are computed at once: by ``_rebate_batch_recomputed_values``
        for those it knows, by their compute methods for the others; the ``UPDATE`` writes what the
        cache then holds, as the flush would. They are tracked as when the ORM computes them in the
        environment of ``policy``, where the run was called (the net amount is a tracked field).
        Values that do not qualify (see ``_rebate_batch_ok``) are written with write()."""
        fast, fast_vals, fit = [], [], {}
        for settlement, vals in zip(self, vals_list, strict=True):
            keys = frozenset(vals)
            if keys not in fit:
                # A changed many2one moves the dependents of the records it leaves: write() finds them.
                fit[keys] = self._rebate_batch_ok(keys) and not any(self._fields[fname].relational for fname in keys)
            if fit[keys]:
                fast.append(settlement.id)
                fast_vals.append(vals)
            else:
                settlement.write(vals)
        if not fast:
            return
        records = self.browse(fast)
        records.check_access("write")
        records.flush_recordset()
        # What the computations read of these settlements, read while nothing of them is pending
        # (reading a column with pending values would write them first).
        records.fetch([
            fname for fname, field in self._fields.items()
            if field.store and field.column_type and field.is_accessible(self.env)
        ])
        # The flush after write() computes the fields that depend on the values where the run was
        # called, and tracks them as that environment tracks: their values before are kept for it.
        records.with_env(policy.env)._rebate_track_computed()
        fnames = sorted({fname for vals in fast_vals for fname in vals})
        rows = self._rebate_column_values(policy, fast_vals)
        records._rebate_cache_pending(rows)
        records.modified(fnames)
        pending = {field.name: field for field in records._rebate_batch_computed_fields()}
        if pending:
            recomputed = records._rebate_batch_recomputed_values(policy, set(pending))
            known = sorted(set(pending).intersection(*recomputed))
            for fname in known:
                self.env.remove_to_compute(pending[fname], records)
            computed = self._rebate_column_values(policy, [
                {fname: values[fname] for fname in known} for values in recomputed
            ])
            records._rebate_cache_pending(computed)
            records._validate_fields(known)
            # The other ones by their compute methods, as the flush would.
            others = sorted(set(pending) - set(known))
            if others:
                records._recompute_recordset(others)
                cache = self.env.cache
                computed = [
                    values | other for values, other in zip(computed, self._rebate_column_values(policy, [
                        dict(zip(others, column, strict=True))
                        for column in zip(*[cache.get_values(records, pending[fname]) for fname in others],
                                          strict=True)
                    ]), strict=True)
                ]
            rows = [row | values for row, values in zip(rows, computed, strict=True)]
        # Written here, not by the flush.
        records._rebate_clear_dirty({
            self._fields[fname]: [id_ for id_, row in zip(fast, rows, strict=True) if fname in row]
            for fname in {fname for row in rows for fname in row}
        })
        records._rebate_update(rows)
        records.invalidate_recordset(["write_uid", "write_date"])
        records._validate_fields(fnames)

    def _rebate_track_computed(self):
        """Prepare the tracking of the stored computed fields of these settlements as their computation
        by the ORM does in this environment (nothing when it disables tracking)."""
        if self.env.context.get("tracking_disable") or self.env.context.get("mail_notrack"):
            return
        self.sudo()._track_prepare([fname for fname, field in self._fields.items() if field.store and field.compute])

    def _rebate_update(self, rows):
        """Write ``rows`` (column values of :meth:`_rebate_column_values`, one dict per settlement of
        ``self``) and the write user and date as ``_write_multi`` does, with one ``UPDATE`` per set of
        fields and 1,000 rows, from one array per column."""
        uid, now = self.env.uid, self.env.cr.now()
        groups = {}
        for id_, row in zip(self._ids, rows, strict=True):
            groups.setdefault(tuple(sorted(row)), []).append((id_, row))
        for fnames, items in groups.items():
            for chunk in split_every(1000, items):
                columns = {
                    "id": ([id_ for id_, _row in chunk], "int4"),
                    "write_uid": ([uid] * len(chunk), "int4"),
                    "write_date": ([now] * len(chunk), "timestamp"),
                }
                for fname in fnames:
                    columns[fname] = ([row[fname] for _id, row in chunk], self._fields[fname].column_type[1])
                self.env.cr.execute(SQL(
                    "UPDATE %s SET %s FROM (SELECT * FROM unnest(%s)) AS rows(%s) WHERE %s = rows.id",
                    SQL.identifier(self._table),
                    SQL(", ").join(
                        SQL("%s = rows.%s", SQL.identifier(fname), SQL.identifier(fname))
                        for fname in columns if fname != "id"
                    ),
                    SQL(", ").join(
                        SQL("%s::%s[]", values, SQL(column_type)) for values, column_type in columns.values()
                    ),
                    SQL(", ").join(SQL.identifier(fname) for fname in columns),
                    SQL.identifier(self._table, "id"),
                ))

    def _rebate_cache_pending(self, rows):
        """Put ``rows`` (one dict of column values of :meth:`_rebate_column_values` per settlement
        of ``self``) in cache as write() does: the values as stored, pending for the flush."""
        cache = self.env.cache
        for fname in sorted({fname for row in rows for fname in row}):
            field = self._fields[fname]
            # A number is in its column rounded already: what the ORM rounds it to is its float.
            convert = float if field.type in ("float", "monetary") else (
                lambda value, field=field: field.convert_to_cache(value, self, validate=False)
            )
            ids, values = [], []
            for id_, row in zip(self._ids, rows, strict=True):
                if fname in row:
                    ids.append(id_)
                    values.append(convert(row[fname]))
            cache.update(self.browse(ids), field, values, dirty=True)

    def _rebate_batch_computed_fields(self):
        """The stored computed fields pending on all of ``self`` that :meth:`_rebate_write_batch`
        computes and writes with the values: plain scalar columns (not translated, company- or
        context-dependent), monetary ones in the currency of the policy."""
        return [
            field for field in list(self.env.fields_to_compute())
            if field.model_name == self._name and field.column_type and not field.relational
            and not field.translate and not field.company_dependent
            and field not in self.pool.field_depends_context
            and (field.type != "monetary" or field.get_currency_field(self) == "currency_id")
            and len(self.env.records_to_compute(field) & self) == len(self)
        ]

    def _rebate_batch_recomputed_values(self, policy, fnames):
        """Values of the stored computed fields ``fnames`` of these settlements of ``policy`` just
        written by :meth:`_rebate_write_batch`, one dict per settlement: what their compute methods
        give from the values in cache, for the fields this method knows (the others are computed by
        their compute methods). Extend this with the compute method of such a field, and when
        overriding one of the compute methods below."""
        rounding = policy.currency_id.rounding
        result = [{} for _settlement in self]
        if "net_amount" in fnames:
            for values, settlement in zip(result, self, strict=True):
                # As _compute_net_amount, rounded to the currency as the ORM caches it.
                values["net_amount"] = float_round(max(
                    settlement.gross_amount + settlement.addition_amount - settlement.deduction_amount
                    - settlement.clawback_amount,
                    0.0,
                ), precision_rounding=rounding)
        if "missing_percent" in fnames:
            for values, settlement in zip(result, self, strict=True):
                values["missing_percent"] = (
                    settlement.missing_base / settlement.next_threshold * 100.0 if settlement.next_threshold else 0.0
                )
        return result

    def _rebate_clear_dirty(self, written):
        """Take out of the flush the pending values of ``written`` ({field: ids of ``self``}), which the
        caller writes itself; those of other records stay pending."""
        cache = self.env.cache
        for field, ids in written.items():
            ids = set(ids)
            others = self.browse([id_ for id_ in cache.clear_dirty_field(field) if id_ not in ids])
            if others:
                cache.update(others, field, cache.get_values(others, field), dirty=True)

    # ------------------------------------------------------------------
    # Reporting helpers
    # ------------------------------------------------------------------
    @api.model
    def _get_near_threshold_domain(self, margin_percent):
        return [
            ("state", "=", "draft"),
            ("next_threshold", ">", 0),
            ("missing_base", ">", 0),
            ("missing_percent", "<=", margin_percent),
        ]
