import math
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round, format_date

# How far back route dates are searched for the history cycles.
MAX_BACK_DAYS = 3700


class ChannelDeliveryRoute(models.Model):
    _inherit = "channel.delivery.route"

    suggested_order_count = fields.Integer(compute="_compute_suggested_order_count", string="Suggested Orders")

    def _compute_suggested_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [
                    ("channel_route_id", "in", self.ids),
                    ("channel_suggested", "=", True),
                    ("channel_state", "=", "draft"),
                ],
                ["channel_route_id"],
                ["__count"],
            )
        )
        for route in self:
            route.suggested_order_count = counts.get(route, 0)

    # ------------------------------------------------------------------
    # Cycles
    # ------------------------------------------------------------------
    def _previous_dates(self, before, count):
        """The ``count`` route dates strictly before the date ``before``, newest first."""
        self.ensure_one()
        result = []
        day = before
        for _offset in range(MAX_BACK_DAYS):
            if len(result) >= count:
                break
            day -= timedelta(days=1)
            if self._is_route_date(day):
                result.append(day)
        return result

    def _suggest_cycles(self, route_date, count):
        """The last ``count`` complete delivery cycles before ``route_date``, oldest first.

        A cycle runs from one route date to the next (that next date excluded). A cycle is complete
        when it ended before ``route_date`` and not after today, so the cycle running while the
        suggestion is prepared is never used.
        """
        self.ensure_one()
        today = self._local_now().date()
        dates = self._previous_dates(min(route_date, today + timedelta(days=1)), count + 1)
        cycles = [(dates[i + 1], dates[i]) for i in range(len(dates) - 1)]
        return list(reversed(cycles))

    def _suggest_period(self, route_date):
        """The period a suggested order for ``route_date`` supplies: until the next route date."""
        self.ensure_one()
        following = self._next_dates(route_date, 1)
        return route_date, (following[0] if following else route_date + timedelta(days=7))

    def _suggest_dealers(self, partners=None):
        """The dealers of these routes that get suggestions (active or prospect, on the route)."""
        dealers = self.partner_ids.filtered(
            lambda p: p.channel_role == "dealer" and p.channel_state not in ("suspended", "terminated")
        )
        if partners is not None:
            dealers &= partners.commercial_partner_id
        return dealers

    # ------------------------------------------------------------------
    # History (one query each for the whole batch)
    # ------------------------------------------------------------------
    def _suggest_delivered_quantities(self, dealers, cycles_by_route):
        """Quantities delivered to each dealer per product and cycle, in the product's unit.

        :param cycles_by_route: {route: [(start date, end date), ...]}
        :return: {(dealer id, product id): {cycle index: quantity}}; returns are deducted.
        """
        route_ids, indexes, starts, ends = [], [], [], []
        for route, cycles in cycles_by_route.items():
            for index, (start, end) in enumerate(cycles):
                route_ids.append(route.id)
                indexes.append(index)
                starts.append(route._to_utc(datetime.combine(start, time.min)))
                ends.append(route._to_utc(datetime.combine(end, time.min)))
        result = defaultdict(dict)
        if not route_ids or not dealers:
            return result
        self.env["stock.move"].flush_model(
            [
                "state",
                "date",
                "quantity",
                "product_uom",
                "product_id",
                "sale_line_id",
                "location_id",
                "location_dest_id",
            ]
        )
        self.env["sale.order.line"].flush_model(["order_id"])
        self.env["sale.order"].flush_model(["channel_dealer_id"])
        self.env["res.partner"].flush_model(["channel_route_id"])
        query = SQL(
            """
            WITH cycles AS (
                SELECT *
                  FROM unnest(%(routes)s::int[], %(indexes)s::int[], %(starts)s::timestamp[], %(ends)s::timestamp[])
                    AS c(route_id, idx, date_start, date_end)
            ), moves AS MATERIALIZED (
                -- The dealers' done moves to or from customers in each cycle, found by date first
                -- (materialised: the planner would otherwise pair every order with every cycle first).
                SELECT so.channel_dealer_id AS dealer_id, sm.product_id, sm.product_uom, c.route_id, c.idx,
                       CASE WHEN dest.usage = 'customer' THEN sm.quantity ELSE -sm.quantity END AS qty
                  FROM stock_move sm
                  JOIN cycles c ON sm.date >= c.date_start AND sm.date < c.date_end
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                  JOIN sale_order_line sol ON sol.id = sm.sale_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE sm.state = 'done'
                   AND sm.date >= %(first_start)s AND sm.date < %(last_end)s
                   AND so.channel_dealer_id = ANY(%(dealers)s)
                   AND (dest.usage = 'customer') != (src.usage = 'customer')
            )
            -- Summed per move unit: the unit conversion runs in Python, once per group.
            SELECT sm.dealer_id, sm.product_id, sm.idx, sm.product_uom, SUM(sm.qty)
              FROM moves sm
              JOIN res_partner dealer ON dealer.id = sm.dealer_id AND dealer.channel_route_id = sm.route_id
          GROUP BY sm.dealer_id, sm.product_id, sm.idx, sm.product_uom
            """,
            routes=route_ids,
            indexes=indexes,
            starts=starts,
            ends=ends,
            first_start=min(starts),
            last_end=max(ends),
            dealers=dealers.ids,
        )
        rows = self.env.execute_query(query)
        factors = self._suggest_unit_factors({row[1] for row in rows}, {row[3] for row in rows})
        for dealer_id, product_id, index, uom_id, quantity in rows:
            quantity = quantity or 0.0
            if conversion := factors[product_id, uom_id]:
                quantity = quantity / conversion[0] * conversion[1]
            per_cycle = result[dealer_id, product_id]
            per_cycle[index] = per_cycle.get(index, 0.0) + quantity
        return result

    def _suggest_unit_factors(self, product_ids, uom_ids):
        """{(product id, unit id): (unit factor, product unit factor)} for these ids, None for the
        product's own unit: ``quantity / unit factor * product unit factor`` is in the product's unit,
        as ``uom.uom._compute_quantity`` converts it (without rounding)."""
        uom_factor = {uom.id: uom.factor for uom in self.env["uom.uom"].browse(uom_ids)}
        factors = {}
        for product in self.env["product.product"].browse(product_ids):
            product_uom = product.uom_id
            for uom_id, factor in uom_factor.items():
                factors[product.id, uom_id] = None if uom_id == product_uom.id else (factor, product_uom.factor)
        return factors

    def _suggest_open_quantities(self, dealers, products):
        """Confirmed, not yet delivered quantities per (dealer id, product id), in the product's unit."""
        if not dealers or not products:
            return {}
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "product_uom_qty", "qty_delivered", "product_uom", "display_type"]
        )
        self.env["sale.order"].flush_model(["state", "channel_dealer_id"])
        query = SQL(
            """
            SELECT so.channel_dealer_id, sol.product_id,
                   SUM(GREATEST(sol.product_uom_qty - sol.qty_delivered, 0) / line_uom.factor * product_uom.factor)
              %(lines)s
               AND sol.product_uom_qty > sol.qty_delivered
          GROUP BY so.channel_dealer_id, sol.product_id
            """,
            lines=self.env["sale.order"]._channel_confirmed_lines_sql(dealers.ids, products.ids),
        )
        return {
            (dealer_id, product_id): quantity or 0.0
            for dealer_id, product_id, quantity in self.env.execute_query(query)
        }

    # ------------------------------------------------------------------
    # Target cap (hook)
    # ------------------------------------------------------------------
    @api.model
    def _get_suggested_target_cap(self, dealer, product, period):
        """What remains of the dealer's target for the product over ``period`` (a (date_from, date_to)
        tuple, the cycle the suggested order supplies), in the product's unit; None when no target
        applies. Override to plug targets in: the suggestion then never exceeds the returned quantity."""
        return None

    @api.model
    def _get_suggested_target_caps(self, pairs, period):
        """Target caps of many (dealer, product) pairs at once: {(dealer id, product id): quantity}.

        Pairs without a cap are left out. Override this one to read targets with one query."""
        caps = {}
        if type(self)._get_suggested_target_cap is ChannelDeliveryRoute._get_suggested_target_cap:
            # Not overridden: no pair has a cap (and a route day holds thousands of pairs).
            return caps
        for dealer, product in pairs:
            cap = self._get_suggested_target_cap(dealer, product, period)
            if cap is not None:
                caps[dealer.id, product.id] = cap
        return caps

    # ------------------------------------------------------------------
    # Rounding
    # ------------------------------------------------------------------
    @api.model
    def _suggest_rounding_step(self, product):
        """(step, packaging) a suggested quantity of ``product`` is a whole multiple of: its sale
        packaging, else its order multiple (1 for products sold in units); (0, empty) when only the
        unit's rounding applies."""
        packaging = self.env["res.partner"]._channel_sale_packaging(product)
        if packaging:
            return packaging.qty, packaging
        return max(product.channel_order_multiple or 0.0, 0.0), packaging

    @api.model
    def _suggest_round_up(self, product, quantity, rounding_step=None, rounding=None):
        """The smallest quantity ≥ ``quantity`` in whole sale packagings, else in whole order
        multiples, then in the unit's rounding. ``rounding_step``: ``_suggest_rounding_step(product)``
        and ``rounding``: the unit's rounding, when the caller has them already."""
        step, _packaging = rounding_step or self._suggest_rounding_step(product)
        if step:
            quantity = math.ceil(float_round(quantity / step, precision_digits=6)) * step
        return float_round(
            quantity, precision_rounding=rounding or product.uom_id.rounding or 0.01, rounding_method="UP"
        )

    @api.model
    def _suggest_round_down(self, product, quantity, rounding_step=None, rounding=None):
        """The largest quantity ≤ ``quantity`` in whole sale packagings, else in whole order multiples,
        else in the unit's rounding (``rounding_step`` and ``rounding`` as for ``_suggest_round_up``)."""
        step, _packaging = rounding_step or self._suggest_rounding_step(product)
        if step:
            return math.floor(float_round(quantity / step, precision_digits=6)) * step
        return float_round(
            quantity, precision_rounding=rounding or product.uom_id.rounding or 0.01, rounding_method="DOWN"
        )

    # ------------------------------------------------------------------
    # Suggested quantities
    # ------------------------------------------------------------------
    @api.model
    def _suggest_need(self, cycles, quantities, cycle_count, safety_pct, open_quantity, rounding, labels=None):
        """The forecast of one product for one buyer, from its quantities per cycle (a pure step).

        :param cycles: [(start date, end date excluded), ...] oldest first
        :param quantities: the quantity of each cycle (same order)
        :param labels: the cycles as [(first day, last day), ...] strings, when the caller formatted
            them once for many products
        :return: the figures (cycles, forecast, safety, open quantity, ``needed``) or None when
            nothing is needed
        """
        forecast = sum(quantities) / max(cycle_count, 1)
        with_safety = forecast * (1 + safety_pct / 100.0)
        needed = with_safety - open_quantity
        # float_compare(needed, 0) <= 0, with one rounding instead of three (once per dealer and product),
        # and none from one rounding step up (a quantity that large never rounds to zero)
        if needed <= 0 or (needed < rounding and float_is_zero(needed, precision_rounding=rounding)):
            return None
        if labels is None:
            labels = [
                (fields.Date.to_string(start), fields.Date.to_string(end - timedelta(days=1))) for start, end in cycles
            ]
        return {
            "cycles": [[start, end, quantity] for (start, end), quantity in zip(labels, quantities, strict=True)],
            "forecast": forecast,
            "safety_pct": safety_pct,
            "with_safety": with_safety,
            "open_qty": open_quantity,
            "needed": needed,
            "cap": None,
        }

    def _get_suggested_quantities(self, route_date, partners=None):
        """Suggested quantities of every dealer of these routes for ``route_date``.

        Reads the history of the whole batch with a fixed number of queries.
        :return: {dealer id: {product id: figures}} where figures holds the quantities per cycle,
            the forecast, safety stock, open quantity, target cap, rounding and ``suggested``.
        """
        route_date = fields.Date.to_date(route_date)
        dealers = self._suggest_dealers(partners)
        if not dealers:
            return {}
        cycles_by_route = {}
        for route in self:
            count = max(route.company_id.channel_forecast_cycles, 1)
            cycles_by_route[route] = route._suggest_cycles(route_date, count)
        delivered = self._suggest_delivered_quantities(dealers, cycles_by_route)
        Product = self.env["product.product"]
        products = Product.browse({product_id for _dealer_id, product_id in delivered}).filtered(
            lambda p: p.active and p.sale_ok
        )
        open_qty = self._suggest_open_quantities(dealers, products)
        dealers_by_id = {dealer.id: dealer for dealer in dealers}
        # Records taken from these recordsets share their prefetch: packagings and units are read once.
        products_by_id = {product.id: product for product in products}
        route_of = {dealer.id: dealer.channel_route_id for dealer in dealers}
        delivered_by_route = defaultdict(dict)
        for (dealer_id, product_id), per_cycle in delivered.items():
            if product_id in products_by_id:
                delivered_by_route[route_of[dealer_id]][dealer_id, product_id] = per_cycle
        result = defaultdict(dict)
        for route in self:
            if not delivered_by_route.get(route):
                continue
            figures = route._get_suggested_route_figures(
                route_date, cycles_by_route[route], delivered_by_route[route], open_qty, dealers_by_id, products_by_id
            )
            for (dealer_id, product_id), data in figures.items():
                result[dealer_id][product_id] = data
        return dict(result)

    def _get_suggested_route_figures(self, route_date, cycles, delivered, open_qty, dealers_by_id, products_by_id):
        """The suggestions of this route's dealers (a pure computation on the history read once).

        :param cycles: the route's past cycles, [(start date, end date excluded), ...] oldest first
        :param delivered: {(dealer id, product id): {cycle index: quantity}} of the route's dealers
        :param open_qty: {(dealer id, product id): quantity ordered and not delivered yet}
        :return: {(dealer id, product id): figures} of the products to suggest
        """
        self.ensure_one()
        company = self.company_id
        cycle_count = max(company.channel_forecast_cycles, 1)
        safety_pct = company.channel_safety_stock_pct
        # Cycle labels once per route, not once per dealer and product.
        labels = [
            (fields.Date.to_string(start), fields.Date.to_string(end - timedelta(days=1))) for start, end in cycles
        ]
        # The unit's rounding of each product once, not once per dealer.
        roundings = {}
        indexes = range(len(cycles))
        needs = {}
        for (dealer_id, product_id), per_cycle in delivered.items():
            if product_id not in roundings:
                roundings[product_id] = products_by_id[product_id].uom_id.rounding or 0.01
            quantities = [max(per_cycle.get(index, 0.0), 0.0) for index in indexes]
            data = self._suggest_need(
                cycles,
                quantities,
                cycle_count,
                safety_pct,
                open_qty.get((dealer_id, product_id), 0.0),
                roundings[product_id],
                labels=labels,
            )
            if data:
                needs[dealer_id, product_id] = data
        period = self._suggest_period(route_date)
        caps = self._get_suggested_target_caps([(dealers_by_id[d], products_by_id[p]) for d, p in needs], period)
        # The rounding step of each product once, not once per dealer.
        steps = {}
        figures = {}
        for (dealer_id, product_id), data in needs.items():
            cap = caps.get((dealer_id, product_id))
            product = products_by_id[product_id]
            if product_id not in steps:
                steps[product_id] = self._suggest_rounding_step(product)
            data = self._get_suggested_product_figures(
                product, data, cap, rounding_step=steps[product_id], rounding=roundings[product_id]
            )
            if data:
                figures[dealer_id, product_id] = data
        return figures

    def _get_suggested_product_figures(self, product, data, cap, rounding_step=None, rounding=None):
        """The suggestion of one product for one dealer from its need (see ``_suggest_need``): rounded
        up to the sale packaging or order multiple, kept under the target ``cap`` (None: no cap).
        ``rounding_step``: ``_suggest_rounding_step(product)`` and ``rounding``: the unit's rounding,
        when the caller has them already.

        :return: ``data`` completed with ``suggested`` and the rounding used, or None when nothing is
            left to suggest
        """
        self.ensure_one()
        rounding = rounding or product.uom_id.rounding or 0.01
        rounding_step = rounding_step or self._suggest_rounding_step(product)
        quantity = self._suggest_round_up(product, data["needed"], rounding_step=rounding_step, rounding=rounding)
        if cap is not None:
            data["cap"] = cap
            if float_compare(quantity, cap, precision_rounding=rounding) > 0:
                quantity = self._suggest_round_down(
                    product, max(cap, 0.0), rounding_step=rounding_step, rounding=rounding
                )
        # From one rounding step up, a quantity is neither zero nor negative: no rounding to look at.
        if quantity < rounding and (quantity < 0 or float_is_zero(quantity, precision_rounding=rounding)):
            return None
        step, packaging = rounding_step
        data.update(
            {
                "suggested": quantity,
                "packaging_name": packaging.name if packaging else False,
                "packaging_qty": packaging.qty if packaging else False,
                "order_multiple": step if step and not packaging else False,
            }
        )
        return data

    # ------------------------------------------------------------------
    # Suggested orders
    # ------------------------------------------------------------------
    def _prepare_suggested_order_vals(self, dealer, route_date, suggestion):
        self.ensure_one()
        return {
            "partner_id": dealer.id,
            "company_id": self.company_id.id,
            "warehouse_id": self.warehouse_id.id,
            "user_id": dealer.user_id.id or False,
            "channel_suggested": True,
            "channel_order_type": "regular",
            "channel_route_date": route_date,
            "commitment_date": self._commitment_datetime(route_date),
            "order_line": [
                Command.create(self._prepare_suggested_line_vals(product_id, data))
                for product_id, data in sorted(suggestion.items())
            ],
        }

    @api.model
    def _prepare_suggested_line_vals(self, product_id, data):
        return {
            "product_id": product_id,
            "product_uom_qty": data["suggested"],
            "channel_suggested_qty": data["suggested"],
            "channel_suggest_data": data,
        }

    @api.model
    def _suggest_add_prices(self, vals_list):
        """Put the dealers' channel prices in the line values of new suggested orders (one lookup per
        dealer and quantity break), so that the lines are not priced one by one from the pricelist when
        they are created. The lookup is ``_channel_apply_prices``'s (same grouping, on the order's date, which
        is set here), so the new orders need no repricing after the create."""
        Product = self.env["product.product"]
        now = fields.Datetime.now()
        breaks_by_pricelist = {}
        # Browsed together: the dealers' pricelists are computed in one batch, not dealer by dealer.
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list])
        for vals, partner in zip(vals_list, partners, strict=True):
            # Priced on the order's own date, which is set here.
            date = vals.setdefault("date_order", now)
            dealer = partner.commercial_partner_id
            pricelist = dealer._channel_pricelist()
            if pricelist not in breaks_by_pricelist:
                breaks_by_pricelist[pricelist] = self.env["sale.order"]._channel_quantity_breaks(pricelist)
            breaks = breaks_by_pricelist[pricelist]
            groups = defaultdict(list)
            for command in vals.get("order_line", ()):
                line = command[2]
                groups[tuple(b for b in breaks if line["product_uom_qty"] >= b)].append(line)
            for lines in groups.values():
                products = Product.browse([line["product_id"] for line in lines])
                prices = dealer._channel_price_get(products, quantity=lines[0]["product_uom_qty"], date=date)
                for line in lines:
                    info = prices.get(line["product_id"])
                    if info:
                        line.update(price_unit=info["price"], technical_price_unit=info["price"], discount=0.0)

    @api.model
    def _update_suggested_orders(self, suggestions_by_order):
        """Refresh draft suggested orders: {order: {product id: figures}}.

        Lines still at their suggested quantity follow the new suggestion (or go when nothing is
        suggested any more); lines the dealer edited keep their quantity; lines the dealer added stay.
        """
        Line = self.env["sale.order.line"]
        new_lines, to_delete = [], Line
        for order, suggestion in suggestions_by_order.items():
            remaining = dict(suggestion)
            for line in order.order_line.filtered(lambda line: line.product_id and not line.display_type):
                data = remaining.pop(line.product_id.id, None)
                rounding = line.product_uom.rounding or 0.01
                untouched = (
                    bool(line.channel_suggest_data)
                    and not float_compare(line.product_uom_qty, line.channel_suggested_qty, precision_rounding=rounding)
                    and line.product_uom == line.product_id.uom_id
                )
                if data is None:
                    if untouched:
                        to_delete |= line
                    elif line.channel_suggest_data:
                        line.write({"channel_suggest_data": False, "channel_suggested_qty": 0.0})
                    continue
                vals = {"channel_suggest_data": data, "channel_suggested_qty": data["suggested"]}
                if untouched:
                    vals["product_uom_qty"] = data["suggested"]
                line.write(vals)
            new_lines += [
                dict(self._prepare_suggested_line_vals(product_id, data), order_id=order.id)
                for product_id, data in sorted(remaining.items())
            ]
        to_delete.unlink()
        Line.create(new_lines)

    def _prepare_suggested_orders(self, route_date, partners=None, update=True, batch_size=500):
        """Prepare the suggested orders of all dealers of these routes for ``route_date``.

        One draft order per dealer (``channel_suggested``, regular, delivered on the route date).
        Running it again updates the dealer's draft for that date; an order already submitted is
        never touched. ``partners`` limits the run to some dealers; with ``update=False`` existing
        drafts are left as they are. Dealers are handled in batches of ``batch_size`` (committed one
        by one in the cron); a second preparation of the same route day started meanwhile stops with
        an "already running" error.
        :return: the suggested orders (created or updated)
        """
        route_date = fields.Date.to_date(route_date)
        SaleOrder = self.env["sale.order"]
        if not route_date:
            raise UserError(self.env._("Give the route date to prepare suggested orders for."))
        dealers = self._suggest_dealers(partners)
        if not dealers:
            return SaleOrder
        orders = self.env["channel.batch"]._run_batches(
            dealers,
            lambda batch: self._prepare_suggested_orders_batch(route_date, batch, update),
            batch_size=batch_size,
            lock=self._suggest_lock_names(route_date),
            label=self.env._("Preparing the suggested orders of %s", format_date(self.env, route_date)),
        )
        return orders if orders is not None else SaleOrder

    def _suggest_lock_names(self, route_date):
        """One lock per route and route date: two preparations of the same route day never run at once."""
        return [f"channel_orders.suggest:{route.id}:{fields.Date.to_string(route_date)}" for route in self]

    def _prepare_suggested_orders_batch(self, route_date, dealers, update=True):
        """Create or refresh the suggested orders of one batch of dealers (see _prepare_suggested_orders).

        Idempotent: a dealer has at most one suggested order per route date (unique index), so running
        a batch again refreshes its drafts and creates nothing twice."""
        suggestions = self._get_suggested_quantities(route_date, dealers)
        vals_list, to_update = self._get_suggested_order_plan(route_date, dealers, suggestions, update=update)
        refreshed = self._refresh_suggested_orders(to_update)
        refreshed._channel_apply_prices()
        # New orders are created with their channel prices (the same lookup on the order's date, see
        # _suggest_add_prices): repricing them again would find the same prices.
        return self._generate_suggested_orders(vals_list) | refreshed

    def _get_suggested_order_plan(self, route_date, dealers, suggestions, update=True):
        """What a preparation does, without writing anything: the values of the orders to create
        (dealers without a suggested order for ``route_date``) and {draft suggested order:
        suggestion} to refresh (only with ``update``). Dealers whose suggested order was submitted
        are left alone."""
        existing = self.env["sale.order"].search(
            [
                ("channel_suggested", "=", True),
                ("partner_id", "in", dealers.ids),
                ("channel_route_date", "=", route_date),
            ]
        )
        existing_by_dealer = existing.grouped("partner_id")
        vals_list, to_update = [], {}
        for dealer in dealers:
            suggestion = suggestions.get(dealer.id, {})
            orders = existing_by_dealer.get(dealer)
            if orders:
                draft = orders.filtered(lambda o: o.state in ("draft", "sent") and o.channel_state == "draft")[:1]
                if draft and update:
                    to_update[draft] = suggestion
                continue
            if suggestion:
                vals_list.append(dealer.channel_route_id._prepare_suggested_order_vals(dealer, route_date, suggestion))
        return vals_list, to_update

    @api.model
    def _refresh_suggested_orders(self, suggestions_by_order):
        """Refresh these draft suggested orders (see ``_update_suggested_orders``); those left without
        a line are deleted.

        :return: the orders kept"""
        SaleOrder = self.env["sale.order"]
        if not suggestions_by_order:
            return SaleOrder
        self._update_suggested_orders(suggestions_by_order)
        updated = SaleOrder.union(*suggestions_by_order)
        empty = updated.filtered(lambda order: not order.order_line)
        empty.unlink()
        return updated - empty

    @api.model
    def _generate_suggested_orders(self, vals_list):
        """Create the suggested orders of ``vals_list`` with the dealers' channel prices on their lines."""
        self._suggest_add_prices(vals_list)
        self._suggest_add_line_values(vals_list)
        return self.env["sale.order"].create(vals_list)

    @api.model
    def _suggest_add_line_values(self, vals_list):
        """Put in the line values of new suggested orders what Odoo would compute line by line when
        creating them and which is the same for every line of a product: description (per language),
        unit, taxes (when no fiscal position can apply), lead time, packaging (per quantity), no
        attribute values, and no analytic distribution when no distribution model exists. Each value
        is computed once per product the way the line computes it; lines of other kinds (combo
        products...) are left to Odoo."""
        Line = self.env["sale.order.line"]
        Product = self.env["product.product"]
        company_ids = {vals.get("company_id") or self.env.company.id for vals in vals_list}
        companies = self.env["res.company"].browse(sorted(company_ids))
        if "sale_order_template_id" in companies._fields and companies.sale_order_template_id:
            # A default quotation template may give the lines their descriptions.
            return
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list])
        products = Product.browse(
            sorted({command[2]["product_id"] for vals in vals_list for command in vals.get("order_line", ())})
        )
        products_by_id = {product.id: product for product in products}
        fiscal_positions = (
            self.env["account.fiscal.position"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("company_id", "in", companies.ids + companies.parent_ids.ids)], limit=1)
        )
        no_analytic = not self.env["account.analytic.distribution.model"].sudo().search_count([], limit=1)
        names, per_product, packagings = {}, {}, {}
        for vals, partner in zip(vals_list, partners, strict=True):
            company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
            lang = partner.lang if partner.lang and not partner.is_public else self.env.lang
            for command in vals.get("order_line", ()):
                line = command[2]
                product = products_by_id[line["product_id"]]
                if product.type == "combo" or line.get("display_type"):
                    continue
                key = (product.id, company.id)
                if key not in per_product:
                    per_product[key] = self._suggest_product_line_values(product, company, fiscal_positions)
                if (product.id, lang) not in names:
                    names[product.id, lang] = (
                        Line.with_context(lang=lang)
                        .new({"product_id": product.id})
                        ._get_sale_order_line_multiline_description_sale()
                    )
                values = dict(per_product[key], name=names[product.id, lang])
                quantity = line["product_uom_qty"]
                if (key, quantity) not in packagings:
                    packaging = product.packaging_ids.filtered(
                        lambda p, c=company: p.sales and (p.product_id.company_id <= p.company_id <= c)
                    )._find_suitable_product_packaging(quantity, product.uom_id)
                    packagings[key, quantity] = {
                        "product_packaging_id": packaging.id,
                        "product_packaging_qty": packaging._compute_qty(quantity, product.uom_id) if packaging else 0,
                    }
                values.update(packagings[key, quantity])
                if no_analytic:
                    values["analytic_distribution"] = False
                for fname, value in values.items():
                    line.setdefault(fname, value)

    @api.model
    def _suggest_product_line_values(self, product, company, fiscal_positions):
        """The values of a new order line of ``product`` that depend on the product and company only."""
        Line = self.env["sale.order.line"]
        values = {
            "product_uom": product.uom_id.id,
            "customer_lead": Line.new({"product_id": product.id}).customer_lead,
            "product_custom_attribute_value_ids": [],
            "product_no_variant_attribute_value_ids": [],
        }
        if not fiscal_positions:
            # No fiscal position maps them: the product's taxes of the company (Odoo's _compute_tax_id).
            taxes = product.with_company(company).taxes_id._filter_taxes_by_company(company)
            values["tax_id"] = [Command.set(taxes.ids)]
        return values

    @api.model
    def _cron_prepare_suggested_orders(self):
        """Prepare the suggested orders of the route dates coming within the preparation delay.

        Route dates exactly that many days ahead are (re)computed; nearer ones only get the
        suggestions still missing (a run may have been skipped). Batches are committed one by one.
        """
        self = self.with_context(**self.env["channel.batch"]._cron_context())
        routes = self.search([])
        batches = defaultdict(lambda: self.browse())
        for route in routes:
            today = route._local_now().date()
            days = max(route.company_id.channel_suggest_days_before, 0)
            for route_date in route._next_dates(today, days + 1):
                if route_date <= today + timedelta(days=days):
                    batches[route_date] |= route
        for route_date, batch in sorted(batches.items()):
            full = batch.filtered(
                lambda r, d=route_date: (
                    d == r._local_now().date() + timedelta(days=max(r.company_id.channel_suggest_days_before, 0))
                )
            )
            if full:
                full._prepare_suggested_orders(route_date)
            if batch - full:
                (batch - full)._prepare_suggested_orders(route_date, update=False)
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_prepare_suggested_orders(self):
        """Button: prepare (or refresh) the suggested orders of the next route date."""
        self.env["res.users"]._channel_check_internal_caller()
        self.ensure_one()
        route_date = self._next_dates(self._local_now().date(), 1)
        if not route_date:
            raise UserError(self.env._("Route %s has no coming route date.", self.name))
        orders = self._prepare_suggested_orders(route_date[0])
        return self._action_view_suggested(orders, route_date[0])

    def action_view_suggested_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_presale.sale_order_suggested_action")
        action["domain"] = [("channel_route_id", "=", self.id), ("channel_suggested", "=", True)]
        return action

    @api.model
    def _action_view_suggested(self, orders, route_date):
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_presale.sale_order_suggested_action")
        action["domain"] = [("id", "in", orders.ids)]
        if not orders:
            action["help"] = self.env._(
                "<p>Nothing to suggest for %s: no deliveries in the last cycles.</p>", route_date
            )
        if len(orders) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": orders.id})
        return action

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _demo_load_suggest_history(self, route_id, regular_id, spiky_id, product_ids):
        """Order and delivery history for the demo: a regular dealer (suggestion) and a dealer whose new
        order jumps (abnormal quantities)."""
        route = self.browse(route_id)
        regular, spiky = self.env["res.partner"].browse([regular_id, spiky_id])
        first, second = self.env["product.product"].browse(product_ids)[:2]
        SaleOrder = self.env["sale.order"]

        def order(partner, lines, when, deliver=False):
            sale = SaleOrder.create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
                }
            )
            sale.action_confirm()
            if deliver:
                for picking in sale.picking_ids:
                    for move in picking.move_ids:
                        move.quantity = move.product_uom_qty
                        move.picked = True
                    picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
                sale.picking_ids.move_ids.write({"date": when})
            sale.date_order = when
            return sale

        today = route._local_now().date()
        route_date = route._next_dates(today, 1)[0]
        for (start, _end), quantities in zip(
            route._suggest_cycles(route_date, 3), [(48, 30), (0, 36), (72, 24)], strict=False
        ):
            lines = [(product, qty) for product, qty in zip((first, second), quantities, strict=True) if qty]
            order(regular, lines, datetime.combine(start + timedelta(days=1), time(9, 0)), deliver=True)
        for days in (120, 75, 30):
            order(spiky, [(first, 24)], datetime.combine(today - timedelta(days=days), time(9, 0)))
        jump = SaleOrder.create(
            {
                "partner_id": spiky.id,
                "order_line": [Command.create({"product_id": first.id, "product_uom_qty": 240})],
            }
        )
        jump.action_channel_submit()
        route._prepare_suggested_orders(route_date)
        return True
