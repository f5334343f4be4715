import calendar
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round

LEVELS = [("territory", "Territory"), ("dealer", "Dealer"), ("distributor", "Distributor")]


def split_total(total, weights, digits):
    """``total`` split in proportion to ``weights``, rounded to ``digits``; the parts sum exactly to
    ``total``: the rounding remainder goes to the largest part (the first one on a tie). Without
    any positive weight the split is equal."""
    weights = [max(weight or 0.0, 0.0) for weight in weights]
    if not weights:
        return []
    if not sum(weights):
        weights = [1.0] * len(weights)
    total_weight = sum(weights)
    parts = [float_round(total * weight / total_weight, precision_digits=digits) for weight in weights]
    largest = max(range(len(weights)), key=lambda index: (weights[index], -index))
    parts[largest] = float_round(total - sum(parts) + parts[largest], precision_digits=digits)
    return parts


class ChannelTarget(models.Model):
    _name = "channel.target"
    _description = "Channel Sales Target"
    _inherit = ["mail.thread"]
    _parent_name = "parent_id"
    _parent_store = True
    _order = "year desc, territory_id, level_sequence, partner_id, month, id"
    _rec_names_search = ["territory_id", "partner_id"]

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    territory_id = fields.Many2one("channel.territory", string="Territory", required=True, index=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        index=True,
        tracking=True,
        domain=lambda self: [
            ("channel_role", "in", ("dealer", "distributor")),
            *self.env["res.partner"]._channel_entity_domain(),
        ],
        help="Empty on the territory's node; a dealer below it, then the dealer's distributors.",
    )
    parent_id = fields.Many2one("channel.target", string="Parent Target", index=True, ondelete="cascade")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("channel.target", "parent_id", string="Partner Targets",
                                domain=[("period_type", "=", "year")])
    month_ids = fields.One2many("channel.target", "parent_id", string="Monthly Targets",
                                domain=[("period_type", "=", "month")])
    year = fields.Integer(required=True, index=True, default=lambda self: fields.Date.context_today(self).year,
                          tracking=True)
    month = fields.Integer(index=True, help="1-12 on a monthly node; empty on a yearly node.")
    period_type = fields.Selection([("year", "Year"), ("month", "Month")], compute="_compute_period",
                                   store=True, index=True)
    date_from = fields.Date(compute="_compute_period", store=True)
    date_to = fields.Date(compute="_compute_period", store=True)
    categ_id = fields.Many2one("product.category", string="Product Category", index=True,
                               help="Leave empty for a target on every product.")
    level = fields.Selection(LEVELS, compute="_compute_level", store=True, index=True)
    level_sequence = fields.Integer(compute="_compute_level", store=True)
    target_amount = fields.Monetary(string="Target Amount", tracking=True)
    target_qty = fields.Float(string="Target Quantity", digits="Product Unit of Measure", tracking=True)
    achieved_amount = fields.Monetary(string="Achieved Amount", readonly=True)
    achieved_qty = fields.Float(string="Achieved Quantity", digits="Product Unit of Measure", readonly=True)
    achievement_rate = fields.Float(string="Achievement (%)", compute="_compute_achievement", store=True,
                                    digits=(16, 1), aggregator="avg")
    remaining_qty = fields.Float(string="Remaining Quantity", compute="_compute_achievement", store=True,
                                 digits="Product Unit of Measure")
    progress_date = fields.Datetime(string="Progress Updated", readonly=True)
    note = fields.Text()

    _sql_constraints = [
        ("month_range", "CHECK(month IS NULL OR (month >= 0 AND month <= 12))", "A month is between 1 and 12."),
        ("target_positive", "CHECK(target_amount >= 0 AND target_qty >= 0)", "Targets cannot be negative."),
    ]

    @api.depends("year", "month")
    def _compute_period(self):
        for node in self:
            if not node.year:
                node.period_type = "month" if node.month else "year"
                node.date_from = node.date_to = False
            elif node.month:
                node.period_type = "month"
                node.date_from = date(node.year, node.month, 1)
                node.date_to = date(node.year, node.month, calendar.monthrange(node.year, node.month)[1])
            else:
                node.period_type = "year"
                node.date_from = date(node.year, 1, 1)
                node.date_to = date(node.year, 12, 31)

    @api.depends("partner_id.channel_role")
    def _compute_level(self):
        for node in self:
            if not node.partner_id:
                node.level, node.level_sequence = "territory", 1
            elif node.partner_id.channel_role == "distributor":
                node.level, node.level_sequence = "distributor", 3
            else:
                node.level, node.level_sequence = "dealer", 2

    @api.depends("target_amount", "achieved_amount", "target_qty", "achieved_qty")
    def _compute_achievement(self):
        for node in self:
            if node.target_amount:
                node.achievement_rate = 100.0 * node.achieved_amount / node.target_amount
            elif node.target_qty:
                node.achievement_rate = 100.0 * node.achieved_qty / node.target_qty
            else:
                node.achievement_rate = 0.0
            node.remaining_qty = max(node.target_qty - node.achieved_qty, 0.0)

    @api.depends("territory_id", "partner_id", "year", "month", "categ_id")
    def _compute_display_name(self):
        for node in self:
            parts = [str(node.year or ""), node.partner_id.name or node.territory_id.display_name or ""]
            if node.categ_id:
                parts.append(node.categ_id.display_name)
            if node.month:
                parts.append(self.env._("month %s", node.month))
            node.display_name = " - ".join(part for part in parts if part)

    @api.constrains("parent_id", "year", "month", "partner_id", "territory_id", "categ_id")
    def _check_tree(self):
        for node in self:
            parent = node.parent_id
            if node.month and not 1 <= node.month <= 12:
                raise ValidationError(self.env._("A month is between 1 and 12."))
            if not parent:
                if node.month:
                    raise ValidationError(self.env._("A monthly target belongs to a yearly target."))
                if node.partner_id:
                    raise ValidationError(self.env._("A target tree starts at a territory: leave the partner empty."))
                if self.search_count([
                    ("id", "!=", node.id), ("parent_id", "=", False), ("territory_id", "=", node.territory_id.id),
                    ("year", "=", node.year), ("categ_id", "=", node.categ_id.id),
                    ("company_id", "=", node.company_id.id),
                ], limit=1):
                    raise ValidationError(self.env._(
                        "%s already has a target for this year and category.", node.territory_id.display_name
                    ))
                continue
            if parent.month:
                raise ValidationError(self.env._("A monthly target cannot be decomposed further."))
            if parent.year != node.year or parent.categ_id != node.categ_id:
                raise ValidationError(
                    self.env._("A target has the year and category of its parent (%s).", parent.display_name)
                )
            if not node.month and not node.partner_id:
                raise ValidationError(self.env._("Only the root of a territory has no partner."))
            if node.month and node.partner_id != parent.partner_id:
                raise ValidationError(self.env._("A monthly target has the partner of its yearly target."))

    # ------------------------------------------------------------------
    # Children sum exactly to their parent
    # ------------------------------------------------------------------
    def write(self, vals):
        if self.env.context.get("channel_target_balancing") or not {"target_amount", "target_qty"} & vals.keys():
            return super().write(vals)
        before = {node.id: (node.target_amount, node.target_qty) for node in self}
        result = super().write(vals)
        balancing = self.with_context(channel_target_balancing=True)
        for node in balancing:
            if node.parent_id and node.parent_id not in self:
                node._balance_siblings(*before[node.id])
            node._rescale_children()
        return result

    def _amount_digits(self):
        return self.currency_id.decimal_places or 2

    def _qty_digits(self):
        return self.env["decimal.precision"].precision_get("Product Unit of Measure")

    def _rescale_children(self):
        """Splits this node's targets over its partner children and over its months again, in
        proportion to their current targets, down the whole subtree."""
        for node in self:
            for children in (node.child_ids, node.month_ids):
                if not children:
                    continue
                amounts = split_total(node.target_amount, children.mapped("target_amount"), node._amount_digits())
                qties = split_total(node.target_qty, children.mapped("target_qty"), node._qty_digits())
                for child, amount, qty in zip(children, amounts, qties, strict=True):
                    if child.target_amount != amount or child.target_qty != qty:
                        child.write({"target_amount": amount, "target_qty": qty})
                        child._rescale_children()

    def _balance_siblings(self, old_amount, old_qty):
        """A node changed by hand: its largest sibling takes the difference, so the parent's total holds."""
        self.ensure_one()
        parent = self.parent_id
        siblings = (parent.month_ids if self.month else parent.child_ids) - self
        if not siblings:
            if (float_compare(self.target_amount, parent.target_amount, precision_digits=self._amount_digits())
                    or float_compare(self.target_qty, parent.target_qty, precision_digits=self._qty_digits())):
                raise ValidationError(self.env._(
                    "%s is the only part of its parent target: change the parent instead.", self.display_name
                ))
            return
        for field_name, old, digits in (("target_amount", old_amount, self._amount_digits()),
                                        ("target_qty", old_qty, self._qty_digits())):
            difference = float_round(old - self[field_name], precision_digits=digits)
            if not difference:
                continue
            sibling = max(siblings, key=lambda s, f=field_name: s[f])
            new_value = float_round(sibling[field_name] + difference, precision_digits=digits)
            if new_value < 0:
                raise ValidationError(self.env._(
                    "Children of %(parent)s must sum to it: %(sibling)s cannot take a difference of %(diff)s.",
                    parent=parent.display_name, sibling=sibling.display_name, diff=difference,
                ))
            sibling.write({field_name: new_value})
            sibling._rescale_children()

    # ------------------------------------------------------------------
    # Invoiced sales (one query for many scopes)
    # ------------------------------------------------------------------
    @api.model
    def _query_invoiced(self, scopes, by_territory=False, by_month=False):
        """Invoiced sales (posted customer invoices minus credit notes, by invoice date, untaxed in
        company currency; quantities in the lines' units) of many scopes in one query.

        :param scopes: list of dicts with ``key``, ``partner_id`` (the commercial partner invoiced) or,
            with ``by_territory``, ``territory_id`` (every partner of the territory and below it),
            ``date_from``, ``date_to``, ``categ_id`` (False = every product) and ``company_id``
        :return: {key: (amount, qty)} or, with ``by_month``, {(key, month): (amount, qty)}
        """
        if not scopes:
            return {}
        for model, names in (
            ("account.move", ["state", "move_type", "invoice_date", "commercial_partner_id", "company_id"]),
            ("account.move.line", ["move_id", "display_type", "balance", "quantity", "product_id"]),
            ("product.product", ["product_tmpl_id"]),
            ("product.template", ["categ_id"]),
            ("product.category", ["parent_path"]),
            ("res.partner", ["channel_territory_id"]),
            ("channel.territory", ["parent_path"]),
        ):
            self.env[model].flush_model(names)
        if by_territory:
            scope_join = SQL(
                """JOIN channel_territory nt ON nt.id = n.territory_id
                   JOIN res_partner rp ON rp.id = am.commercial_partner_id
                   JOIN channel_territory ct ON ct.id = rp.channel_territory_id
                    AND starts_with(ct.parent_path, nt.parent_path)"""
            )
        else:
            scope_join = SQL("AND am.commercial_partner_id = n.partner_id")
        month_select = SQL("EXTRACT(MONTH FROM am.invoice_date)::int") if by_month else SQL("0")
        query = SQL(
            """
            WITH nodes AS (
                SELECT *
                  FROM unnest(%(keys)s::int[], %(partners)s::int[], %(territories)s::int[],
                              %(starts)s::date[], %(ends)s::date[], %(categs)s::int[], %(companies)s::int[])
                    AS n(key, partner_id, territory_id, date_from, date_to, categ_id, company_id)
            )
            SELECT n.key, %(month_select)s AS month,
                   COALESCE(SUM(-aml.balance), 0),
                   COALESCE(SUM(CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END), 0)
              FROM nodes n
              JOIN account_move am
                ON am.state = 'posted'
               AND am.move_type IN ('out_invoice', 'out_refund')
               AND am.company_id = n.company_id
               AND am.invoice_date BETWEEN n.date_from AND n.date_to
               %(scope_join)s
              JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
              LEFT JOIN product_category nc ON nc.id = n.categ_id
              LEFT JOIN product_product pp ON pp.id = aml.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN product_category pc ON pc.id = pt.categ_id
             WHERE n.categ_id IS NULL OR starts_with(pc.parent_path, nc.parent_path)
             GROUP BY n.key, 2
            """,
            keys=[scope["key"] for scope in scopes],
            partners=[scope.get("partner_id") or None for scope in scopes],
            territories=[scope.get("territory_id") or None for scope in scopes],
            starts=[scope["date_from"] for scope in scopes],
            ends=[scope["date_to"] for scope in scopes],
            categs=[scope.get("categ_id") or None for scope in scopes],
            companies=[scope["company_id"] for scope in scopes],
            month_select=month_select,
            scope_join=scope_join,
        )
        self.env.cr.execute(query)
        if by_month:
            return {(key, month): (amount, qty) for key, month, amount, qty in self.env.cr.fetchall()}
        return {key: (amount, qty) for key, _month, amount, qty in self.env.cr.fetchall()}

    def _get_scope(self, key=None, date_from=None, date_to=None):
        self.ensure_one()
        return {
            "key": key if key is not None else self.id,
            "partner_id": self.partner_id.id,
            "territory_id": self.territory_id.id,
            "date_from": date_from or self.date_from,
            "date_to": date_to or self.date_to,
            "categ_id": self.categ_id.id,
            "company_id": self.company_id.id,
        }

    def _get_progress_values(self):
        """{node id: (achieved amount, achieved quantity)}, one query per level."""
        result = {}
        for level in ("territory", "dealer", "distributor"):
            nodes = self.filtered(lambda n, lv=level: n.level == lv)
            if nodes:
                result.update(self._query_invoiced([node._get_scope() for node in nodes],
                                                   by_territory=level == "territory"))
        return {node.id: result.get(node.id, (0.0, 0.0)) for node in self}

    def _update_progress(self):
        """Stores the achieved figures; only nodes whose figures changed are written one by one."""
        values = self._get_progress_values()
        for node in self:
            amount, qty = values[node.id]
            if node.currency_id.compare_amounts(node.achieved_amount, amount) or node.achieved_qty != qty:
                node.write({"achieved_amount": amount, "achieved_qty": qty})
        self.write({"progress_date": fields.Datetime.now()})
        return True

    def action_refresh_progress(self):
        nodes = self.search([("id", "child_of", self.ids)])
        nodes._update_progress()
        return True

    @api.model
    def _cron_update_progress(self, batch_size=2000):
        """Refreshes the progress of this year's targets (and of last year's in January), in batches."""
        today = fields.Date.context_today(self)
        years = [today.year] + ([today.year - 1] if today.month == 1 else [])
        nodes = self.search([("year", "in", years)])
        for start in range(0, len(nodes), batch_size):
            batch = nodes[start:start + batch_size]
            batch._update_progress()
            self.env["ir.cron"]._notify_progress(done=start + len(batch), remaining=len(nodes) - start - len(batch))
        return True

    # ------------------------------------------------------------------
    # Decomposition
    # ------------------------------------------------------------------
    def _get_child_partner_candidates(self):
        """The partners a yearly node is decomposed to: the active dealers of a territory node's
        territory (and below), the active distributors of a dealer node; none below a distributor."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        if self.level == "territory":
            return Partner.search([
                *Partner._channel_entity_domain(), ("channel_role", "=", "dealer"),
                ("channel_state", "=", "active"), ("channel_territory_id", "child_of", self.territory_id.id),
            ], order="name, id")
        if self.level == "dealer":
            return Partner.search([
                *Partner._channel_entity_domain(), ("channel_role", "=", "distributor"),
                ("channel_state", "=", "active"), ("channel_parent_id", "=", self.partner_id.id),
            ], order="name, id")
        return Partner

    def _last_year_bounds(self):
        return date(self.year - 1, 1, 1), date(self.year - 1, 12, 31)

    def _decompose_partners(self, method="share"):
        """Creates the partner children of these yearly nodes (dealers of a territory node,
        distributors of a dealer node) and returns them. ``share``: by last year's invoiced sales of
        each partner; ``equal``: equal parts. Existing partner children are replaced."""
        if method not in ("share", "equal"):
            raise UserError(self.env._("Unknown decomposition method %s.", method))
        vals_list = []
        for node in self:
            if node.month:
                raise UserError(
                    self.env._("A monthly target cannot be decomposed to partners (%s).", node.display_name)
                )
            partners = node._get_child_partner_candidates()
            if not partners:
                raise UserError(self.env._("%s has no active partner to decompose the target to.", node.display_name))
            amount_weights = qty_weights = [1.0] * len(partners)
            if method == "share":
                start, end = node._last_year_bounds()
                figures = self._query_invoiced([
                    dict(node._get_scope(key=partner.id, date_from=start, date_to=end), partner_id=partner.id)
                    for partner in partners
                ])
                amount_weights = [figures.get(partner.id, (0.0, 0.0))[0] for partner in partners]
                qty_weights = [figures.get(partner.id, (0.0, 0.0))[1] for partner in partners]
            amounts = split_total(node.target_amount, amount_weights, node._amount_digits())
            qties = split_total(node.target_qty, qty_weights, node._qty_digits())
            node.child_ids.unlink()
            for partner, amount, qty in zip(partners, amounts, qties, strict=True):
                vals_list.append(node._prepare_child_vals(partner, amount, qty))
        return self.with_context(channel_target_balancing=True).create(vals_list).with_env(self.env)

    def _prepare_child_vals(self, partner, amount, qty, month=0):
        self.ensure_one()
        return {
            "parent_id": self.id,
            "company_id": self.company_id.id,
            "territory_id": self.territory_id.id,
            "partner_id": partner.id,
            "year": self.year,
            "month": month,
            "categ_id": self.categ_id.id,
            "target_amount": amount,
            "target_qty": qty,
        }

    def _decompose_months(self, method="pattern"):
        """Creates the 12 monthly nodes of these yearly nodes and returns them. ``pattern``: last
        year's monthly pattern of the node's invoiced sales; ``equal``: twelve equal months. Existing
        monthly nodes are replaced."""
        if method not in ("pattern", "equal"):
            raise UserError(self.env._("Unknown decomposition method %s.", method))
        yearly = self.filtered(lambda n: not n.month)
        if yearly != self:
            raise UserError(self.env._("Only yearly targets are decomposed into months."))
        pattern = {}
        if method == "pattern":
            for level in ("territory", "dealer", "distributor"):
                nodes = yearly.filtered(lambda n, lv=level: n.level == lv)
                if nodes:
                    scopes = []
                    for node in nodes:
                        start, end = node._last_year_bounds()
                        scopes.append(node._get_scope(date_from=start, date_to=end))
                    pattern.update(self._query_invoiced(scopes, by_territory=level == "territory", by_month=True))
        vals_list = []
        for node in yearly:
            months = range(1, 13)
            amount_weights = [pattern.get((node.id, month), (0.0, 0.0))[0] for month in months]
            qty_weights = [pattern.get((node.id, month), (0.0, 0.0))[1] for month in months]
            amounts = split_total(node.target_amount, amount_weights, node._amount_digits())
            qties = split_total(node.target_qty, qty_weights, node._qty_digits())
            node.month_ids.unlink()
            for month, amount, qty in zip(months, amounts, qties, strict=True):
                vals_list.append(node._prepare_child_vals(node.partner_id, amount, qty, month=month))
        return self.with_context(channel_target_balancing=True).create(vals_list).with_env(self.env)

    # ------------------------------------------------------------------
    # Suggested-order cap
    # ------------------------------------------------------------------
    @api.model
    def _get_remaining_qty_caps(self, pairs, day):
        """{(dealer id, product id): quantity}: what remains of each dealer's quantity target of the
        month of ``day`` for the product's category (the most specific matching node)."""
        dealer_ids = list({dealer.id for dealer, _product in pairs})
        nodes = self.search([
            ("partner_id", "in", dealer_ids), ("level", "=", "dealer"), ("period_type", "=", "month"),
            ("year", "=", day.year), ("month", "=", day.month), ("target_qty", ">", 0),
        ])
        if not nodes:
            return {}
        progress = nodes._get_progress_values()
        by_dealer = defaultdict(list)
        for node in nodes:
            by_dealer[node.partner_id.id].append(node)
        caps = {}
        for dealer, product in pairs:
            best, best_depth = None, -1
            product_path = product.categ_id.parent_path or ""
            for node in by_dealer.get(dealer.id, []):
                node_path = node.categ_id.parent_path or ""
                if node.categ_id and not product_path.startswith(node_path):
                    continue
                depth = len(node_path)
                if depth > best_depth:
                    best, best_depth = node, depth
            if best:
                caps[dealer.id, product.id] = max(best.target_qty - progress[best.id][1], 0.0)
        return caps

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_decompose(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decompose Targets"),
            "res_model": "channel.target.decompose",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_view_children(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "channel.target",
            "view_mode": "list,pivot,graph,form",
            "domain": [("id", "child_of", self.id)],
        }
