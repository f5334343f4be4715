from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_is_zero

WEEKDAYS = [
    ("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
    ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday"),
]


class ChannelSelloutRoute(models.Model):
    _name = "channel.sellout.route"
    _description = "Dealer Delivery Route to its Buyers"
    _order = "seller_id"

    seller_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True, ondelete="cascade",
        domain="[('channel_role', '=', 'dealer'), ('is_company', '=', True)]",
    )
    weekday = fields.Selection(WEEKDAYS, required=True, default="0", help="Fixed delivery weekday.")
    interval_weeks = fields.Integer(
        string="Every (weeks)", required=True, default=1,
        help="1: weekly, 2: every other week (a cycle is at most 15 days).",
    )
    date_start = fields.Date(string="First Delivery", required=True, default=fields.Date.context_today)
    next_date = fields.Date(compute="_compute_next_date", string="Next Route Date")
    active = fields.Boolean(default=True)

    _sql_constraints = [("seller_uniq", "unique(seller_id)", "A dealer has one delivery route to its buyers.")]

    def _compute_next_date(self):
        today = fields.Date.context_today(self)
        for route in self:
            route.next_date = route._next_date(today)

    @api.constrains("interval_weeks")
    def _check_interval(self):
        for route in self:
            if not 1 <= route.interval_weeks <= 2:
                raise ValidationError(self.env._("A dealer's delivery cycle is one or two weeks (at most 15 days)."))

    def _first_date(self):
        """The first route date: the first chosen weekday on or after the start."""
        self.ensure_one()
        start = self.date_start
        return start + timedelta(days=(int(self.weekday) - start.weekday()) % 7)

    def _cycle_days(self):
        self.ensure_one()
        return 7 * self.interval_weeks

    def _next_date(self, after):
        """The first route date on or after ``after``."""
        self.ensure_one()
        first = self._first_date()
        if after <= first:
            return first
        days = self._cycle_days()
        cycles = -(-(after - first).days // days)
        return first + timedelta(days=cycles * days)

    def _suggest_cycles(self, route_date, count):
        """The last ``count`` complete cycles before ``route_date`` (start, end excluded), oldest first."""
        self.ensure_one()
        days = self._cycle_days()
        current = self._next_date(route_date)
        cycles = [(current - timedelta(days=days * (index + 1)), current - timedelta(days=days * index))
                  for index in range(count)]
        return list(reversed(cycles))

    # ------------------------------------------------------------------
    # Suggested orders for the dealer's buyers (same forecast as the manufacturer's suggestions)
    # ------------------------------------------------------------------
    def _suggest_history(self, buyers, cycles):
        """Delivered sell-out quantities per (buyer id, product id) and cycle index, one query."""
        self.ensure_one()
        if not buyers or not cycles:
            return {}
        self.env["channel.sellout.line"].flush_model()
        self.env["channel.sellout.order"].flush_model()
        query = SQL(
            """
            WITH cycles AS (
                SELECT *
                  FROM unnest(%(idx)s::int[], %(starts)s::date[], %(ends)s::date[]) AS c(idx, date_start, date_end)
            )
            SELECT o.buyer_id, l.product_id, c.idx, SUM(l.quantity)
              FROM channel_sellout_line l
              JOIN channel_sellout_order o ON o.id = l.order_id
              JOIN cycles c ON o.date_order >= c.date_start AND o.date_order < c.date_end
             WHERE o.seller_id = %(seller)s AND o.buyer_id = ANY(%(buyers)s)
               AND o.state IN ('delivered', 'received')
          GROUP BY o.buyer_id, l.product_id, c.idx
            """,
            idx=list(range(len(cycles))),
            starts=[start for start, _end in cycles],
            ends=[end for _start, end in cycles],
            seller=self.seller_id.id,
            buyers=buyers.ids,
        )
        result = {}
        for buyer_id, product_id, index, quantity in self.env.execute_query(query):
            result.setdefault((buyer_id, product_id), {})[index] = quantity or 0.0
        return result

    def _suggest_open_quantities(self, buyers):
        """Ordered, not yet delivered quantities per (buyer id, product id)."""
        self.ensure_one()
        groups = self.env["channel.sellout.line"].sudo()._read_group(
            [("seller_id", "=", self.seller_id.id), ("buyer_id", "in", buyers.ids),
             ("state", "in", ("submitted", "accepted"))],
            ["buyer_id", "product_id"],
            ["quantity:sum"],
        )
        return {(buyer.id, product.id): quantity for buyer, product, quantity in groups}

    def _get_suggested_quantities(self, buyers, route_date=None):
        """Suggested quantities {buyer id: {product id: figures}} for the next route date.

        The history (delivered sell-out per cycle) is read in one query; the forecast, safety stock
        and open-quantity deduction are the manufacturer's suggestion steps
        (``channel.delivery.route._suggest_need``), rounded up like the manufacturer's suggestions
        (whole sale packagings, else whole order multiples).
        """
        self.ensure_one()
        route_date = route_date or self._next_date(fields.Date.context_today(self))
        company = self.env.company
        cycle_count = max(company.channel_forecast_cycles, 1)
        safety_pct = company.channel_safety_stock_pct
        cycles = self._suggest_cycles(route_date, cycle_count)
        history = self._suggest_history(buyers, cycles)
        open_qty = self._suggest_open_quantities(buyers)
        products = self.env["product.product"].sudo().browse({product_id for _buyer, product_id in history})
        products_by_id = {product.id: product for product in products}
        resellable = set(self.env["channel.sellout.order"]._sellout_priced_products(self.seller_id).ids)
        Engine = self.env["channel.delivery.route"]
        result = {}
        for (buyer_id, product_id), per_cycle in history.items():
            if product_id not in resellable:
                continue
            product = products_by_id[product_id]
            rounding = product.uom_id.rounding or 0.01
            quantities = [max(per_cycle.get(index, 0.0), 0.0) for index in range(len(cycles))]
            data = Engine._suggest_need(
                cycles, quantities, cycle_count, safety_pct, open_qty.get((buyer_id, product_id), 0.0), rounding
            )
            if not data:
                continue
            quantity = Engine._suggest_round_up(product, data["needed"])
            if float_is_zero(quantity, precision_rounding=rounding):
                continue
            data["suggested"] = quantity
            data["explanation"] = self._suggest_explanation(data)
            result.setdefault(buyer_id, {})[product_id] = data
        return result

    @api.model
    def _suggest_explanation(self, data):
        forecast = self._suggest_format(data["forecast"])
        open_qty = self._suggest_format(data["open_qty"])
        safety = self._suggest_format(data["safety_pct"])
        return self.env._(
            "Average of %(cycles)s cycles: %(forecast)s, with %(safety)s%% safety stock, minus %(open)s on order.",
            cycles=len(data["cycles"]), forecast=forecast, safety=safety, open=open_qty,
        )

    @api.model
    def _suggest_format(self, number):
        return ("%.2f" % number).rstrip("0").rstrip(".")
