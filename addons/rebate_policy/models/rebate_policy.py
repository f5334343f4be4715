from collections import defaultdict
from datetime import date as dt_date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL, float_compare, float_round

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def compare_6(value1, value2):
    """``float_compare(value1, value2, precision_digits=6)``, without rounding the values when they are
    too far apart for the rounding to matter (the settlement run compares thousands of them)."""
    if value1 == value2:
        return 0
    delta = value1 - value2
    margin = 1e-5 + 1e-12 * max(abs(value1), abs(value2))
    if delta > margin:
        return 1
    if delta < -margin:
        return -1
    return float_compare(value1, value2, precision_digits=6)

# Fields that decide the amount of a rebate: frozen on an active policy once settlements exist.
COMPUTATION_FIELDS = (
    "base", "computation", "rate", "threshold_mode", "cap_amount", "period",
    "product_ids", "categ_ids", "tier_ids", "territory_ids", "partner_ids", "date_start",
)


class RebatePolicy(models.Model):
    _name = "rebate.policy"
    _description = "Rebate Policy"
    _inherit = ["mail.thread", "mail.activity.mixin", "channel.scope.mixin"]
    _order = "state, date_start desc, id desc"

    name = fields.Char(required=True, translate=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    date_start = fields.Date(
        required=True, tracking=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
    )
    date_end = fields.Date(
        required=True, tracking=True, default=lambda self: fields.Date.context_today(self).replace(month=12, day=31)
    )
    period = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly"), ("half_year", "Half-yearly"), ("year", "Yearly")],
        required=True,
        default="quarter",
        tracking=True,
        help="Settlements are computed per calendar period inside the policy dates.",
    )
    # Partner scope
    tier_ids = fields.Many2many("channel.tier", string="Tiers", help="Empty: every tier.")
    territory_ids = fields.Many2many(
        "channel.territory", string="Territories", help="A territory includes its sub-territories. Empty: everywhere."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Dealers",
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
        help="Empty: every dealer matching the tiers and territories.",
    )
    # Product scope
    product_ids = fields.Many2many("product.product", string="Products", help="Empty: every product.")
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="A category includes its sub-categories. Empty: every category.",
    )
    # Computation
    base = fields.Selection(
        [("amount", "Untaxed Amount"), ("qty", "Quantity")],
        required=True,
        default="amount",
        tracking=True,
        help="Amount: untaxed amount of posted customer invoices minus posted credit notes, in company currency, "
        "by invoice date. Quantity: invoiced quantities minus credited quantities; "
        "the rate then applies to the amount.",
    )
    computation = fields.Selection(
        [("flat", "Flat Rate"), ("threshold", "Thresholds")],
        required=True,
        default="threshold",
        tracking=True,
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 4), tracking=True)
    threshold_ids = fields.One2many("rebate.policy.threshold", "policy_id", string="Thresholds", copy=True)
    threshold_mode = fields.Selection(
        [("retroactive", "Retroactive"), ("incremental", "Incremental")],
        required=True,
        default="retroactive",
        tracking=True,
        help="Retroactive: the whole base at the rate of the highest threshold reached. "
        "Incremental: each band between two thresholds at its own rate.",
    )
    cap_amount = fields.Monetary(string="Cap", tracking=True, help="Maximum rebate per dealer and period (0: no cap).")
    settle_as = fields.Selection(
        [("credit_note", "Credit Note"), ("next_order", "Deduction on Next Order")],
        required=True,
        default="credit_note",
        tracking=True,
    )
    deduct_penalties = fields.Boolean(
        tracking=True,
        help="Confirmed violation penalties not yet deducted reduce the rebate (never below zero); "
        "what is left stays pending for the next settlement.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Rebate Product",
        required=True,
        default=lambda self: self.env.ref("rebate_policy.product_product_rebate", raise_if_not_found=False),
        help="Product used on rebate credit notes and order lines.",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Rebate Account",
        check_company=True,
        help="Account of the credit note lines. Empty: the income account of the rebate product.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Sales journal of the credit notes. Empty: the first sales journal of the company.",
    )
    # Display rewards
    display_reward = fields.Boolean(string="Display Rewards", help="Dealers may submit display claims for this policy.")
    display_standard = fields.Text(translate=True, help="What a display must show to earn the reward.")
    display_amount = fields.Monetary(string="Reward per Display", help="Default amount of an approved display claim.")
    description = fields.Html(translate=True, help="Shown to dealers on the portal.")
    clawback_returns = fields.Boolean(
        string="Claw Back Returns",
        default=True,
        tracking=True,
        help="A credit note that reverses an invoice counts in the period of that invoice. When that period "
        "is already confirmed or settled, it is recomputed with the return and the difference is deducted "
        "from the dealer's next settlement (clawback lines). Off: a credit note counts in its own period.",
    )
    portal_in_scope = fields.Boolean(
        compute="_compute_portal_in_scope",
        search="_search_portal_in_scope",
        help="Technical: the current user's commercial partner is an active or suspended dealer in the scope.",
    )
    settlement_ids = fields.One2many("rebate.settlement", "policy_id", string="Settlements")
    settlement_count = fields.Integer(compute="_compute_settlement_count")
    claim_count = fields.Integer(compute="_compute_settlement_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_settlement_count(self):
        settlements = dict(
            self.env["rebate.settlement"]._read_group([("policy_id", "in", self.ids)], ["policy_id"], ["__count"])
        )
        claims = dict(
            self.env["rebate.display.claim"]._read_group([("policy_id", "in", self.ids)], ["policy_id"], ["__count"])
        )
        for policy in self:
            policy.settlement_count = settlements.get(policy, 0)
            policy.claim_count = claims.get(policy, 0)

    @api.depends_context("uid")
    def _compute_portal_in_scope(self):
        in_scope = self.search([("id", "in", self.ids), ("portal_in_scope", "=", True)]) if self.ids else self
        for policy in self:
            policy.portal_in_scope = policy in in_scope

    def _search_portal_in_scope(self, operator, value):
        """Policies whose scope includes the current user's commercial partner, computed as superuser
        from today's partner data (used by the portal record rules, never cached per user)."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the portal scope of rebate policies."))
        partner = self.env.user.commercial_partner_id.sudo()
        if (
            not partner.is_company
            or partner.channel_role not in ("dealer", "distributor", "retailer")
            or partner.channel_state not in ("active", "suspended")
        ):
            domain = expression.FALSE_DOMAIN
        else:
            domain = [("id", "in", self.sudo()._search(self._get_partner_scope_domain(partner)))]
        if (operator == "=") != value:
            domain = ["!", *domain] if domain != expression.FALSE_DOMAIN else expression.TRUE_DOMAIN
        return domain

    @api.model
    def _get_partner_scope_domain(self, partner):
        """Domain of the policies whose scope (see ``_get_partner_domain``) includes the commercial
        ``partner``: listed dealers, or every dealer matching the tiers and territories."""
        return self._channel_scope_records_domain(partner)

    @api.model
    def _channel_scope_unlisted_domain(self):
        # A policy that lists nobody applies to dealers; sub-distributors and retailers are listed.
        return [("channel_role", "=", "dealer")]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for policy in self:
            if policy.date_start and policy.date_end and policy.date_end < policy.date_start:
                raise ValidationError(
                    self.env._("The end date of the rebate policy %s is before its start date.", policy.display_name)
                )

    @api.constrains("rate", "computation")
    def _check_rate(self):
        for policy in self:
            if not 0 <= policy.rate <= 100:
                raise ValidationError(
                    self.env._("The rate of the rebate policy %(policy)s must be between 0 and 100 %%, not %(rate)s.",
                      policy=policy.display_name, rate=policy.rate)
                )

    @api.constrains("threshold_ids", "computation", "state")
    def _check_thresholds(self):
        for policy in self:
            if policy.computation != "threshold":
                continue
            if not policy.threshold_ids and policy.state == "active":
                raise ValidationError(
                    self.env._("The threshold policy %s needs at least one threshold.", policy.display_name)
                )
            policy.threshold_ids._check_sequence_of_thresholds()

    @api.constrains("display_amount", "cap_amount")
    def _check_amounts(self):
        for policy in self:
            if policy.display_amount < 0 or policy.cap_amount < 0:
                raise ValidationError(
                    self.env._("The cap and the display reward of %s cannot be negative.", policy.display_name)
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if set(vals) & set(COMPUTATION_FIELDS) or "threshold_ids" in vals:
            self._check_computation_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if self.env["rebate.settlement"].search_count(
            [("policy_id", "in", self.ids), ("state", "in", ("confirmed", "settled"))], limit=1
        ):
            raise UserError(
                self.env._("A rebate policy with confirmed or settled settlements cannot be deleted; close it.")
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%s (copy)", policy.name)) for policy, vals in zip(self, vals_list, strict=False)
        ]

    def _check_computation_editable(self):
        """An active policy's computation is frozen once it has settlements."""
        active = self.filtered(lambda p: p.state == "active")
        if not active:
            return
        locked = self.env["rebate.settlement"]._read_group(
            [("policy_id", "in", active.ids), ("state", "!=", "cancelled")], ["policy_id"]
        )
        if locked:
            raise UserError(
                self.env._(
                    "The rebate policy %s is active and has settlements: its thresholds, rates and scope can no "
                    "longer change. Close it and create a new policy, or cancel its settlements first.",
                    locked[0][0].display_name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        self._rebate_check_caller()
        for policy in self:
            if policy.computation == "threshold" and not policy.threshold_ids:
                raise UserError(
                    self.env._("Add at least one threshold to %s before activating it.", policy.display_name)
                )
        self.write({"state": "active"})
        return True

    def action_close(self):
        self._rebate_check_caller()
        self.write({"state": "closed"})
        return True

    def action_reset_draft(self):
        self._rebate_check_caller()
        if self.env["rebate.settlement"].search_count(
            [("policy_id", "in", self.ids), ("state", "!=", "cancelled")], limit=1
        ):
            raise UserError(self.env._("A rebate policy with settlements cannot go back to draft."))
        self.write({"state": "draft"})
        return True

    def action_view_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_settlement_action")
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id, "search_default_group_period": 1}
        return action

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_display_claim_action")
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id}
        return action

    def action_generate_current(self):
        self._rebate_check_caller()
        self.env["channel.batch"]._lock(self._settlement_lock_name(), self.env._("The rebate settlement run"))
        settlements = self._generate_settlements(fields.Date.context_today(self))
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_settlement_action")
        action["domain"] = [("id", "in", settlements.ids)]
        return action

    @api.model
    def _rebate_check_caller(self):
        """Public methods that compute or settle as superuser: the manufacturer's staff only."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only the manufacturer's staff compute and settle rebates."))

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    def _get_period(self, date):
        """(start, end) of the calendar period of this policy containing ``date``, clipped to the policy
        dates; (False, False) when ``date`` is outside the policy."""
        self.ensure_one()
        date = fields.Date.to_date(date)
        if not date or date < self.date_start or date > self.date_end:
            return False, False
        months = PERIOD_MONTHS[self.period]
        first_month = (date.month - 1) // months * months + 1
        start = dt_date(date.year, first_month, 1)
        end = start + relativedelta(months=months, days=-1)
        return max(start, self.date_start), min(end, self.date_end)

    def _get_period_label(self, start):
        self.ensure_one()
        if not start:
            return ""
        if self.period == "month":
            return "%04d-%02d" % (start.year, start.month)
        if self.period == "quarter":
            return "%04d-Q%d" % (start.year, (start.month - 1) // 3 + 1)
        if self.period == "half_year":
            return "%04d-H%d" % (start.year, 1 if start.month <= 6 else 2)
        return "%04d" % start.year

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------
    def _get_partner_domain(self):
        """Commercial partners in the scope of the policy (every dealer when no criterion is set).

        Read as superuser, with the sub-territories resolved to ids: the scope never depends on the
        record rules of the caller, whoever evaluates the domain (see ``channel.scope.mixin``)."""
        return self._channel_scope_domain()

    def _get_product_domain(self):
        """Invoice-line domain of the products in scope (products listed or in the categories), read as
        superuser with the sub-categories resolved to ids."""
        self.ensure_one()
        policy = self.sudo()
        parts = []
        if policy.product_ids:
            parts.append([("product_id", "in", policy.product_ids.ids)])
        if policy.categ_ids:
            categories = self.env["product.category"].sudo().search([("id", "child_of", policy.categ_ids.ids)])
            parts.append([("product_id.categ_id", "in", categories.ids)])
        return expression.OR(parts) if parts else []

    def _partner_in_scope(self, partner):
        """True when the commercial partner of ``partner`` is in the scope of this policy."""
        return self._channel_in_scope(partner)

    @api.model
    def _get_partner_policies(self, partner, states=("active",)):
        """The policies (of the partner's companies) whose scope includes ``partner``."""
        commercial = partner.commercial_partner_id
        policies = self.sudo().search([("state", "in", list(states))])
        return policies.filtered(lambda p: p._partner_in_scope(commercial))

    # ------------------------------------------------------------------
    # Invoice lines and their aggregation
    # ------------------------------------------------------------------
    def _get_rebate_product_ids(self):
        """Products of paid rebates (credit notes, order deductions): never part of a base."""
        self.ensure_one()
        default_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "rebate_policy.product_product_rebate", raise_if_not_found=False
        )
        return sorted({product_id for product_id in (self.product_id.id, default_id) if product_id})

    def _get_invoice_line_domain(self, start, end, partner_domain=None, exclude_rebates=True, with_partners=True):
        """Domain of the customer invoice and credit note lines that make the base of this policy
        (without the condition on their partners when not ``with_partners``: the caller adds it)."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("parent_state", "=", "posted"),
            ("display_type", "=", "product"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
        ]
        if with_partners:
            domain.append(
                ("partner_id", "any", partner_domain if partner_domain is not None else self._get_partner_domain())
            )
        domain = expression.AND([domain, self._get_date_domain(start, end)])
        # Rebates already paid (credit notes, order deductions) never lower the base.
        if exclude_rebates:
            domain.append(("product_id", "not in", self._get_rebate_product_ids()))
        return expression.AND([domain, self._get_product_domain()])

    def _get_date_domain(self, start, end):
        """Invoice-line domain of the period: by invoice date, except (with clawback) credit notes that
        reverse an invoice, which count in the period of that invoice."""
        self.ensure_one()
        own = [("invoice_date", ">=", start), ("invoice_date", "<=", end)]
        if not self.clawback_returns:
            return own
        return expression.OR([
            expression.AND([[("move_id.reversed_entry_id", "=", False)], own]),
            [
                ("move_id.reversed_entry_id", "!=", False),
                ("move_id.reversed_entry_id.invoice_date", ">=", start),
                ("move_id.reversed_entry_id.invoice_date", "<=", end),
            ],
        ])

    def _read_base_query(self, start, end, partner_domain=None):
        """The aggregated query of :meth:`_read_base`: one row (partner_id, amount, qty) per partner.

        The partners of ``partner_domain`` (default: the scope of the policy; archived ones included,
        as by an ``any`` condition) are read first in a ``MATERIALIZED`` CTE: the database takes them
        as one set and joins the lines of the period with their invoices by hash, rather than by one
        index lookup per line, as it does when it takes the scope for a tenth of the lines."""
        self.ensure_one()
        Line = self.env["account.move.line"].sudo()
        query = Line._search(self._get_invoice_line_domain(start, end, exclude_rebates=False, with_partners=False))
        scope = Line.env["res.partner"].with_context(active_test=False)._search(
            partner_domain if partner_domain is not None else self._get_partner_domain(),
        )
        partner = SQL.identifier(Line._table, "partner_id")
        query.add_where(SQL("%s IN (SELECT id FROM rebate_scope)", partner))
        product = SQL.identifier(Line._table, "product_id")
        query.add_where(SQL("(%s IS NULL OR %s NOT IN %s)", product, product, tuple(self._get_rebate_product_ids())))
        move_alias = query.left_join(Line._table, "move_id", "account_move", "id", "move_id")
        move_type = SQL.identifier(move_alias, "move_type")
        query.groupby = partner
        return SQL("WITH rebate_scope AS MATERIALIZED (%s) %s", scope.select(), query.select(
            SQL("%s AS partner_id", partner),
            SQL("-SUM(%s) AS amount", SQL.identifier(Line._table, "balance")),
            SQL(
                "SUM(CASE WHEN %s = 'out_refund' THEN -%s ELSE %s END) AS qty",
                move_type,
                SQL.identifier(Line._table, "quantity"),
                SQL.identifier(Line._table, "quantity"),
            ),
        ))

    def _read_base(self, start, end, partner_domain=None):
        """{partner_id: {'amount': untaxed amount, 'qty': quantity}} of the period, invoices minus credit
        notes, for all partners in scope, read with ONE aggregated query."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(self._read_base_query(start, end, partner_domain))
        return {pid: {"amount": amount or 0.0, "qty": qty or 0.0} for pid, amount, qty in self.env.cr.fetchall()}

    def _read_partner_bases(self, partner, periods):
        """{policy id: {'amount', 'qty'}} of the commercial ``partner`` for each policy of ``self`` over its
        period in ``periods`` ({policy id: (start, end)}), read with ONE query (the aggregate of every
        policy, as :meth:`_read_base` computes it, joined with UNION ALL)."""
        policies = self.filtered(lambda p: p.id in periods)
        if not policies:
            return {}
        self.env.flush_all()
        partner_domain = [("id", "=", partner.commercial_partner_id.id)]
        self.env.cr.execute(SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s AS policy_id, base.amount, base.qty FROM (%s) AS base",
                policy.id,
                policy._read_base_query(*periods[policy.id], partner_domain),
            )
            for policy in policies
        ))
        return {pid: {"amount": amount or 0.0, "qty": qty or 0.0} for pid, amount, qty in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # Rebate computation
    # ------------------------------------------------------------------
    def _rebate_params(self):
        """What the computation of a rebate reads of this policy, as plain values read once for a
        whole run (see ``_compute_rebate``)."""
        self.ensure_one()
        # Of the company, its currency only (not its hundred other columns), as the related field reads it.
        self.company_id.sudo().fetch(["currency_id"])
        if isinstance(self.id, int):
            # The thresholds with their values in one query (the one2many takes two).
            thresholds = self.env["rebate.policy.threshold"].search_fetch(
                [("policy_id", "=", self.id)], ["min_base", "rate"], order="min_base, id",
            )
        else:
            thresholds = self.threshold_ids.sorted("min_base")
        return {
            "currency": self.currency_id,
            "rounding": self.currency_id.rounding,  # what currency.round() rounds to
            "base": self.base,
            "computation": self.computation,
            "rate": self.rate,
            "threshold_mode": self.threshold_mode,
            "cap_amount": self.cap_amount,
            # (min base, rate) of the thresholds, sorted: the reached ones are a prefix.
            "table": [(t.min_base, t.rate) for t in thresholds],
        }

    def _compute_rebate(self, base, amount, params=None):
        """Rebate on a base (amount or quantity) whose untaxed amount is ``amount``.

        Returns a dict: rate (reached, %), gross (rounded, capped), next_threshold, next_rate and missing
        (what the base lacks to reach the next threshold; 0 when none). ``params``: the policy's
        ``_rebate_params()``, when the caller computes many rebates of this policy."""
        self.ensure_one()
        params = params or self._rebate_params()
        result = {"rate": 0.0, "gross": 0.0, "next_threshold": 0.0, "next_rate": 0.0, "missing": 0.0}
        if params["computation"] == "flat":
            result["rate"] = params["rate"]
            gross = amount * params["rate"] / 100.0 if amount > 0 else 0.0
        else:
            table = params["table"]
            count = 0
            for min_base, _rate in table:
                if compare_6(min_base, base) > 0:
                    break
                count += 1
            if count < len(table):
                result["next_threshold"], result["next_rate"] = table[count]
                result["missing"] = table[count][0] - base
            gross = 0.0
            if count and base > 0 and amount > 0:
                result["rate"] = table[count - 1][1]
                if params["threshold_mode"] == "retroactive":
                    gross = amount * table[count - 1][1] / 100.0
                else:
                    bounds = [min_base for min_base, _rate in table[1:]] + [None]
                    weighted = 0.0
                    for (min_base, rate), upper in zip(table, bounds, strict=False):
                        top = base if upper is None else min(base, upper)
                        if top > min_base:
                            weighted += (top - min_base) * rate / 100.0
                    # On a quantity base the bands give an effective rate applied to the amount.
                    gross = weighted if params["base"] == "amount" else amount * weighted / base
        if params["cap_amount"]:
            gross = min(gross, params["cap_amount"])
        result["gross"] = float_round(max(gross, 0.0), precision_rounding=params["rounding"])
        return result

    def _get_clawbacks(self, start, end, partner_domain):
        """{partner_id: [clawback line values]} of the period [start, end]: credit notes dated up to its end
        that reverse invoices of earlier periods whose settlement is confirmed or settled. Each such period
        is recomputed with its returns; what it paid too much, less what the clawbacks of other
        settlements already deducted, is due (``due_amount``) and deducted from the settlement of this
        period as far as its rebate allows (see ``_prepare_settlement_vals``): the rest stays due for the
        next one."""
        self.ensure_one()
        if not self.clawback_returns:
            return {}
        Line = self.env["account.move.line"].sudo()
        domain = expression.AND([
            [
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("move_id.move_type", "=", "out_refund"),
                ("invoice_date", "<=", end),
                ("move_id.reversed_entry_id.invoice_date", ">=", self.date_start),
                ("move_id.reversed_entry_id.invoice_date", "<", start),
                ("partner_id", "any", partner_domain),
                ("product_id", "not in", self._get_rebate_product_ids()),
            ],
            self._get_product_domain(),
        ])
        refunds_by_period = defaultdict(lambda: defaultdict(set))
        for partner, move in Line._read_group(domain, ["partner_id", "move_id"]):
            source_start = self._get_period(move.reversed_entry_id.invoice_date)[0]
            if source_start:
                refunds_by_period[source_start][partner.id].add(move.id)
        if not refunds_by_period:
            return {}
        partner_ids = {pid for partners in refunds_by_period.values() for pid in partners}
        sources = self.env["rebate.settlement"].sudo().search([
            ("policy_id", "=", self.id),
            ("state", "in", ("confirmed", "settled")),
            ("period_start", "in", list(refunds_by_period)),
            ("partner_id", "in", list(partner_ids)),
        ])
        source_by_key = {(s.period_start, s.partner_id.id): s for s in sources}
        # What earlier settlements already took back for the same periods.
        taken = dict(self.env["rebate.settlement.clawback"].sudo()._read_group(
            [("source_settlement_id", "in", sources.ids), ("settlement_id.period_start", "!=", start),
             ("settlement_id.state", "!=", "cancelled")],
            ["source_settlement_id"],
            ["amount:sum"],
        ))
        result = defaultdict(list)
        for source_start, partners in sorted(refunds_by_period.items()):
            source_end = self._get_period(source_start)[1]
            figures = self._read_base(source_start, source_end, [("id", "in", list(partners))])
            for partner_id, refund_ids in partners.items():
                source = source_by_key.get((source_start, partner_id))
                if not source:
                    continue  # not frozen yet: its own refresh counts the return
                partner_figures = figures.get(partner_id, {"amount": 0.0, "qty": 0.0})
                base = partner_figures["qty"] if self.base == "qty" else partner_figures["amount"]
                gross_after = self._compute_rebate(base, partner_figures["amount"])["gross"]
                due = self.currency_id.round(source.gross_amount - gross_after - taken.get(source, 0.0))
                if self.currency_id.compare_amounts(due, 0.0) <= 0:
                    continue
                result[partner_id].append({
                    "source_settlement_id": source.id,
                    "refund_ids": [Command.set(sorted(refund_ids))],
                    "base_before": source.base_amount,
                    "base_after": base,
                    "gross_before": source.gross_amount,
                    "gross_after": gross_after,
                    "due_amount": due,
                })
        return result

    def _get_pending_claims_domain(self, period_start, period_end):
        """Approved claims of the period, and late ones of earlier periods whose settlement is done."""
        self.ensure_one()
        return [
            ("policy_id", "=", self.id),
            ("state", "=", "approved"),
            ("period_start", "<=", period_end),
            "|", ("settlement_id", "=", False), ("settlement_id.state", "in", ("draft", "cancelled")),
            "|", ("period_start", ">=", period_start),
            "|", ("settlement_id", "=", False), ("settlement_id.state", "=", "cancelled"),
        ]

    def _get_pending_claims(self, partner_ids, period_start, period_end):
        """{partner_id: claims} approved for this policy that add to the settlement of the period."""
        self.ensure_one()
        domain = self._get_pending_claims_domain(period_start, period_end)
        if partner_ids is not None:
            domain = expression.AND([domain, [("partner_id", "in", list(partner_ids))]])
        claims = self.env["rebate.display.claim"].sudo().search(domain)
        grouped = defaultdict(lambda: self.env["rebate.display.claim"])
        for claim in claims:
            grouped[claim.partner_id.id] |= claim
        return grouped

    def _get_pending_penalties(self, partners):
        """{partner_id: penalties not deducted yet} (0 when penalties are not deducted by this policy)."""
        self.ensure_one()
        if not self.deduct_penalties:
            return {}
        residual = defaultdict(float)
        for violation in partners.sudo()._channel_get_undeducted_violations():
            residual[violation.partner_id.commercial_partner_id.id] += violation.penalty_residual
        return residual

    def _prepare_settlement_vals(self, partner_id, start, end, figures, claims, penalty, clawbacks=(), params=None):
        """Values of the settlement of one partner for one period (``params``: see ``_compute_rebate``)."""
        self.ensure_one()
        params = params or self._rebate_params()
        currency = params["currency"]
        base = figures["qty"] if params["base"] == "qty" else figures["amount"]
        rebate = self._compute_rebate(base, figures["amount"], params=params)
        addition = currency.round(sum(claims.mapped("amount"))) if claims else 0.0
        # Clawbacks take what the rebate allows, in the order of their periods; the rest stays due.
        available = max(rebate["gross"] + addition, 0.0)
        clawback_lines = []
        for line in clawbacks:
            applied = currency.round(min(line["due_amount"], available))
            available -= applied
            clawback_lines.append(dict(line, amount=applied))
        clawback = currency.round(sum(line["amount"] for line in clawback_lines)) if clawback_lines else 0.0
        available = max(available, 0.0)
        deduction = currency.round(min(penalty, available)) if penalty else 0.0
        return {
            "policy_id": self.id,
            "partner_id": partner_id,
            "period_start": start,
            "period_end": end,
            "base_amount": base,
            "amount_untaxed": figures["amount"],
            "rate": rebate["rate"],
            "gross_amount": rebate["gross"],
            "addition_amount": addition,
            "deduction_amount": deduction,
            "next_threshold": rebate["next_threshold"],
            "next_rate": rebate["next_rate"],
            "missing_base": rebate["missing"],
            "claim_ids": [fields.Command.set(claims.ids)],
            "clawback_amount": clawback,
            "clawback_line_ids": [Command.clear()] + [Command.create(line) for line in clawback_lines],
            "date_computed": fields.Datetime.now(),
        }

    def _generate_settlements(self, date, partners=None):
        """Compute the period containing ``date`` for every partner in scope of each policy.

        One aggregated query reads the invoice lines of each policy. Draft settlements are refreshed,
        confirmed, settled and cancelled ones are left alone. Returns the settlements of the period
        (draft and others) of the partners having a base or display rewards. ``partners`` limits the
        refresh to some partners (the whole scope when None)."""
        result = self.env["rebate.settlement"].sudo()
        for policy in self:
            if policy.state == "draft":
                continue
            start, end = policy._get_period(date)
            if not start:
                continue
            result |= policy._generate_period_settlements(start, end, partners=partners)
        result.invalidate_recordset(["invoice_line_ids", "invoice_line_count"])
        return result.with_env(self.env)

    def _get_settlement_figures(self, start, end, partners=None):
        """What the settlements of this policy for the period ``start`` - ``end`` are made of, without
        writing anything: ``{"figures": {partner id: {"amount", "qty"}}, "claims": {partner id:
        display claims}, "clawbacks": {partner id: [clawback line values]}, "penalties": {partner id:
        amount}}``. Partners with display rewards or clawbacks but no purchase have zero figures."""
        self.ensure_one()
        partner_ids = None if partners is None else partners.commercial_partner_id.ids
        partner_domain = self._get_partner_domain()
        if partner_ids is not None:
            partner_domain = expression.AND([partner_domain, [("id", "in", partner_ids)]])
        figures = self._read_base(start, end, partner_domain)
        claims = self._get_pending_claims(partner_ids, start, end) if self.display_reward else {}
        clawbacks = self._get_clawbacks(start, end, partner_domain)
        for partner_id in (set(claims) | set(clawbacks)) - set(figures):
            figures[partner_id] = {"amount": 0.0, "qty": 0.0}
        penalties = self._get_pending_penalties(self.env["res.partner"].browse(list(figures)))
        return {"figures": figures, "claims": claims, "clawbacks": clawbacks, "penalties": penalties}

    def _generate_period_settlements(self, start, end, partners=None):
        """Create or refresh the settlements of this policy for one period (see ``_generate_settlements``).

        :return: the settlements of the period of these partners (created and existing ones)"""
        self.ensure_one()
        # Computed figures, not user edits: no chatter message per dealer and refresh.
        Settlement = self.env["rebate.settlement"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
        )
        data = self._get_settlement_figures(start, end, partners=partners)
        existing_domain = [("policy_id", "=", self.id), ("period_start", "=", start)]
        if partners is not None:
            existing_domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        no_claims = self.env["rebate.display.claim"]
        params = self._rebate_params()
        vals_by_partner = {
            partner_id: self._prepare_settlement_vals(
                partner_id, start, end, partner_figures,
                data["claims"].get(partner_id, no_claims), data["penalties"].get(partner_id, 0.0),
                clawbacks=data["clawbacks"].get(partner_id, ()), params=params,
            )
            for partner_id, partner_figures in data["figures"].items()
        }
        # The drafts are compared with plain rows read in one query, not through the ORM records.
        fnames = set().union(*vals_by_partner.values())
        existing, current = Settlement._rebate_search_current_values(
            existing_domain, sorted(fnames - {"date_computed", "policy_id", "partner_id"}),
        )
        by_partner = {row["partner_id"]: (settlement_id, row) for settlement_id, row in current.items()}
        to_create, to_write, write_vals = [], [], []
        for partner_id, vals in vals_by_partner.items():
            if partner_id not in by_partner:
                to_create.append(self._rebate_create_vals(vals))
                continue
            settlement_id, row = by_partner[partner_id]
            if row["state"] != "draft":
                continue
            changed = Settlement._rebate_diff(row, vals)
            if changed is None:
                # Display claims or clawback lines: compared and written through the ORM.
                settlement = Settlement.browse(settlement_id)
                changed = settlement._rebate_changed_vals(vals)
                if changed:
                    settlement.write(changed)
            elif changed:
                to_write.append(settlement_id)
                write_vals.append(changed)
        # Scalar values only: one UPDATE per set of fields, a row completed with its current values of
        # the fields that changed on other rows only (rewritten as they are).
        written = set().union(*write_vals)
        write_vals = [
            {fname: current[settlement_id][fname] for fname in written - set(changed)} | changed
            if written - set(changed) <= set(current[settlement_id]) else changed
            for settlement_id, changed in zip(to_write, write_vals, strict=True)
        ]
        Settlement.browse(to_write)._rebate_write_batch(self, write_vals)
        Settlement.browse([
            settlement_id for partner_id, (settlement_id, row) in by_partner.items()
            if row["state"] == "draft" and partner_id not in vals_by_partner
        ])._reset_settlement_figures()
        # What the drafts compute from their new figures (net amount…) is computed now, where the run
        # was called, as the batch write computes it: tracked as that environment tracks, whichever
        # environment flushes next.
        existing.with_env(self.env)._recompute_recordset()
        created = Settlement._rebate_create_batch(to_create) if to_create else Settlement
        return existing | created

    @api.model
    def _rebate_create_vals(self, vals):
        """Values of a new settlement: empty display claims and clawback lines are left out (a new
        settlement has none, and their commands cost queries per record)."""
        vals = dict(vals)
        if not vals.get("claim_ids", [(6, 0, [])])[0][2]:
            vals.pop("claim_ids", None)
        if not [command for command in vals.get("clawback_line_ids", ()) if command[0] != Command.CLEAR]:
            vals.pop("clawback_line_ids", None)
        return vals

    @api.model
    def _cron_generate_settlements(self):
        """Refresh the draft settlements of the current period of every active policy (accrual)."""
        self = self.with_context(**self.env["channel.batch"]._cron_context())
        policies = self.search([("state", "=", "active")], order="id")
        today = fields.Date.context_today(self)
        # One policy per batch (one aggregated query each), committed in the cron. A run killed in the
        # middle is completed by the next one: drafts are refreshed, never created twice (one settlement
        # per policy, dealer and period); a run started meanwhile stops with an "already running" error.
        self.env["channel.batch"]._run_batches(
            policies,
            lambda batch: batch._generate_settlements(today),
            batch_size=1,
            lock=self._settlement_lock_name(),
            label=self.env._("The rebate settlement run"),
        )
        return True

    @api.model
    def _settlement_lock_name(self):
        """The advisory lock held while settlements are generated (the cron and the button)."""
        return "rebate_policy.generate_settlements"

    # ------------------------------------------------------------------
    # Progress (portal)
    # ------------------------------------------------------------------
    def _get_partner_progress(self, partner, date=None):
        """Progress of one partner in the current period of this policy (for the portal)."""
        self.ensure_one()
        progress = self._get_partner_progress_list(partner, date)
        return progress[0] if progress else False

    def _get_partner_progress_list(self, partner, date=None):
        """Progress of one partner in the current period of each policy of ``self`` that has one on
        ``date`` (today by default), in the order of ``self``: the figures of /my/channel/rebates and
        of its cockpit card, the bases read with one query for all the policies."""
        date = date or fields.Date.context_today(self)
        periods = {}
        for policy in self:
            start, end = policy._get_period(date)
            if start:
                periods[policy.id] = (start, end)
        bases = self._read_partner_bases(partner, periods)
        return [
            policy._prepare_partner_progress(*periods[policy.id], bases.get(policy.id, {"amount": 0.0, "qty": 0.0}))
            for policy in self
            if policy.id in periods
        ]

    def _prepare_partner_progress(self, start, end, figures):
        """The progress dict of a period [start, end] whose base figures are ``figures``."""
        self.ensure_one()
        base = figures["qty"] if self.base == "qty" else figures["amount"]
        rebate = self._compute_rebate(base, figures["amount"])
        estimated_next = 0.0
        if rebate["next_threshold"]:
            # What the rebate becomes once the next threshold is reached at today's average price.
            next_amount = (
                rebate["next_threshold"] if self.base == "amount"
                else (figures["amount"] / base * rebate["next_threshold"] if base > 0 else 0.0)
            )
            estimated_next = self._compute_rebate(rebate["next_threshold"], next_amount)["gross"]
        return {
            "policy": self,
            "period_start": start,
            "period_end": end,
            "period_label": self._get_period_label(start),
            "base": base,
            "amount": figures["amount"],
            "rate": rebate["rate"],
            "estimated": rebate["gross"],
            "next_threshold": rebate["next_threshold"],
            "next_rate": rebate["next_rate"],
            "missing": rebate["missing"],
            "estimated_next": estimated_next,
            "progress": min(100.0, base / rebate["next_threshold"] * 100.0) if rebate["next_threshold"] else 100.0,
        }
