import calendar
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
# Route dates are searched this many days ahead at most (a monthly route on day 31 skips months).
MAX_SEARCH_DAYS = 3700


class ChannelDeliveryRoute(models.Model):
    _name = "channel.delivery.route"
    _description = "Dealer Delivery Route"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    territory_id = fields.Many2one("channel.territory", string="Territory", index=True, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Warehouse",
        required=True,
        check_company=True,
        default=lambda self: self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1),
        tracking=True,
    )
    weekday = fields.Integer(
        default=0,
        tracking=True,
        help="Day of the week of a weekly route: 0 = Monday ... 6 = Sunday.",
    )
    weekday_name = fields.Selection(
        WEEKDAYS,
        string="Day of the Week",
        compute="_compute_weekday_name",
        inverse="_inverse_weekday_name",
    )
    interval_weeks = fields.Integer(
        string="Every (weeks)",
        default=1,
        tracking=True,
        help="A weekly route runs every this many weeks, counted from the start date.",
    )
    month_day = fields.Integer(
        string="Day of the Month",
        tracking=True,
        help="Set it for a monthly route (1-31, the last day of shorter months); leave 0 for a weekly route.",
    )
    schedule_type = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly")],
        compute="_compute_schedule_type",
    )
    date_start = fields.Date(
        string="Start Date",
        default=fields.Date.context_today,
        help="The first week of the route: with a route every 2 weeks, it runs in the week of this date, "
        "two weeks later, and so on.",
    )
    cutoff_hour = fields.Float(
        string="Cut-off Hour",
        default=12.0,
        tracking=True,
        help="Orders confirmed before this hour on the day before a route date are delivered on it; "
        "later ones on the next route date (local time of the warehouse).",
    )
    partner_ids = fields.One2many(
        "res.partner",
        "channel_route_id",
        string="Dealers",
        domain=[("channel_role", "=", "dealer")],
        help="The dealers served by this route, in delivery sequence.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Dealer Count")
    next_date = fields.Date(compute="_compute_next_date", string="Next Route Date")
    note = fields.Text()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("weekday")
    def _compute_weekday_name(self):
        for route in self:
            route.weekday_name = str(route.weekday) if 0 <= route.weekday <= 6 else False

    def _inverse_weekday_name(self):
        for route in self:
            route.weekday = int(route.weekday_name or 0)

    @api.depends("month_day")
    def _compute_schedule_type(self):
        for route in self:
            route.schedule_type = "monthly" if route.month_day else "weekly"

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("channel_route_id", "in", self.ids)], ["channel_route_id"], ["__count"]
            )
        )
        for route in self:
            route.partner_count = counts.get(route, 0)

    @api.depends("weekday", "interval_weeks", "month_day", "date_start", "cutoff_hour")
    def _compute_next_date(self):
        for route in self:
            dates = route._next_dates(route._local_now(), 1) if route._check_schedule_values() else []
            route.next_date = dates[0] if dates else False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def _check_schedule_values(self):
        self.ensure_one()
        return (
            0 <= self.weekday <= 6
            and self.interval_weeks >= 1
            and 0 <= self.month_day <= 31
            and 0 <= self.cutoff_hour <= 24
        )

    @api.constrains("weekday", "interval_weeks", "month_day", "cutoff_hour")
    def _check_schedule(self):
        for route in self:
            if not 0 <= route.weekday <= 6:
                raise ValidationError(
                    self.env._("The weekday of route %s must be between 0 (Monday) and 6 (Sunday).", route.name)
                )
            if route.interval_weeks < 1:
                raise ValidationError(self.env._("Route %s must run at least every week.", route.name))
            if not 0 <= route.month_day <= 31:
                raise ValidationError(
                    self.env._("The day of the month of route %s must be between 1 and 31.", route.name)
                )
            if not 0 <= route.cutoff_hour <= 24:
                raise ValidationError(self.env._("The cut-off hour of route %s must be between 0 and 24.", route.name))

    # ------------------------------------------------------------------
    # Schedule
    # ------------------------------------------------------------------
    def _tz(self):
        """Time zone in which route dates and the cut-off are read."""
        self.ensure_one()
        name = self.warehouse_id.partner_id.tz or self.company_id.partner_id.tz or "UTC"
        return pytz.timezone(name)

    def _local_now(self):
        """The current time as a naive datetime in the route's time zone."""
        return self._to_local(fields.Datetime.now())

    def _to_local(self, utc_datetime):
        self.ensure_one()
        return pytz.utc.localize(utc_datetime).astimezone(self._tz()).replace(tzinfo=None)

    def _to_utc(self, local_datetime):
        self.ensure_one()
        return self._tz().localize(local_datetime).astimezone(pytz.utc).replace(tzinfo=None)

    def _is_route_date(self, day):
        self.ensure_one()
        if self.month_day:
            last = calendar.monthrange(day.year, day.month)[1]
            return day.day == min(self.month_day, last)
        if day.weekday() != self.weekday:
            return False
        interval = max(self.interval_weeks, 1)
        if interval == 1:
            return True
        anchor = self.date_start or date(2000, 1, 3)  # a Monday
        anchor_monday = anchor - timedelta(days=anchor.weekday())
        weeks = (day - timedelta(days=day.weekday()) - anchor_monday).days // 7
        return weeks % interval == 0

    def _cutoff_deadline(self, route_date):
        """Latest moment (local, naive) an order can be confirmed to be delivered on route_date:
        the cut-off hour on the day before."""
        self.ensure_one()
        return datetime.combine(route_date - timedelta(days=1), time()) + timedelta(hours=self.cutoff_hour)

    def _next_dates(self, after=None, count=1):
        """The next ``count`` route dates.

        :param after: a naive datetime in the route's local time (an order confirmed then: the cut-off
            applies), or a date (the route dates strictly after it); default: now.
        :return: list of dates, ascending
        """
        self.ensure_one()
        if after is None:
            after = self._local_now()
        if isinstance(after, datetime):
            day, moment = after.date(), after
        else:
            day, moment = after, None
        result = []
        for offset in range(MAX_SEARCH_DAYS):
            if len(result) >= count:
                break
            candidate = day + timedelta(days=offset)
            if not self._is_route_date(candidate):
                continue
            if moment is None:
                if candidate > day:
                    result.append(candidate)
            elif self._cutoff_deadline(candidate) > moment:
                result.append(candidate)
        return result

    def _commitment_datetime(self, route_date):
        """Delivery datetime (UTC, naive) stored on orders for a route date: noon local time."""
        self.ensure_one()
        return self._to_utc(datetime.combine(route_date, time(12, 0)))

    def _partners_in_sequence(self):
        self.ensure_one()
        return self.partner_ids.sorted(lambda p: (p.channel_route_sequence, p.id))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_orders.stock_picking_route_day_action")
        action["domain"] = [("channel_route_id", "=", self.id)]
        return action

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.res_partner_dealer_action")
        action["domain"] = [("channel_route_id", "=", self.id)]
        action["context"] = {"default_channel_route_id": self.id}
        return action
