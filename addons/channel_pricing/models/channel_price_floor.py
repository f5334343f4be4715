from odoo import api, fields, models
from odoo.exceptions import ValidationError

FLOOR_TYPES = [
    ("distributor", "Distributor Floor"),
    ("retail", "Retail Floor"),
]


class ChannelPriceFloor(models.Model):
    _name = "channel.price.floor"
    _description = "Channel Price Floor"
    _inherit = ["mail.thread", "channel.scope.mixin"]
    _order = "floor_type, product_id, categ_id, date_from desc, id"

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    product_id = fields.Many2one("product.product", string="Product", index=True, tracking=True)
    categ_id = fields.Many2one("product.category", string="Product Category", index=True, tracking=True)
    floor_type = fields.Selection(
        FLOOR_TYPES,
        required=True,
        default="retail",
        tracking=True,
        help="Distributor floor: lowest price a dealer may sell at to a sub-distributor. "
        "Retail floor: lowest shelf price.",
    )
    min_price = fields.Monetary(string="Minimum Price", required=True, tracking=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    date_from = fields.Date(string="Valid From", tracking=True)
    date_to = fields.Date(string="Valid Until", tracking=True)
    tier_ids = fields.Many2many(
        "channel.tier", string="Tiers", help="Only for partners of these tiers (all tiers when empty)."
    )
    territory_ids = fields.Many2many(
        "channel.territory",
        string="Territories",
        help="Only in these territories and their sub-territories (everywhere when empty).",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Partners",
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
        help="Only for these channel partners (every partner matching the tiers and territories when empty).",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    note = fields.Char()

    @api.depends("product_id", "categ_id", "floor_type")
    def _compute_name(self):
        types = dict(self._fields["floor_type"]._description_selection(self.env))
        for floor in self:
            target = floor.product_id.display_name or floor.categ_id.display_name or ""
            floor.name = f"{types.get(floor.floor_type, '')}: {target}"

    @api.constrains("product_id", "categ_id", "floor_type", "min_price")
    def _check_target(self):
        for floor in self:
            if bool(floor.product_id) == bool(floor.categ_id):
                raise ValidationError(
                    self.env._(
                        "A price floor applies to exactly one product or one product category, not both or neither."
                    )
                )

    @api.constrains("min_price")
    def _check_min_price(self):
        for floor in self:
            if floor.min_price <= 0:
                raise ValidationError(
                    self.env._("The minimum price of a price floor must be positive (%s).", floor.name)
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for floor in self:
            if floor.date_from and floor.date_to and floor.date_to < floor.date_from:
                raise ValidationError(
                    self.env._("The price floor %s ends before it starts.", floor.name)
                )

    # ------------------------------------------------------------------
    # Lookup
    # ------------------------------------------------------------------
    @api.model
    def _get_applicable_floor(self, product, floor_type, date=None, territory=None, partner=None):
        """The floor that applies to one product; see :meth:`_get_applicable_floors`."""
        return self._get_applicable_floors(product, floor_type, date, territory, partner).get(product.id, self.browse())

    @api.model
    def _get_applicable_floors(self, products, floor_type, date=None, territory=None, partner=None):
        """The applicable floor per product: {product_id: channel.price.floor}.

        Candidates are active floors of ``floor_type`` valid at ``date``, whose tiers (if any)
        contain the partner's tier and whose territories (if any) cover ``territory`` (default the
        partner's territory) and whose partners (if any) include the partner (see
        ``channel.scope.mixin``). Precedence: a product floor beats a category floor, the nearest
        parent category first; then a floor for listed partners beats the others; then a
        territory-specific floor beats a general one (the deepest territory first); then a
        tier-specific floor beats a general one; then the latest start.
        """
        date = date or fields.Date.context_today(self)
        partner = partner and partner.commercial_partner_id
        territory = territory or (partner and partner.channel_territory_id) or self.env["channel.territory"]
        tier = partner.channel_tier_id if partner else self.env["channel.tier"]
        categories = products.categ_id
        category_ids = {int(cid) for categ in categories for cid in categ.parent_path.split("/") if cid}
        floors = self.search([
            ("floor_type", "=", floor_type),
            ("company_id", "in", [False, self.env.company.id]),
            "|", ("date_from", "=", False), ("date_from", "<=", date),
            "|", ("date_to", "=", False), ("date_to", ">=", date),
            "|", ("product_id", "in", products.ids), ("categ_id", "in", list(category_ids)),
        ])
        floors = floors.filtered(lambda f: f._channel_scope_matches(tier, territory, partner))
        by_product, by_categ = {}, {}
        for floor in floors:
            key = floor.product_id.id or floor.categ_id.id
            target = by_product if floor.product_id else by_categ
            target.setdefault(key, []).append(floor)
        result = {}
        for product in products:
            candidates = by_product.get(product.id)
            if not candidates:
                ancestors = [int(cid) for cid in product.categ_id.parent_path.split("/") if cid]
                candidates = next((by_categ[cid] for cid in reversed(ancestors) if cid in by_categ), None)
            if candidates:
                result[product.id] = min(candidates, key=lambda f: f._precedence_key(territory))
        return result

    def _precedence_key(self, territory):
        """Sort key among floors of the same target: smaller wins."""
        self.ensure_one()
        depth = 0
        if self.territory_ids and territory:
            depth = max(
                (t.parent_path.count("/") for t in self.territory_ids if t._covers(territory)), default=0
            )
        return (
            0 if self.partner_ids else 1,
            0 if self.territory_ids else 1,
            -depth,
            0 if self.tier_ids else 1,
            -(self.date_from or fields.Date.to_date("1970-01-01")).toordinal(),
            -self.id,
        )

    def _get_min_price_in(self, currency, date=None, company=None):
        """The floor's minimum price converted to ``currency``."""
        self.ensure_one()
        company = company or self.env.company
        return self.currency_id._convert(self.min_price, currency, company, date or fields.Date.context_today(self))
