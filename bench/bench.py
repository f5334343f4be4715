"""Channel-scale benchmark: generate the data, measure each figure against its floor, write results.json.

Run through ``bench/run`` (it installs the suite into a fresh database first). Every pair of a figure
is measured in this process, warm (one run before), in turn (ours, then its floors, round after round),
median of 3 rounds (7 for figures under half a second), each run in a savepoint rolled back after it so
that every run sees the same data.
"""

import argparse
import json
import logging
import os
import signal
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate  # noqa: E402
import http_bench  # noqa: E402

import odoo  # noqa: E402
from odoo import Command  # noqa: E402
from odoo.tools import SQL, config  # noqa: E402

_logger = logging.getLogger("bench")

# Targets: (figure, compared with, maximum ratio) or absolute limits in seconds.
TARGETS = {
    "rebate_base_read": ("groupby", 1.5),
    "rebate_first_run": ("write_floor", 3.0),
    "rebate_refresh": ("write_floor", 2.0),
    "suggest_history": ("sql", 3.0),
    "alert_scan": ("write_floor", 3.0),
    "alert_scan_daily": ("sql", 3.0),
    "catalog_pricing": ("native", 1.2),
    "sellout_analysis": ("sql", 1.5),
    "dealer_stock": ("sql", 1.5),
}


# Figures whose runs all take less than this are measured over SHORT_REPEAT rounds instead of 3.
SHORT_FIGURE_S = 0.5
SHORT_REPEAT = 7


