from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_pricelist_manual = fields.Boolean(
        string="Manual Pricelist",
        help="Keep the pricelist set by hand: it no longer follows the dealer tier.",
    )
    channel_violation_ids = fields.One2many(
        "channel.violation", "partner_id", string="Channel Violations", groups="channel_base.group_channel_user"
    )
    channel_violation_count = fields.Integer(
        compute="_compute_channel_violation_count", groups="channel_base.group_channel_user"
    )

    def _compute_channel_violation_count(self):
        counts = dict(
            self.env["channel.violation"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.channel_violation_count = counts.get(partner.commercial_partner_id, 0)

    @api.model
    def _channel_commercial_fields(self):
        return super()._channel_commercial_fields() + ["channel_pricelist_manual"]

    # ------------------------------------------------------------------
    # Tier pricelist
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: p.channel_tier_id and not p.channel_pricelist_manual and p.commercial_partner_id == p
        )._channel_apply_tier_pricelist()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if "channel_tier_id" in vals or ("channel_pricelist_manual" in vals and not vals["channel_pricelist_manual"]):
            self.filtered(
                lambda p: not p.channel_pricelist_manual and p.commercial_partner_id == p
            )._channel_apply_tier_pricelist()
        return res

    def _channel_apply_tier_pricelist(self):
        """Set the pricelist of each partner to its tier's pricelist (one write per pricelist)."""
        by_pricelist = {}
        # tiers are configuration that the writing user (e.g. a portal signup) may not read
        for partner in self.sudo():
            pricelist = partner.channel_tier_id.pricelist_id
            if pricelist and partner.property_product_pricelist != pricelist:
                by_pricelist.setdefault(pricelist.id, []).append(partner.id)
        for pricelist_id, partner_ids in by_pricelist.items():
            self.browse(partner_ids).write({"property_product_pricelist": pricelist_id})
        return True

    # ------------------------------------------------------------------
    # Prices for channel partners
    # ------------------------------------------------------------------
    def _channel_price_get(self, products, quantity=1.0, date=None):
        """Prices of ``products`` for this (commercial) partner, all products at once.

        A remembered last price (tier with ``price_memory``) wins over the pricelist price.

        :param products: product.product recordset
        :param float quantity: quantity in each product's sales unit
        :param date: date or datetime of the pricing (default: now)
        :return: {product_id: {"price": float, "source": str, "order_line_id": int or False}}
            prices in the partner pricelist's currency, per the product's unit of measure
        """
        # Pricelist rules and tiers are read as superuser: portal users may not read them, and
        # only plain prices are returned. Callers pass the partner the user acts for.
        partner = self.commercial_partner_id.sudo()
        partner.ensure_one()
        products = products.sudo()
        date = date or fields.Datetime.now()
        pricelist = partner._channel_pricelist()
        currency = pricelist.currency_id or self.env.company.currency_id
        result = partner._channel_memory_price_get(products, date=date, currency=currency)
        remaining = products.filtered(lambda p: p.id not in result)
        if remaining:
            result.update(partner._channel_pricelist_price_get(remaining, quantity, date, pricelist, currency))
        return result

    def _channel_pricelist(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        if not self.env.cache.contains(partner, self._fields["property_product_pricelist"]):
            # What the computed field gives a partner with its own pricelist, without computing it
            # for every partner of the prefetch set (two pricelist searches for those without one).
            specific = partner.specific_property_product_pricelist
            if specific._get_partner_pricelist_multi_filter_hook():
                return specific
        return partner.property_product_pricelist

    def _channel_pricelist_price_get(self, products, quantity, date, pricelist, currency):
        """Pricelist prices of ``products`` through the pricelist's batch method."""
        self.ensure_one()
        prices = pricelist._get_products_price(products, quantity, currency=currency, date=date)
        source = self._channel_pricelist_label(pricelist)
        return {
            product.id: {"price": prices.get(product.id, 0.0), "source": source, "order_line_id": False}
            for product in products
        }

    def _channel_pricelist_label(self, pricelist):
        """Human label of a price taken from ``pricelist`` for this partner."""
        partner = self.commercial_partner_id.sudo()
        if pricelist and pricelist == partner.channel_tier_id.pricelist_id:
            return self.env._("tier pricelist")
        if pricelist:
            return self.env._("pricelist %s", pricelist.display_name)
        return self.env._("sales price")

    def _channel_memory_price_get(self, products, date=None, currency=None, uoms=None, exclude_order_ids=None):
        """Remembered last prices of ``products`` for this partner, read with one query.

        The latest line of a confirmed order (``state = 'sale'``) of the same commercial partner,
        product, company and currency, dated within the tier's ``price_memory_days``, gives the net
        unit price ``price_unit × (1 − discount / 100)``, converted to the wanted unit of measure
        (``uoms``: {product_id: uom.uom}, default the product's sales unit).

        :return: {product_id: {"price", "source", "order_line_id"}} for the remembered products only
        """
        partner = self.commercial_partner_id
        partner.ensure_one()
        tier = partner.channel_tier_id
        if not products or not tier.price_memory or tier.price_memory_days <= 0:
            return {}
        date = fields.Datetime.to_datetime(date or fields.Datetime.now())
        currency = currency or self.env.company.currency_id
        uoms = uoms or {}
        rows = partner._channel_memory_rows(
            products.ids,
            date - timedelta(days=tier.price_memory_days),
            date,
            currency.id,
            self.env.company.id,
            exclude_order_ids or [],
        )
        rows = {row["product_id"]: row for row in rows}
        Uom = self.env["uom.uom"]
        result = {}
        for product in products:
            row = rows.get(product.id)
            if not row:
                continue
            price = row["price_unit"] * (1.0 - (row["discount"] or 0.0) / 100.0)
            price = self._channel_convert_memory_price(
                price, Uom.browse(row["product_uom"]), uoms.get(product.id) or product.uom_id, product
            )
            result[product.id] = {
                "price": currency.round(price),
                "source": self.env._(
                    "last price of %(order)s, %(date)s",
                    order=row["order_name"],
                    date=fields.Date.to_string(row["date_order"].date()),
                ),
                "order_line_id": row["line_id"],
            }
        known = self.env.context.get("channel_memory_known")
        if known is not None:
            # Shared with the order lines created next in the same operation (see
            # sale.order.line._compute_channel_memory_line_id): the lookup is not made twice.
            key = partner._channel_memory_known_key(currency, self.env.company, date, exclude_order_ids or ())
            known.setdefault(key, {}).update(
                {product.id: result.get(product.id, {}).get("order_line_id") or False for product in products}
            )
        return result

    def _channel_memory_known_key(self, currency, company, date, exclude_order_ids):
        """Key of the remembered lines looked up with these arguments in a ``channel_memory_known`` dict
        (context): {key: {product id: remembered line id or False}}."""
        self.ensure_one()
        return (self.id, currency.id, company.id, fields.Datetime.to_datetime(date), frozenset(exclude_order_ids))

    @api.model
    def _channel_convert_memory_price(self, price, from_uom, to_uom, product):
        """Convert a remembered unit price from ``from_uom`` to ``to_uom`` (same UoM category only)."""
        if not from_uom or not to_uom or from_uom == to_uom:
            return price
        if from_uom.category_id != to_uom.category_id:
            raise UserError(self.env._(
                "The last price of %(product)s is per %(from_uom)s and cannot be converted to %(to_uom)s.",
                product=product.display_name,
                from_uom=from_uom.name,
                to_uom=to_uom.name,
            ))
        return from_uom._compute_price(price, to_uom)

    def _channel_memory_rows(self, product_ids, date_from, date_to, currency_id, company_id, exclude_order_ids=()):
        """One query: the latest remembered order line per product of ``self``'s commercial partner."""
        # the whole model: the conditions hook may use any line field
        self.env["sale.order.line"].flush_model()
        conditions = SQL(" AND ").join(self.env["sale.order.line"]._channel_memory_conditions())
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order", "currency_id", "company_id", "name"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(SQL(
            """
            SELECT DISTINCT ON (line.product_id)
                   line.product_id, line.id AS line_id, line.price_unit, line.discount, line.product_uom,
                   so.name AS order_name, so.date_order
              FROM sale_order_line line
              JOIN sale_order so ON so.id = line.order_id
              JOIN res_partner customer ON customer.id = so.partner_id
             WHERE customer.commercial_partner_id = %(partner_id)s
               AND so.state = 'sale'
               AND so.date_order >= %(date_from)s
               AND so.date_order <= %(date_to)s
               AND so.currency_id = %(currency_id)s
               AND so.company_id = %(company_id)s
               AND line.product_id = ANY(%(product_ids)s)
               AND line.display_type IS NULL
               AND NOT COALESCE(line.is_downpayment, FALSE)
               AND line.product_uom_qty > 0
               AND so.id != ALL(%(exclude_order_ids)s)
               AND %(conditions)s
          ORDER BY line.product_id, so.date_order DESC, line.id DESC
            """,
            partner_id=self.commercial_partner_id.id,
            date_from=date_from,
            date_to=date_to,
            currency_id=currency_id,
            company_id=company_id,
            product_ids=list(product_ids),
            exclude_order_ids=list(exclude_order_ids),
            conditions=conditions,
        ))
        return self.env.cr.dictfetchall()

    # ------------------------------------------------------------------
    # Violations and penalties
    # ------------------------------------------------------------------
    def _channel_get_undeducted_violations(self):
        """Confirmed violations of the commercial partner whose penalty is not fully deducted yet."""
        return self.env["channel.violation"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("state", "=", "confirmed"),
                ("penalty_residual", ">", 0),
            ],
            order="date, id",
        )

    def action_view_channel_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_pricing.channel_violation_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
