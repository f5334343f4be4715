import ast
from datetime import datetime, time, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round, format_date, get_lang

from odoo.addons.base.models.res_lang import intersperse

ALERT_TYPES = [
    ("decline", "Purchases Falling"),
    ("dormant", "Dormant Dealer"),
    ("first_order_only", "Only a First Order"),
    ("care_overdue", "Call / Visit Overdue"),
]
ALERT_STATES = [
    ("open", "Open"),
    ("acknowledged", "Acknowledged"),
    ("resolved", "Resolved"),
]
# The create() override that the scan's context reduces to the ORM's (tracking_disable).
THREAD_CREATE = "odoo.addons.mail.models.mail_thread"
# Figures refreshed on an alert that stays open.
FIGURE_FIELDS = (
    "message",
    "value",
    "reference_value",
    "order_count",
    "last_order_date",
    "last_call_date",
    "last_visit_date",
)


class ChannelAlert(models.Model):
    _name = "channel.alert"
    _description = "Dealer Early-warning Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_names_search = ["partner_id.name", "message"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=[("channel_role", "=", "dealer")],
    )
    alert_type = fields.Selection(ALERT_TYPES, string="Alert Type", required=True, index=True, tracking=True)
    state = fields.Selection(
        ALERT_STATES, string="Status", required=True, default="open", index=True, tracking=True, copy=False
    )
    date = fields.Date(string="Opened On", required=True, default=fields.Date.context_today, index=True)
    date_resolved = fields.Date(string="Resolved On", readonly=True, copy=False)
    auto_resolved = fields.Boolean(
        string="Resolved by the Scan",
        readonly=True,
        copy=False,
        help="The daily scan found that the condition had cleared.",
    )
    message = fields.Text(required=True)
    value = fields.Float(
        string="Figure",
        help="The figure behind the alert: last month's amount (decline), days without "
        "order (dormant, first order only), days since the last call (care).",
    )
    reference_value = fields.Float(
        string="Reference",
        help="What the figure is compared with: the average of the three months before "
        "(decline) or the allowed number of days.",
    )
    order_count = fields.Integer(string="Confirmed Orders")
    last_order_date = fields.Date(string="Last Order")
    last_call_date = fields.Date(string="Last Call")
    last_visit_date = fields.Date(string="Last Visit")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    territory_id = fields.Many2one(
        related="partner_id.channel_territory_id", string="Territory", store=True, index=True
    )
    tier_id = fields.Many2one(related="partner_id.channel_tier_id", string="Tier", store=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson", store=True, index=True)
    route_id = fields.Many2one(related="partner_id.channel_route_id", string="Delivery Route", store=True)

    def init(self):
        res = super().init()
        # At most one unresolved alert per dealer and type.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS channel_alert_unresolved_uniq
                ON channel_alert (partner_id, alert_type) WHERE state != 'resolved'
            """
        )
        return res

    @api.depends("partner_id", "alert_type")
    def _compute_display_name(self):
        type_names = dict(self._fields["alert_type"]._description_selection(self.env))
        for alert in self:
            alert.display_name = "%s: %s" % (type_names.get(alert.alert_type, ""), alert.partner_id.display_name or "")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_acknowledge(self):
        if any(alert.state != "open" for alert in self):
            raise UserError(self.env._("Only open alerts can be acknowledged."))
        self.write({"state": "acknowledged"})
        return True

    def action_resolve(self):
        if any(alert.state == "resolved" for alert in self):
            raise UserError(self.env._("This alert is already resolved."))
        self.write({"state": "resolved", "date_resolved": fields.Date.context_today(self), "auto_resolved": False})
        return True

    def action_view_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Scan
    # ------------------------------------------------------------------
    @api.model
    def _scan_dealers_domain(self):
        return [("channel_role", "=", "dealer"), *self.env["res.partner"]._channel_entity_domain()]

    @api.model
    def _scan(self, batch_size=1000):
        """Open, refresh and resolve the alerts of every dealer.

        Dealers are read in batches; each batch costs a fixed number of queries whatever its size. In the
        cron every batch is committed; a second scan started meanwhile stops with an error, and a scan
        killed in the middle is completed by the next one (one unresolved alert per dealer and type).
        :return: the alerts opened by this run
        """
        # With the two columns the scan filters on (a partner row is wide: reading it all costs more
        # than the scan's aggregates).
        dealers = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch(self._scan_dealers_domain(), ["active", "channel_state"], order="id")
        )
        created = self.env["channel.batch"]._run_batches(
            dealers,
            self._scan_batch,
            batch_size=batch_size,
            lock="channel_orders.alert_scan",
            label=self.env._("The dealer alert scan"),
        )
        return created if created is not None else self.browse()

    @api.model
    def _scan_batch(self, dealers):
        """Scan one batch of dealers: the alerts opened."""
        return self._scan_apply(dealers, self._scan_conditions(dealers))

    @api.model
    def _scan_today(self):
        return fields.Date.context_today(self)

    @api.model
    def _scan_conditions(self, dealers):
        """The alerts due for these dealers: {(partner id, alert type): figures}."""
        company = self.env.company
        today = self._scan_today()
        stats = self._scan_order_stats(dealers, today)
        # Only the two columns the filter reads (a partner row is wide: reading it all costs more than
        # the scan's aggregates); already there when the dealers come from _scan.
        dealers.fetch(["active", "channel_state"])
        # The two columns read from the cache at once (a record access per dealer costs more).
        active = dealers.browse(
            dealer_id
            for dealer_id, is_active, state in zip(
                dealers.ids, dealers.mapped("active"), dealers.mapped("channel_state"), strict=True
            )
            if is_active and state == "active"
        )
        conditions = {}
        for method in (self._scan_decline, self._scan_dormant, self._scan_first_order_only, self._scan_care_overdue):
            conditions.update(method(active, stats, company, today))
        return conditions

    @api.model
    def _scan_order_stats(self, dealers, today=None):
        """Confirmed orders per dealer: count, first and last date (the dates of the first and last
        ``date_order``), and under ``months`` the {month start: (amount untaxed, count)} of the four
        complete months before ``today``'s (what :meth:`_scan_decline` compares), read in one pass over
        the orders (one query)."""
        if not dealers:
            return {}
        current = self._month_start(today or self._scan_today())
        bounds = [datetime.combine(current - relativedelta(months=n), time.min) for n in range(4, -1, -1)]
        SaleOrder = self.env["sale.order"].sudo()
        SaleOrder.flush_model(["state", "channel_dealer_id", "date_order", "amount_untaxed"])
        query = SaleOrder._search([("state", "=", "sale"), ("channel_dealer_id", "in", dealers.ids)])
        table = query.table
        amount = SQL.identifier(table, "amount_untaxed")
        date_order = SQL.identifier(table, "date_order")
        monthly = [
            SQL(
                # As floats from the database: thousands of sums, each converted from a decimal otherwise.
                "(SUM(%(amount)s) FILTER (WHERE %(in_month)s))::float8, COUNT(*) FILTER (WHERE %(in_month)s)",
                amount=amount,
                in_month=SQL("%s >= %s AND %s < %s", date_order, start, date_order, end),
            )
            for start, end in pairwise(bounds)
        ]
        query.groupby = SQL.identifier(table, "channel_dealer_id")
        self.env.cr.execute(
            query.select(
                SQL.identifier(table, "channel_dealer_id"),
                SQL("COUNT(*), MIN(%s)::date, MAX(%s)::date", date_order, date_order),
                *monthly,
            )
        )
        stats = {}
        month_starts = [start.date() for start in bounds[:-1]]
        for dealer_id, count, first, last, *figures in self.env.cr.fetchall():
            months = {
                month: (month_amount or 0.0, month_count)
                for month, month_amount, month_count in zip(month_starts, figures[::2], figures[1::2], strict=True)
                if month_count
            }
            stats[dealer_id] = {"count": count, "first": first, "last": last, "months": months}
        return stats

    @api.model
    def _month_start(self, day, months_back=0):
        return day.replace(day=1) - relativedelta(months=months_back)

    @api.model
    def _scan_decline(self, dealers, stats, company, today):
        """Last complete month's confirmed amount below (1 - pct) × the average of the 3 months before,
        for dealers with orders in each of those three months (one query)."""
        current = self._month_start(today)
        last_month = current - relativedelta(months=1)
        base_months = [current - relativedelta(months=n) for n in (4, 3, 2)]
        if all("months" in figures for figures in stats.values()):
            # The monthly amounts came with the order statistics (_scan_order_stats).
            amounts = {dealer_id: figures["months"] for dealer_id, figures in stats.items()}
        else:
            amounts = self._scan_monthly_amounts(dealers, base_months[0], current)
        factor = 1 - (company.channel_decline_pct or 0.0) / 100.0
        currency = company.currency_id
        rounding = currency.rounding
        first_month, second_month, third_month = base_months
        no_month = (0.0, 0)
        result = {}
        # Over ids and plain dicts, the three base months looked up by name: thousands of dealers, a
        # record access or a generator per figure would cost more than the query.
        for dealer_id in dealers.ids:
            months = amounts.get(dealer_id)
            if not months:
                continue
            first = months.get(first_month, no_month)
            second = months.get(second_month, no_month)
            third = months.get(third_month, no_month)
            if not (first[1] and second[1] and third[1]):
                continue
            average = (first[0] + second[0] + third[0]) / 3
            last_amount = months.get(last_month, no_month)[0]
            difference = last_amount - factor * average
            # float_compare only where rounding can decide.
            if difference >= rounding or (
                difference > -rounding
                and float_compare(last_amount, factor * average, precision_rounding=rounding) >= 0
            ):
                continue
            drop = (1 - last_amount / average) * 100 if average else 0.0
            # What currency.round gives, without a record access per amount.
            value = float_round(last_amount, precision_rounding=rounding)
            reference = float_round(average, precision_rounding=rounding)
            result[dealer_id, "decline"] = {
                "message": self.env._(
                    "Confirmed orders of %(month)s: %(amount)s, %(drop)s %% below the average of the three "
                    "months before (%(average)s).",
                    month=self._scan_format_date(last_month, date_format="MMMM y"),
                    amount=self._scan_format_amount(value, currency, rounded=True),
                    drop=round(drop),
                    average=self._scan_format_amount(reference, currency, rounded=True),
                ),
                "value": value,
                "reference_value": reference,
                "order_count": stats.get(dealer_id, {}).get("count", 0),
                "last_order_date": self._stat_date(stats, dealer_id, "last"),
            }
        return result

    @api.model
    def _scan_monthly_amounts(self, dealers, start, end):
        """{dealer id: {month start: (confirmed amount untaxed, order count)}} from ``start`` to ``end``
        (one query; for statistics that were read without them)."""
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "sale"),
                    ("channel_dealer_id", "in", dealers.ids),
                    ("date_order", ">=", datetime.combine(start, time.min)),
                    ("date_order", "<", datetime.combine(end, time.min)),
                ],
                ["channel_dealer_id", "date_order:month"],
                ["amount_untaxed:sum", "__count"],
            )
        )
        amounts = {}
        for dealer, month, amount, count in groups:
            month = fields.Date.to_date(month) if not isinstance(month, datetime) else month.date()
            amounts.setdefault(dealer.id, {})[month] = (amount or 0.0, count)
        return amounts

    @api.model
    def _scan_format_date(self, value, date_format=False):
        """``format_date`` in the user's language, memoised for the transaction: a scan formats the
        same few dates for hundreds of dealers, and each call looks the language up again."""
        memo = self.env.cr.cache.setdefault("channel_alert_dates", {})
        key = (self.env.lang, value, date_format)
        if key not in memo:
            memo[key] = format_date(self.env, value, date_format=date_format)
        return memo[key]

    @api.model
    def _scan_format_amount(self, amount, currency, rounded=False):
        """What ``format_amount`` gives, with the language's separators and the currency's symbol read
        once for the transaction: a scan formats two amounts per declining dealer, and each
        ``format_amount`` looks the language and its grouping up again. ``rounded``: ``amount`` is
        already rounded to the currency."""
        memo = self.env.cr.cache.setdefault("channel_alert_amount_formats", {})
        key = (self.env.lang, currency.id)
        if key not in memo:
            lang = get_lang(self.env)
            symbol = currency.symbol or ""
            memo[key] = (
                "%%.%sf" % currency.decimal_places,
                ast.literal_eval(lang.grouping),
                lang.thousands_sep or "",
                lang.decimal_point,
                f"{symbol}\N{NO-BREAK SPACE}" if currency.position == "before" else "",
                "" if currency.position == "before" else f"\N{NO-BREAK SPACE}{symbol}",
                currency.rounding,
                # Groups of three digits (most languages): Python's own grouping, then the separators.
                "{:,.%sf}" % currency.decimal_places,
                {ord(","): lang.thousands_sep or "", ord("."): lang.decimal_point},
            )
        fmt, grouping, thousands_sep, decimal_point, pre, post, rounding, grouped_fmt, separators = memo[key]
        if not rounded:
            # What currency.round gives, without a record access.
            amount = float_round(amount, precision_rounding=rounding)
        if grouping == [3, 0]:
            formatted = grouped_fmt.format(amount).translate(separators)
        else:
            parts = (fmt % amount).split(".")
            parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
            formatted = decimal_point.join(parts)
        formatted = formatted.replace(" ", "\N{NO-BREAK SPACE}").replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        return f"{pre}{formatted}{post}"

    @api.model
    def _stat_date(self, stats, dealer, key):
        """The date ``key`` of ``stats`` for ``dealer`` (a record or an id), False when none."""
        value = stats.get(dealer if isinstance(dealer, int) else dealer.id, {}).get(key)
        return value.date() if isinstance(value, datetime) else value or False

    @api.model
    def _scan_dormant(self, dealers, stats, company, today):
        days = company.channel_dormant_days
        limit = today - timedelta(days=days)
        result = {}
        # Dealers whose last order is of the same day share their message: built once per date.
        messages = {}
        for dealer_id in dealers.ids:
            last = self._stat_date(stats, dealer_id, "last")
            if not last or last >= limit:
                continue
            message = messages.get(last)
            if message is None:
                message = messages[last] = self.env._(
                    "No confirmed order since %(date)s (more than %(days)s days).",
                    date=self._scan_format_date(last),
                    days=days,
                )
            result[dealer_id, "dormant"] = {
                "message": message,
                "value": (today - last).days,
                "reference_value": days,
                "order_count": stats[dealer_id]["count"],
                "last_order_date": last,
            }
        return result

    @api.model
    def _scan_first_order_only(self, dealers, stats, company, today):
        days = company.channel_first_order_days
        limit = today - timedelta(days=days)
        result = {}
        # Built once per date of the only order.
        messages = {}
        for dealer_id in dealers.ids:
            if stats.get(dealer_id, {}).get("count") != 1:
                continue
            first = self._stat_date(stats, dealer_id, "first")
            if first >= limit:
                continue
            message = messages.get(first)
            if message is None:
                message = messages[first] = self.env._(
                    "Only one confirmed order, on %(date)s, and no reorder in %(days)s days.",
                    date=self._scan_format_date(first),
                    days=days,
                )
            result[dealer_id, "first_order_only"] = {
                "message": message,
                "value": (today - first).days,
                "reference_value": days,
                "order_count": 1,
                "last_order_date": first,
            }
        return result

    @api.model
    def _scan_care_overdue(self, dealers, stats, company, today):
        """channel_base's rule: a call at least monthly, a visit at least every two months (one query).

        While channel_base schedules its care activities, they own the lapse: no alert is raised."""
        Partner = self.env["res.partner"]
        if Partner._channel_care_activities_enabled():
            return {}
        # Only the dates the message reads, as plain rows (a partner row is wide, and hundreds of
        # records cost more than the query).
        query = Partner._search([("id", "in", dealers.ids)] + Partner._care_overdue_domain())
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(query.table, "id"),
                Partner._field_to_sql(query.table, "last_call_date", query),
                Partner._field_to_sql(query.table, "last_visit_date", query),
            )
        )
        never = self.env._("never")
        result = {}
        # Built once per pair of dates (dealers called and visited on the same days share it).
        messages = {}
        for dealer_id, last_call, last_visit in rows:
            message = messages.get((last_call, last_visit))
            if message is None:
                message = messages[last_call, last_visit] = self.env._(
                    "Calls and visits are overdue: last call %(call)s, last visit %(visit)s.",
                    call=self._scan_format_date(last_call) if last_call else never,
                    visit=self._scan_format_date(last_visit) if last_visit else never,
                )
            result[dealer_id, "care_overdue"] = {
                "message": message,
                "value": (today - last_call).days if last_call else 0,
                "reference_value": 0,
                "order_count": stats.get(dealer_id, {}).get("count", 0),
                "last_order_date": self._stat_date(stats, dealer_id, "last"),
                "last_call_date": last_call or False,
                "last_visit_date": last_visit or False,
            }
        return result

    @api.model
    def _scan_apply(self, dealers, conditions):
        """Create the missing alerts, refresh the figures of unresolved ones, resolve cleared ones."""
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        # The unresolved alerts as plain rows (read for hundreds of dealers every day).
        query = quiet._search([("partner_id", "in", dealers.ids), ("state", "!=", "resolved")])
        rows = self.env.execute_query(
            query.select(*(quiet._field_to_sql(query.table, fname, query) for fname in (
                "id", "partner_id", "alert_type", "message"
            )))
        )
        by_key = {(partner_id, alert_type): (alert_id, message) for alert_id, partner_id, alert_type, message in rows}
        cleared = quiet.browse(alert_id for key, (alert_id, _message) in by_key.items() if key not in conditions)
        if cleared:
            cleared.write({"state": "resolved", "date_resolved": self._scan_today(), "auto_resolved": True})
        today = self._scan_today()
        to_create = []
        for (partner_id, alert_type), figures in conditions.items():
            found = by_key.get((partner_id, alert_type))
            if found:
                # The message carries the figures that matter: rewrite them only when it changes.
                alert_id, message = found
                if message != figures["message"]:
                    quiet.browse(alert_id).write(
                        {key: value for key, value in figures.items() if key in FIGURE_FIELDS}
                    )
                continue
            to_create.append((partner_id, alert_type, figures))
        new_dealers = dealers.browse(sorted({partner_id for partner_id, _type, _figures in to_create}))
        dealer_values = self._scan_dealer_values(new_dealers)
        vals_list = [
            dict(figures, **dealer_values[partner_id], partner_id=partner_id, alert_type=alert_type, date=today)
            for partner_id, alert_type, figures in to_create
        ]
        # create() in this context (tracking_disable) is the ORM's plus mail.thread's discarding of
        # tracking: inserted in one query per 1,000 alerts.
        created = self.env["channel.batch"]._insert_records(quiet, vals_list, create_overrides=(THREAD_CREATE,))
        created._track_discard()
        if created:
            created._schedule_alert_activities()
        return created.with_env(self.env)

    @api.model
    def _scan_dealer_values(self, dealers):
        """{dealer id: the stored related fields of a new alert}, read once for the batch (passed to the
        create, they are not recomputed alert by alert after it)."""
        dealers = dealers.sudo()
        # Only these columns (a partner row is wide).
        dealers.fetch(["channel_territory_id", "channel_tier_id", "user_id", "channel_route_id"])
        return {
            dealer.id: {
                "territory_id": dealer.channel_territory_id.id,
                "tier_id": dealer.channel_tier_id.id,
                "user_id": dealer.user_id.id,
                "route_id": dealer.channel_route_id.id,
            }
            for dealer in dealers
        }

    def _alert_responsible(self):
        """Who follows up the alert: the shared rule of who follows up its dealer."""
        self.ensure_one()
        return self.partner_id._channel_responsible_user()

    def _schedule_alert_activities(self):
        """One to-do per alert for whoever follows up its dealer, due on the alert's date."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        type_names = dict(self._fields["alert_type"]._description_selection(self.env))
        # Who follows up each dealer, read once for all (what _alert_responsible gives alert by alert).
        responsible = self.partner_id._channel_responsible_users()

        def prepare(alert):
            return {
                "activity_type_id": todo.id,
                "summary": self.env._(
                    "%(type)s: %(dealer)s", type=type_names[alert.alert_type], dealer=alert.partner_id.name
                ),
                "note": alert.message,
                "date_deadline": alert.date,
                "user_id": responsible[alert.partner_id.id].id,
            }

        return self.env["mail.activity"]._channel_schedule(self, prepare)

    @api.model
    def _cron_scan(self):
        """The daily scan: its batches are committed one by one."""
        return self.with_context(**self.env["channel.batch"]._cron_context())._scan()

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _demo_load_alert_history(self, decliner_id, sleeper_id, product_id):
        """Order history for the demo: a dealer whose purchases fall (decline) and a dormant one; then
        the scan opens their alerts."""
        decliner, sleeper = self.env["res.partner"].browse([decliner_id, sleeper_id])
        product = self.env["product.product"].browse(product_id)
        SaleOrder = self.env["sale.order"]

        def order(partner, quantity, when):
            sale = SaleOrder.create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
                }
            )
            sale.action_confirm()
            sale.date_order = when
            return sale

        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        for months, quantity in ((4, 400), (3, 420), (2, 380), (1, 60)):
            when = month - relativedelta(months=months) + timedelta(days=9)
            order(decliner, quantity, datetime.combine(when, time(9, 0)))
        for days in (110, 70):
            order(sleeper, 48, datetime.combine(today - timedelta(days=days), time(9, 0)))
        self._scan()
        return True
