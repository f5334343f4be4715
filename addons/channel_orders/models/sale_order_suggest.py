import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools import SQL, float_compare, format_date

# Orders of a product needed in the history window before a quantity can be judged abnormal.
ANOMALY_MIN_ORDERS = 3
ANOMALY_MONTHS = 12


class SaleOrder(models.Model):
    _inherit = "sale.order"

    channel_suggested = fields.Boolean(
        string="Suggested Order",
        copy=False,
        index=True,
        tracking=True,
        help="Prepared for the dealer from its delivery history before a route date (pre-sale); the dealer "
        "reviews, edits and submits it.",
    )
    channel_route_date = fields.Date(
        string="Route Date",
        copy=False,
        index=True,
        readonly=True,
        help="The route date a suggested order was prepared for.",
    )
    channel_anomaly = fields.Boolean(
        string="Abnormal Quantities",
        copy=False,
        index=True,
        tracking=True,
        readonly=True,
        help="Set at submission when a quantity is far above the dealer's usual orders of that product: "
        "a channel manager must approve the order.",
    )
    channel_anomaly_note = fields.Text(string="Anomaly Reasons", copy=False, readonly=True, groups="base.group_user")

    def init(self):
        super().init()
        # One suggested order per dealer and route date, whoever prepares it and however often.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS sale_order_channel_suggested_uniq
                ON sale_order (partner_id, channel_route_date) WHERE channel_suggested IS TRUE
            """
        )

    # ------------------------------------------------------------------
    # Approval chain hooks
    # ------------------------------------------------------------------
    def _channel_approval_steps(self):
        """An abnormal order always waits at the first step, which then only a channel manager passes."""
        steps = super()._channel_approval_steps()
        if self.channel_anomaly and "to_sales" not in steps:
            steps = ["to_sales", *steps]
        return steps

    def _channel_is_approver(self, step):
        if step == "to_sales" and any(order.channel_anomaly for order in self):
            return self.env.su or self.env.user.has_group("channel_base.group_channel_manager")
        return super()._channel_is_approver(step)

    def action_channel_submit(self):
        self._channel_check_anomalies()
        res = super().action_channel_submit()
        flagged = self.filtered("channel_anomaly")
        if flagged:
            flagged._channel_schedule_anomaly_activities()
        return res

    # ------------------------------------------------------------------
    # Abnormal quantities
    # ------------------------------------------------------------------
    @api.model
    def _channel_confirmed_lines_sql(self, dealer_ids, product_ids):
        """FROM and WHERE of the product lines of confirmed orders of these dealers and products.

        Aliases: ``sol`` (line), ``so`` (order), ``line_uom`` (the line's unit) and ``product_uom``
        (the product's unit), so that ``qty / line_uom.factor * product_uom.factor`` is in the
        product's unit.
        """
        return SQL(
            """
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN uom_uom line_uom ON line_uom.id = sol.product_uom
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
             WHERE so.state = 'sale'
               AND so.channel_dealer_id = ANY(%(dealers)s)
               AND sol.product_id = ANY(%(products)s)
               AND sol.display_type IS NULL
            """,
            dealers=list(dealer_ids),
            products=list(product_ids),
        )

    def _channel_anomaly_history(self, dealer_ids, product_ids, date_from):
        """Quantities (product unit) per confirmed order of each (dealer, product) since ``date_from``.

        One query for the whole batch: {(dealer id, product id): [qty per order, ...]}.
        """
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "product_uom_qty", "product_uom", "display_type"]
        )
        self.env["sale.order"].flush_model(["state", "date_order", "channel_dealer_id"])
        query = SQL(
            """
            SELECT so.channel_dealer_id, sol.product_id, so.id,
                   SUM(sol.product_uom_qty / line_uom.factor * product_uom.factor)
              %(lines)s
               AND so.date_order >= %(date_from)s
               AND so.id != ALL(%(exclude)s)
          GROUP BY so.channel_dealer_id, sol.product_id, so.id
            """,
            lines=self._channel_confirmed_lines_sql(dealer_ids, product_ids),
            date_from=date_from,
            exclude=self.ids or [0],
        )
        history = defaultdict(list)
        for dealer_id, product_id, _order_id, quantity in self.env.execute_query(query):
            history[dealer_id, product_id].append(quantity)
        return history

    @api.model
    def _channel_anomaly_threshold(self, quantities):
        """(mean, standard deviation, threshold) of past order quantities, or None when there are too few.

        The standard deviation is the population one; the threshold is max(2 μ, μ + 3 σ).
        """
        if len(quantities) < ANOMALY_MIN_ORDERS:
            return None
        mean = sum(quantities) / len(quantities)
        sigma = math.sqrt(sum((q - mean) ** 2 for q in quantities) / len(quantities))
        return mean, sigma, max(2 * mean, mean + 3 * sigma)

    def _channel_check_anomalies(self):
        """Flag the orders whose line quantities jump above the dealer's history (one query for all)."""
        orders = self.filtered(lambda o: o.channel_dealer_id)
        lines = orders.order_line.filtered(lambda line: line.product_id and not line.display_type)
        if not lines:
            return
        date_from = fields.Datetime.now() - relativedelta(months=ANOMALY_MONTHS)
        history = orders._channel_anomaly_history(orders.channel_dealer_id.ids, lines.product_id.ids, date_from)
        for order in orders:
            notes = []
            order_lines = order.order_line.filtered(lambda line: line.product_id and not line.display_type)
            # A product may sit on several lines: judge the order's total of it.
            totals = defaultdict(float)
            for line in order_lines:
                totals[line.product_id] += line.product_uom._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id, round=False
                )
            for product, quantity in totals.items():
                stats = self._channel_anomaly_threshold(history.get((order.channel_dealer_id.id, product.id), []))
                if not stats:
                    continue
                mean, sigma, threshold = stats
                rounding = product.uom_id.rounding or 0.01
                if float_compare(quantity, threshold, precision_rounding=rounding) <= 0:
                    continue
                note = _(
                    "%(product)s: %(qty)s ordered, usual %(mean)s (σ %(sigma)s over %(count)s orders in 12 months), "
                    "limit %(limit)s.",
                    product=product.display_name,
                    qty=order_lines[:1]._channel_format_qty(quantity),
                    mean=order_lines[:1]._channel_format_qty(mean),
                    sigma=order_lines[:1]._channel_format_qty(sigma),
                    count=len(history[order.channel_dealer_id.id, product.id]),
                    limit=order_lines[:1]._channel_format_qty(threshold),
                )
                notes.append(note)
                order_lines.filtered(lambda line, p=product: line.product_id == p).channel_anomaly_note = note
            if notes:
                order.write({"channel_anomaly": True, "channel_anomaly_note": "\n".join(notes)})
                order.message_post(
                    body=Markup("%s<br/>%s")
                    % (
                        _("Abnormal quantities: a channel manager must approve this order."),
                        Markup("<br/>").join(escape(note) for note in notes),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            elif order.channel_anomaly:
                order.write({"channel_anomaly": False, "channel_anomaly_note": False})

    def _channel_anomaly_responsible(self):
        """Who follows up an abnormal order: the territory manager, else the salesperson."""
        self.ensure_one()
        dealer = self.channel_dealer_id.sudo()
        return dealer.channel_territory_id.manager_id or self.user_id or dealer.user_id

    def _channel_schedule_anomaly_activities(self):
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("sale.order")
        today = fields.Date.context_today(self)
        vals_list = []
        for order in self:
            user = order._channel_anomaly_responsible()
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": todo.id if todo else False,
                    "summary": _("Abnormal order quantities of %s", order.channel_dealer_id.name),
                    "note": escape(order.channel_anomaly_note or ""),
                    "date_deadline": today,
                    "user_id": user.id,
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)

    # ------------------------------------------------------------------
    # Suggested orders
    # ------------------------------------------------------------------
    def _channel_suggestion_title(self):
        """ "Your suggested order for Tuesday 3 March", in the reader's language."""
        self.ensure_one()
        # The date pattern is translatable: "EEEE d MMMM" gives "Tuesday 3 March".
        pattern = _("EEEE d MMMM")
        return _("Your suggested order for %s", format_date(self.env, self.channel_route_date, date_format=pattern))

    def action_channel_refresh_suggestion(self):
        """Prepare the suggestion of these orders again (drafts only; submitted orders are left alone)."""
        self.env["res.users"]._channel_check_internal_caller()
        for (route, route_date), orders in (
            self.filtered(lambda o: o.channel_suggested and o.channel_route_id and o.channel_route_date)
            .grouped(lambda o: (o.channel_route_id, o.channel_route_date))
            .items()
        ):
            route._prepare_suggested_orders(route_date, partners=orders.channel_dealer_id)
        return True