class Bench:
    def __init__(self, env, info, repeat=3):
        self.env = env
        self.cr = env.cr
        self.info = info
        self.repeat = repeat
        self.results = []

    # ------------------------------------------------------------------
    # Measuring
    # ------------------------------------------------------------------
    @contextmanager
    def _rolled_back(self):
        self.env.flush_all()
        self.cr.execute("SAVEPOINT bench")
        try:
            yield
        finally:
            self.env.invalidate_all()
            self.env.transaction.clear()
            self.cr.execute("ROLLBACK TO SAVEPOINT bench")
            self.cr.execute("RELEASE SAVEPOINT bench")
            self.env.invalidate_all()
            self.env.registry.clear_cache()

    def _run_once(self, func, setup=None):
        """Seconds and queries of one run of ``func``, rolled back."""
        with self._rolled_back():
            if setup:
                setup()
                self.env.flush_all()
            count = self.cr.sql_log_count
            started = time.perf_counter()
            func()
            self.env.flush_all()
            return time.perf_counter() - started, self.cr.sql_log_count - count

    def _time(self, func, setup=None, repeat=None):
        """Median seconds and queries of ``func`` (warm: one run first), each run rolled back."""
        medians = self._time_interleaved({"func": func}, setup, repeat)
        return medians["func"]

    def _time_interleaved(self, funcs, setup=None, repeat=None):
        """{label: (median seconds, median queries)} of each callable of ``funcs``, measured in turn
        (one run of each, then the next round) so that a change of the machine's load falls on all of
        them alike; warm (one round first); ``repeat`` rounds, 7 when every median stays under half a
        second (short figures are the noisiest)."""
        repeat = repeat or self.repeat
        samples = {label: ([], []) for label in funcs}
        for round_ in range(max(repeat, SHORT_REPEAT) + 1):
            if round_ > repeat and any(statistics.median(times) >= SHORT_FIGURE_S for times, _q in samples.values()):
                break
            for label, func in funcs.items():
                seconds, queries = self._run_once(func, setup)
                if round_:
                    samples[label][0].append(seconds)
                    samples[label][1].append(queries)
        return {label: (statistics.median(times), int(statistics.median(queries)))
                for label, (times, queries) in samples.items()}

    def pair(self, name, ours, baselines, setup=None, repeat=None, note=""):
        """Measure ``ours`` and each baseline {label: callable} in turn; record one figure per baseline."""
        funcs = {"ours": ours, **{label: b for label, b in baselines.items() if callable(b)}}
        medians = self._time_interleaved(funcs, setup, repeat)
        ours_s, ours_q = medians["ours"]
        for label, baseline in baselines.items():
            base_s = float(baseline) if isinstance(baseline, (int, float)) else medians[label][0]
            self.record(f"{name} vs {label}", ours_s, base_s, ours_q, name=name, baseline=label, note=note)
        return ours_s

    def record(self, label, ours_s, base_s, queries, name=None, baseline=None, note="", target=None):
        ratio = ours_s / base_s if base_s else None
        if target is None and name in TARGETS and TARGETS[name][0] == baseline:
            target = TARGETS[name][1]
        figure = {
            "name": label, "ours_s": round(ours_s, 4), "baseline_s": round(base_s, 4) if base_s is not None else None,
            "ratio": round(ratio, 2) if ratio is not None else None, "queries": queries, "note": note,
            "target_ratio": target, "met": None if target is None or ratio is None else ratio <= target,
        }
        self.results.append(figure)
        base = f"{base_s:.3f} s" if base_s is not None else "-"
        ratio_txt = f"{ratio:.2f}" if ratio is not None else "-"
        flag = "" if figure["met"] is None else (" [ok]" if figure["met"] else f" [MISSES ≤ {target}×]")
        print(f"{label}: ours {ours_s:.3f} s, baseline {base}, ratio {ratio_txt}, queries {queries}{flag}"
              + (f"  ({note})" if note else ""), flush=True)

    def record_absolute(self, label, seconds, queries, limit=None, note=""):
        figure = {"name": label, "ours_s": round(seconds, 4), "baseline_s": None, "ratio": None,
                  "queries": queries, "note": note, "target_s": limit,
                  "met": None if limit is None else seconds <= limit}
        self.results.append(figure)
        flag = "" if limit is None else (" [ok]" if seconds <= limit else f" [MISSES ≤ {limit} s]")
        print(f"{label}: ours {seconds:.3f} s, baseline -, ratio -, queries {queries}{flag}"
              + (f"  ({note})" if note else ""), flush=True)

    def installed(self, module):
        return bool(self.env["ir.module.module"].search_count([("name", "=", module), ("state", "=", "installed")]))

    # ------------------------------------------------------------------
    # Rebates
    # ------------------------------------------------------------------
    def setup_rebates(self):
        env = self.env
        today = date.fromisoformat(self.info["today"])
        quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        self.q_start = quarter_start - relativedelta(months=3)
        self.q_end = quarter_start - timedelta(days=1)
        policy = env["rebate.policy"].with_context(tracking_disable=True).create({
            "name": "Bench quarterly rebate",
            "date_start": self.q_start - relativedelta(months=9),
            "date_end": quarter_start + relativedelta(months=12, days=-1),
            "period": "quarter",
            "base": "amount",
            "computation": "threshold",
            "threshold_mode": "retroactive",
            "threshold_ids": [Command.create({"min_base": b, "rate": r})
                              for b, r in ((0.0, 1.0), (15000.0, 2.0), (30000.0, 3.0))],
            "clawback_returns": False,
        })
        policy.action_activate()
        env.cr.execute("ANALYZE")
        self.policy = policy
        return policy

    def _groupby_sql(self):
        """The floor of the base: one GROUP BY over the posted product lines of the quarter."""
        rebate_products = tuple(self.policy._get_rebate_product_ids()) or (0,)
        return SQL("""
            SELECT l.partner_id, -SUM(l.balance) AS amount,
                   SUM(CASE WHEN m.move_type = 'out_refund' THEN -l.quantity ELSE l.quantity END) AS qty
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND l.display_type = 'product'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND l.invoice_date BETWEEN %(start)s AND %(end)s
               AND (l.product_id IS NULL OR l.product_id NOT IN %(rebate)s)
               AND p.is_company AND p.channel_role = 'dealer'
          GROUP BY l.partner_id
        """, company=self.policy.company_id.id, start=self.q_start, end=self.q_end, rebate=rebate_products)

    def _rate_sql(self, amount):
        return SQL("CASE WHEN %(a)s >= 30000 THEN 3.0 WHEN %(a)s >= 15000 THEN 2.0 ELSE 1.0 END", a=amount)

    def _write_floor_sql(self):
        """One statement computing and inserting the same settlements (the write floor)."""
        policy = self.policy
        label = policy._get_period_label(self.q_start)
        rate = self._rate_sql(SQL("b.amount"))
        return SQL("""
            WITH b AS (%(base)s)
            INSERT INTO rebate_settlement (policy_id, partner_id, company_id, channel_tier_id, channel_territory_id,
                                           period_start, period_end, period_label, name, base_amount,
                                           amount_untaxed, rate, gross_amount, addition_amount, deduction_amount,
                                           clawback_amount, net_amount, next_threshold, next_rate, missing_base,
                                           missing_percent, state, date_computed, create_uid, write_uid,
                                           create_date, write_date)
            SELECT %(policy)s, b.partner_id, %(company)s, p.channel_tier_id, p.channel_territory_id,
                   %(start)s, %(end)s, %(label)s, %(name)s || ' ' || %(label)s || ' - ' || p.name, b.amount,
                   b.amount, %(rate)s, GREATEST(ROUND((b.amount * %(rate)s / 100)::numeric, 2), 0), 0, 0, 0,
                   GREATEST(ROUND((b.amount * %(rate)s / 100)::numeric, 2), 0),
                   CASE WHEN b.amount < 15000 THEN 15000 WHEN b.amount < 30000 THEN 30000 ELSE 0 END,
                   CASE WHEN b.amount < 15000 THEN 2 WHEN b.amount < 30000 THEN 3 ELSE 0 END,
                   CASE WHEN b.amount < 15000 THEN 15000 - b.amount WHEN b.amount < 30000 THEN 30000 - b.amount
                        ELSE 0 END,
                   CASE WHEN b.amount < 15000 THEN (15000 - b.amount) / 150
                        WHEN b.amount < 30000 THEN (30000 - b.amount) / 300 ELSE 0 END,
                   'draft', now() at time zone 'UTC', %(uid)s, %(uid)s, now() at time zone 'UTC',
                   now() at time zone 'UTC'
              FROM b JOIN res_partner p ON p.id = b.partner_id
        """, base=self._groupby_sql(), policy=policy.id, company=policy.company_id.id, start=self.q_start,
                   end=self.q_end, label=label, name=policy.name, rate=rate, uid=self.env.uid)

    def _refresh_floor_sql(self):
        """One statement recomputing the drafts of the period from the lines (the refresh floor)."""
        rate = self._rate_sql(SQL("b.amount"))
        return SQL("""
            WITH b AS (%(base)s)
            UPDATE rebate_settlement s
               SET base_amount = b.amount, amount_untaxed = b.amount, rate = %(rate)s,
                   gross_amount = GREATEST(ROUND((b.amount * %(rate)s / 100)::numeric, 2), 0),
                   net_amount = GREATEST(ROUND((b.amount * %(rate)s / 100)::numeric, 2), 0),
                   date_computed = now() at time zone 'UTC', write_date = now() at time zone 'UTC'
              FROM b
             WHERE s.policy_id = %(policy)s AND s.period_start = %(start)s AND s.partner_id = b.partner_id
               AND s.state = 'draft' AND s.base_amount IS DISTINCT FROM b.amount
        """, base=self._groupby_sql(), rate=rate, policy=self.policy.id, start=self.q_start)

    def _change_some_lines(self):
        """Raise the invoice lines of one dealer in ten by 10 % (what a refresh has to follow)."""
        self.cr.execute(SQL("""
            UPDATE account_move_line l SET balance = balance * 1.1, price_subtotal = price_subtotal * 1.1
              FROM res_partner p
             WHERE p.id = l.partner_id AND mod(p.id, 10) = 0 AND l.display_type = 'product'
               AND l.invoice_date BETWEEN %s AND %s
        """, self.q_start, self.q_end))

    def bench_rebates(self):
        policy = self.setup_rebates()
        Settlement = self.env["rebate.settlement"]

        def groupby():
            self.cr.execute(self._groupby_sql())
            self.cr.fetchall()

        def write_floor():
            self.cr.execute(self._write_floor_sql())

        def first_run():
            policy._generate_settlements(self.q_start)

        self.pair("rebate_base_read", lambda: policy._read_base(self.q_start, self.q_end), {"groupby": groupby})
        # Same amounts as the floor?
        with self._rolled_back():
            first_run()
            ours = {s.partner_id.id: round(s.gross_amount, 2) for s in Settlement.search(
                [("policy_id", "=", policy.id), ("period_start", "=", self.q_start)])}
        self.cr.execute(SQL("SELECT b.partner_id, GREATEST(ROUND((b.amount * %s / 100)::numeric, 2), 0) FROM (%s) b",
                            self._rate_sql(SQL("b.amount")), self._groupby_sql()))
        floor = {pid: float(g) for pid, g in self.cr.fetchall()}
        diff = sum(1 for pid in set(ours) | set(floor) if abs(ours.get(pid, 0) - floor.get(pid, 0)) > 0.01)
        note = f"{len(ours)} settlements, {diff} differ from the floor"
        self.pair("rebate_first_run", first_run, {"write_floor": write_floor, "groupby": groupby}, note=note)

        def existing():
            first_run()
            self.env.flush_all()
            self._change_some_lines()
            self.env.invalidate_all()

        def refresh_floor():
            self.cr.execute(self._refresh_floor_sql())

        self.pair("rebate_refresh", first_run, {"write_floor": refresh_floor}, setup=existing,
                  note="drafts exist, one dealer in ten changed")
        if self.installed("agreement_rebate"):
            self.bench_agreement_rebate(first_run)
        else:
            print("rebate_first_run vs agreement_rebate: skipped (agreement_rebate not installed)", flush=True)

    def bench_agreement_rebate(self, first_run):
        """OCA agreement_rebate on the same lines: one agreement per dealer, total sections = our thresholds."""
        env = self.env
        dealers = env["res.partner"].browse(self.info["dealer_ids"])
        atype = env["agreement.type"].create({"name": "Bench rebate", "is_rebate": True, "domain": "sale"})
        sections = [Command.create({"amount_from": a, "amount_to": b, "rebate_discount": r})
                    for a, b, r in ((-1e12, 14999.999, 1.0), (15000, 29999.999, 2.0), (30000, 1e12, 3.0))]
        vals = [{"name": f"Rebate {d.name}", "code": f"BR{d.id}", "partner_id": d.id, "agreement_type_id": atype.id,
                 "domain": "sale", "start_date": self.q_start, "end_date": self.q_end,
                 "rebate_type": "section_total", "rebate_section_ids": sections} for d in dealers]
        agreements = env["agreement"].browse()
        for chunk in generate._batched(vals, 500):
            agreements |= env["agreement"].with_context(tracking_disable=True).create(chunk)
        env.flush_all()

        def oca():
            wizard = env["agreement.settlement.create.wiz"].create({
                "date_from": self.q_start, "date_to": self.q_end, "domain": "sale",
                "agreement_type_ids": [Command.set(atype.ids)],
            })
            wizard.action_create_settlement()

        with self._rolled_back():
            oca()
            env.flush_all()
            theirs = {s.partner_id.id: round(s.amount_rebate, 2) for s in env["agreement.rebate.settlement"].search([])}
            first_run()
            ours = {s.partner_id.id: round(s.gross_amount, 2) for s in env["rebate.settlement"].search(
                [("policy_id", "=", self.policy.id), ("period_start", "=", self.q_start)])}
        diff = sum(1 for pid in set(ours) | set(theirs) if abs(ours.get(pid, 0) - theirs.get(pid, 0)) > 0.01)
        ours_s, ours_q = self._time(first_run, repeat=1)
        theirs_s, _q = self._time(oca, repeat=1)
        # Target: at least 10× faster, i.e. ours / theirs ≤ 0.1.
        self.record("rebate_first_run vs agreement_rebate", ours_s, theirs_s, ours_q, target=0.1,
                    note=f"{len(agreements)} agreements, {diff} dealers with a different amount; median of 1")

    # ------------------------------------------------------------------
    # Suggested orders
    # ------------------------------------------------------------------
    def bench_suggestions(self):
        env = self.env
        route = env["channel.delivery.route"].browse(self.info["route_id"])
        today = date.fromisoformat(self.info["today"])
        route_date = route._next_dates(today, 1)[0]
        dealers = route._suggest_dealers()
        cycles = route._suggest_cycles(route_date, max(route.company_id.channel_forecast_cycles, 1))

        def ours():
            route._get_suggested_quantities(route_date)

        def sql():
            env.cr.execute(SQL("""
                WITH cycles AS (
                    SELECT * FROM unnest(%(idx)s::int[], %(starts)s::timestamp[], %(ends)s::timestamp[])
                        AS c(idx, date_start, date_end))
                SELECT so.channel_dealer_id, sm.product_id, c.idx, SUM(sm.quantity)
                  FROM stock_move sm
                  JOIN sale_order_line sol ON sol.id = sm.sale_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN cycles c ON sm.date >= c.date_start AND sm.date < c.date_end
                 WHERE sm.state = 'done' AND sm.location_dest_id = %(customer)s
                   AND so.channel_dealer_id = ANY(%(dealers)s)
              GROUP BY 1, 2, 3
            """, idx=list(range(len(cycles))), starts=[s for s, _e in cycles], ends=[e for _s, e in cycles],
                customer=env.ref("stock.stock_location_customers").id, dealers=dealers.ids))
            env.cr.fetchall()
            env.cr.execute(SQL("""
                SELECT so.channel_dealer_id, sol.product_id, SUM(GREATEST(sol.product_uom_qty - sol.qty_delivered, 0))
                  FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                 WHERE so.state = 'sale' AND so.channel_dealer_id = ANY(%(dealers)s) GROUP BY 1, 2
            """, dealers=dealers.ids))
            env.cr.fetchall()

        with self._rolled_back():
            suggestions = route._get_suggested_quantities(route_date)
        pairs = sum(len(v) for v in suggestions.values())
        self.pair("suggest_history", ours, {"sql": sql},
                  note=f"{len(dealers)} dealers, {len(suggestions)} with a suggestion, {pairs} lines")
        repeat = 1 if len(dealers) > 100 else None
        seconds, queries = self._time(lambda: route._prepare_suggested_orders(route_date), repeat=repeat)
        self.record_absolute("suggest_orders_route_day", seconds, queries,
                             limit=60.0 * max(len(dealers), 1) / 500,
                             note=f"{len(suggestions)} orders, {pairs} lines created (end to end)")

    # ------------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------------
    def bench_alerts(self):
        env = self.env
        Alert = env["channel.alert"]
        # Overdue calls and visits raise alerts (and their activities) only while channel_base's care
        # activities are off: switch them off for this run (rolled back at the end) so that the scan
        # creates records, as it does where the care cron is not used.
        care = env.ref("channel_base.ir_cron_schedule_care_activities", raise_if_not_found=False)
        if care:
            care.active = False
            env.flush_all()
        today = Alert._scan_today()
        current = today.replace(day=1)

        def sql():
            env.cr.execute(SQL("""
                SELECT so.channel_dealer_id, COUNT(*), MIN(so.date_order), MAX(so.date_order),
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m4)s AND so.date_order < %(m3)s),
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m3)s AND so.date_order < %(m2)s),
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m2)s AND so.date_order < %(m1)s),
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m1)s AND so.date_order < %(m0)s)
                  FROM sale_order so JOIN res_partner p ON p.id = so.channel_dealer_id
                 WHERE so.state = 'sale' AND p.channel_role = 'dealer' AND p.parent_id IS NULL
              GROUP BY so.channel_dealer_id
            """, **{f"m{n}": current - relativedelta(months=n) for n in range(5)}))
            env.cr.fetchall()
            env.cr.execute(SQL("""
                SELECT id FROM res_partner WHERE channel_role = 'dealer' AND parent_id IS NULL
                   AND channel_state = 'active'
                   AND (last_call_date IS NULL OR last_call_date < %s OR last_visit_date IS NULL
                        OR last_visit_date < %s)
            """, today - relativedelta(months=1), today - relativedelta(months=2)))
            env.cr.fetchall()

        def ours():
            Alert._scan()

        def write_floor():
            env.cr.execute(self._alert_write_floor_sql(today))

        dealers = env["res.partner"].search_count(Alert._scan_dealers_domain())
        with self._rolled_back():
            opened = len(Alert._scan())
        with self._rolled_back():
            write_floor()
            env.cr.execute("SELECT COUNT(*) FROM channel_alert")
            floor_opened = env.cr.fetchone()[0]
        # A first scan writes: its floor is the SQL that computes the same conditions and inserts the
        # alerts, their activities and the followers those add (as the settlement run's write floor);
        # the read-only conditions are shown beside it.
        self.pair("alert_scan", ours, {"write_floor": write_floor, "sql": sql},
                  note=f"{dealers} dealers, {opened} alerts opened on a first scan (with their activities), "
                       f"{floor_opened} by the floor")
        # The scan of every following day: the first scan's alerts are open, the conditions are read
        # again and compared with them; nothing new to create.
        with self._rolled_back():
            Alert._scan()
            env.flush_all()
            again = len(Alert._scan())
            self.pair("alert_scan_daily", ours, {"sql": sql},
                      note=f"{dealers} dealers, the {opened} alerts of the first scan open, {again} opened")

    def _alert_write_floor_sql(self, today):
        """One statement computing the first scan's conditions and inserting the alerts, a to-do per
        alert for the dealer's salesperson (else the territory's manager, else the current user) and
        that user's partner as follower with the default subtypes (the write floor of a first scan)."""
        env = self.env
        company = env.company
        current = today.replace(day=1)
        call_limit, visit_limit = env["res.partner"]._get_care_limits()
        subtypes = env["mail.message.subtype"].default_subtypes("channel.alert")[0].ids
        months = {f"m{n}": current - relativedelta(months=n) for n in range(5)}
        return SQL("""
            WITH dealers AS (
                SELECT p.id, p.name, p.last_call_date, p.last_visit_date, p.channel_join_date,
                       p.channel_territory_id, p.channel_tier_id, p.channel_route_id,
                       COALESCE(p.user_id, t.manager_id, %(uid)s) AS responsible
                  FROM res_partner p LEFT JOIN channel_territory t ON t.id = p.channel_territory_id
                 WHERE p.channel_role = 'dealer' AND (p.is_company OR p.parent_id IS NULL) AND p.active
                   AND p.channel_state = 'active'
            ), stats AS (
                SELECT so.channel_dealer_id AS id, COUNT(*) AS n, MIN(so.date_order)::date AS first,
                       MAX(so.date_order)::date AS last,
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m4)s AND so.date_order < %(m3)s) AS a4,
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m3)s AND so.date_order < %(m2)s) AS a3,
                       SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m2)s AND so.date_order < %(m1)s) AS a2,
                       COALESCE(SUM(so.amount_untaxed) FILTER (WHERE so.date_order >= %(m1)s
                                                                 AND so.date_order < %(m0)s), 0) AS a1
                  FROM sale_order so JOIN dealers d ON d.id = so.channel_dealer_id
                 WHERE so.state = 'sale'
              GROUP BY so.channel_dealer_id
            ), conditions AS (
                SELECT s.id, 'decline' AS alert_type, s.a1 AS value, (s.a4 + s.a3 + s.a2) / 3 AS reference,
                       format(%(fmt_decline)s, to_char(%(m1)s::date, 'FMMonth YYYY'),
                              to_char(s.a1, 'FM999,999,990.00'),
                              round((1 - s.a1 / ((s.a4 + s.a3 + s.a2) / 3)) * 100),
                              to_char((s.a4 + s.a3 + s.a2) / 3, 'FM999,999,990.00')) AS message
                  FROM stats s
                 WHERE s.a4 > 0 AND s.a3 > 0 AND s.a2 > 0 AND s.a1 < %(factor)s * (s.a4 + s.a3 + s.a2) / 3
                UNION ALL
                SELECT s.id, 'dormant', %(today)s - s.last, %(dormant)s,
                       format(%(fmt_dormant)s, s.last, %(dormant)s)
                  FROM stats s WHERE s.last < %(today)s - %(dormant)s
                UNION ALL
                SELECT s.id, 'first_order_only', %(today)s - s.first, %(first_days)s,
                       format(%(fmt_first)s, s.first, %(first_days)s)
                  FROM stats s WHERE s.n = 1 AND s.first < %(today)s - %(first_days)s
                UNION ALL
                SELECT d.id, 'care_overdue', COALESCE(%(today)s - d.last_call_date, 0), 0,
                       format(%(fmt_care)s, COALESCE(d.last_call_date::text, 'never'),
                              COALESCE(d.last_visit_date::text, 'never'))
                  FROM dealers d
                 WHERE d.last_call_date < %(call)s OR d.last_visit_date < %(visit)s
                    OR (d.last_call_date IS NULL AND (d.channel_join_date IS NULL OR d.channel_join_date < %(call)s))
                    OR (d.last_visit_date IS NULL AND (d.channel_join_date IS NULL OR d.channel_join_date < %(visit)s))
            ), alerts AS (
                INSERT INTO channel_alert (partner_id, alert_type, state, date, message, value, reference_value,
                                           order_count, last_order_date, last_call_date, last_visit_date,
                                           company_id, territory_id, tier_id, user_id, route_id, auto_resolved,
                                           create_uid, write_uid, create_date, write_date)
                SELECT c.id, c.alert_type, 'open', %(today)s, c.message, c.value, c.reference, COALESCE(s.n, 0),
                       s.last, d.last_call_date, d.last_visit_date, %(company)s, d.channel_territory_id,
                       d.channel_tier_id, d.responsible, d.channel_route_id, false, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM conditions c JOIN dealers d ON d.id = c.id LEFT JOIN stats s ON s.id = c.id
             RETURNING id, partner_id, alert_type, user_id, message
            ), activities AS (
                INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                                           note, date_deadline, automated, user_id, user_tz, active,
                                           create_uid, write_uid, create_date, write_date)
                SELECT %(model_id)s, 'channel.alert', a.id, a.alert_type || ': ' || d.name, %(todo)s,
                       a.alert_type || ': ' || d.name, '<p>' || a.message || '</p>', %(today)s, true,
                       a.user_id, rp.tz, true, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM alerts a JOIN dealers d ON d.id = a.partner_id
                  JOIN res_users u ON u.id = a.user_id JOIN res_partner rp ON rp.id = u.partner_id
             RETURNING res_id, user_id
            ), followers AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT 'channel.alert', a.res_id, u.partner_id FROM activities a JOIN res_users u ON u.id = a.user_id
             RETURNING id
            )
            INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
            SELECT f.id, st.id FROM followers f CROSS JOIN unnest(%(subtypes)s::int[]) AS st(id)
        """, uid=env.uid, company=company.id, today=today, factor=1 - (company.channel_decline_pct or 0.0) / 100.0,
                   dormant=company.channel_dormant_days, first_days=company.channel_first_order_days,
                   call=call_limit, visit=visit_limit, subtypes=subtypes,
                   fmt_decline="Confirmed orders of %s: %s, %s %% below the average of the three months before (%s).",
                   fmt_dormant="No confirmed order since %s (more than %s days).",
                   fmt_first="Only one confirmed order, on %s, and no reorder in %s days.",
                   fmt_care="Calls and visits are overdue: last call %s, last visit %s.",
                   model_id=env["ir.model"]._get_id("channel.alert"), todo=env.ref("mail.mail_activity_data_todo").id,
                   **months)

    # ------------------------------------------------------------------
    # Pricing
    # ------------------------------------------------------------------
    def bench_pricing(self):
        env = self.env
        dealer = env["res.partner"].browse(self.info["dealer_ids"][0])  # top tier: price memory on
        products = env["product.product"].browse(self.info["product_ids"])
        pricelist = dealer._channel_pricelist()
        products.mapped("uom_id")
        with self._rolled_back():
            prices = dealer._channel_price_get(products)
        remembered = sum(1 for p in prices.values() if p["order_line_id"])
        self.pair(
            "catalog_pricing",
            lambda: dealer._channel_price_get(products),
            {"native": lambda: pricelist._get_products_price(products, 1.0, currency=pricelist.currency_id)},
            note=f"{len(products)} products, {remembered} remembered prices, tier {dealer.channel_tier_id.name}",
        )

    def bench_sellout(self):
        if not self.installed("channel_sellout"):
            print("sellout_analysis: skipped (channel_sellout not installed)", flush=True)
            return
        env = self.env
        today = date.fromisoformat(self.info["today"])
        year_start = today - relativedelta(months=12)
        lines = env["channel.sellout.line"].search_count([])

        def analysis():
            env["channel.sellout.report"]._read_group(
                [("date", ">=", year_start)], ["seller_id", "date:month"], ["quantity:sum", "amount:sum"])

        def analysis_sql():
            env.cr.execute(SQL("""
                SELECT seller_id, date_trunc('month', date_order), SUM(quantity), SUM(price_subtotal)
                  FROM channel_sellout_line
                 WHERE state NOT IN ('draft', 'rejected', 'cancelled') AND date_order >= %s
              GROUP BY 1, 2
            """, year_start))
            env.cr.fetchall()

        self.pair("sellout_analysis", analysis, {"sql": analysis_sql},
                  note=f"{lines} sell-out lines, by dealer and month (channel.sellout.report)")

        Stock = env["channel.dealer.stock"]

        def stock():
            Stock._read_group([], ["partner_id"], ["qty_received:sum", "qty_sold:sum", "qty_on_hand:sum", "__count"])

        def stock_sql():
            env.cr.execute("""
                WITH received AS (
                    SELECT sp.partner_id, sm.product_id, SUM(sm.quantity) AS qty
                      FROM stock_move sm JOIN stock_picking sp ON sp.id = sm.picking_id
                      JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                     WHERE sm.state = 'done' AND spt.code = 'outgoing' GROUP BY 1, 2
                ), sold AS (
                    SELECT seller_id AS partner_id, product_id, SUM(quantity) AS qty
                      FROM channel_sellout_line WHERE state IN ('delivered', 'received') GROUP BY 1, 2
                )
                SELECT COALESCE(r.partner_id, s.partner_id), SUM(COALESCE(r.qty, 0)), SUM(COALESCE(s.qty, 0)),
                       SUM(COALESCE(r.qty, 0) - COALESCE(s.qty, 0)), COUNT(*)
                  FROM received r FULL JOIN sold s ON s.partner_id = r.partner_id AND s.product_id = r.product_id
              GROUP BY 1
            """)
            env.cr.fetchall()

        with self._rolled_back():
            rows = Stock.search_count([])
            overstock = Stock.search_count([("overstock", "=", True)])
        self.pair("dealer_stock", stock, {"sql": stock_sql},
                  note=f"{rows} dealer × product rows, {overstock} overstocked; totals by dealer "
                       f"(channel.dealer.stock)")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--lines", type=int, help="invoice (and order) lines, default 1,000,000 × scale")
    parser.add_argument("--only", default="", help="comma-separated: rebates,suggestions,alerts,pricing,http")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the concurrent submission test")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="Odoo workers of the HTTP figures")
    parser.add_argument("--submission-workers", type=int, default=None,
                        help="also measure the submissions against this many workers (default: the concurrency)")
    parser.add_argument("--submission-rate", type=float, default=240.0,
                        help="orders a minute in all of the paced submission figure (0: not measured)")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--output", default=os.path.join(HERE, "results.json"))
    args = parser.parse_args()
    # Stopped (SIGTERM), the Odoo servers of the HTTP figures are stopped too, by their with blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    config.parse_config(["-c", args.config, "--log-level=warn"])
    only = {p for p in args.only.split(",") if p}
    registry = odoo.modules.registry.Registry(args.database)
    started = time.time()
    info_path = os.path.join(config["data_dir"], f"bench-{args.database}.json")
    if args.skip_generate and os.path.exists(info_path):
        with open(info_path) as f:
            info = json.load(f)
    else:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            info = generate.generate(env, args.scale, args.lines, users=args.concurrency)
        with open(info_path, "w") as f:
            json.dump(info, f)
        t = info["timings"]
        print(f"generated {info['sizes']} in {t['total']:.1f} s (master data {t['master']:.1f} s, "
              f"history {t['history']:.1f} s)", flush=True)
    results = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        bench = Bench(env, info)
        for part in ("rebates", "suggestions", "alerts", "pricing", "sellout"):
            if not only or part in only:
                getattr(bench, f"bench_{part}")()
        results = bench.results
        cr.rollback()
    if not only or "http" in only:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            info["sales_users"] = generate.sales_users(env, args.concurrency)
        results += http_bench.run(args.config, args.database, info, duration=args.duration,
                                  concurrency=args.concurrency, workers=args.workers,
                                  submission_workers=args.submission_workers or args.concurrency,
                                  submission_rate=args.submission_rate)
    missed = [r["name"] for r in results if r.get("met") is False]
    payload = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "scale": args.scale,
        "sizes": info["sizes"],
        "generation_s": info["timings"],
        "machine": {"cpus": os.cpu_count(), "odoo": odoo.release.version},
        "figures": results,
        "missed": missed,
        "total_s": round(time.time() - started, 1),
    }
    with open(args.output, "w") as f:
        json.dump(payload, f, indent=2, default=str)
    print(f"results written to {args.output}; {len(missed)} target(s) missed: {', '.join(missed) or 'none'}")


if __name__ == "__main__":
    main()
