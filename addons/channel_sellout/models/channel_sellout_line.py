from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class ChannelSelloutLine(models.Model):
    _name = "channel.sellout.line"
    _description = "Sell-out Order Line"
    _inherit = ["channel.portal.guard.mixin"]
    _order = "order_id, id"

    order_id = fields.Many2one("channel.sellout.order", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", string="Product", required=True, index=True)
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    price_unit = fields.Monetary(string="Unit Price", required=True)
    price_subtotal = fields.Monetary(string="Subtotal", compute="_compute_price_subtotal", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    seller_id = fields.Many2one(related="order_id.seller_id", store=True, index=True, string="Dealer")
    buyer_id = fields.Many2one(related="order_id.buyer_id", store=True, index=True, string="Buyer")
    date_order = fields.Date(related="order_id.date_order", store=True, string="Order Date")
    state = fields.Selection(related="order_id.state", store=True, string="Status")
    violation_ids = fields.Many2many(
        "channel.violation", "channel_violation_sellout_line_rel", "line_id", "violation_id", string="Violations",
        readonly=True,
    )

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.constrains("quantity", "price_unit")
    def _check_amounts(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(self.env._("The quantity of %s must be positive.", line.product_id.display_name))
            if line.price_unit < 0:
                raise ValidationError(self.env._("The price of %s cannot be negative.", line.product_id.display_name))

    # ------------------------------------------------------------------
    # Violations found in the data
    # ------------------------------------------------------------------
    def _sellout_outside_territory(self):
        """True when the buyer's territory is not the seller's territory nor one of its descendants."""
        self.ensure_one()
        seller_territory = self.order_id.seller_id.channel_territory_id
        buyer_territory = self.order_id.buyer_id.channel_territory_id
        if not seller_territory or not buyer_territory:
            return False
        return not seller_territory._covers(buyer_territory)

    def _sellout_floors(self):
        """Distributor price floors that apply to these lines: {line id: minimum price}."""
        result = {}
        Floor = self.env["channel.price.floor"].sudo()
        by_key = defaultdict(lambda: self.browse())
        for line in self:
            by_key[line.order_id.seller_id, line.order_id.date_order, line.currency_id] |= line
        for (seller, day, currency), lines in by_key.items():
            floors = Floor._get_applicable_floors(lines.product_id, "distributor", date=day, partner=seller)
            for line in lines:
                floor = floors.get(line.product_id.id)
                if floor:
                    result[line.id] = floor._get_min_price_in(currency, date=day, company=line.order_id.company_id)
        return result

    def _sellout_violation_candidates(self):
        """{(type, seller id, product id, month start): {"lines": lines, "vals": values}} of these lines."""
        floors = self._sellout_floors()
        candidates = {}
        Order = self.env["channel.sellout.order"]
        for line in self:
            order = line.order_id
            month = Order._sellout_month_bounds(order.date_order)[0]
            found = []
            if line._sellout_outside_territory():
                found.append(("cross_territory", {"territory_id": order.buyer_id.channel_territory_id.id}))
            floor = floors.get(line.id)
            rounding = line.currency_id.rounding
            if floor is not None and float_compare(line.price_unit, floor, precision_rounding=rounding) < 0:
                found.append(("price", {
                    "territory_id": (order.buyer_id.channel_territory_id or order.seller_id.channel_territory_id).id,
                    "observed_price": line.price_unit,
                    "floor_price": floor,
                }))
            for violation_type, vals in found:
                if not vals.get("territory_id"):
                    continue
                key = (violation_type, order.seller_id.id, line.product_id.id, month)
                entry = candidates.setdefault(key, {"lines": self.browse(), "vals": dict(vals, date=order.date_order)})
                entry["lines"] |= line
                if violation_type == "price":
                    entry["vals"]["observed_price"] = min(entry["vals"]["observed_price"], line.price_unit)
        return candidates

    def _sellout_create_violations(self):
        """Open draft violations for delivered lines sold outside the dealer's territory or below the
        distributor floor, one per type, dealer, product and month: an open violation of the same key
        gets the new lines as evidence instead of a new violation."""
        lines = self.sudo()
        candidates = lines._sellout_violation_candidates()
        if not candidates:
            return self.env["channel.violation"]
        Violation = self.env["channel.violation"].sudo()
        months = [key[3] for key in candidates]
        existing = Violation.search([
            ("violation_type", "in", list({key[0] for key in candidates})),
            ("partner_id", "in", list({key[1] for key in candidates})),
            ("product_id", "in", list({key[2] for key in candidates})),
            ("date", ">=", min(months)),
            ("date", "<", max(months) + relativedelta(months=1)),
            ("state", "in", ("draft", "confirmed")),
        ])
        by_key = {}
        Order = self.env["channel.sellout.order"]
        for violation in existing:
            key = (violation.violation_type, violation.partner_id.id, violation.product_id.id,
                   Order._sellout_month_bounds(violation.date)[0])
            by_key.setdefault(key, violation)
        new_vals = []
        for key, entry in candidates.items():
            violation = by_key.get(key)
            if violation:
                violation.write({"sellout_line_ids": [(4, line.id) for line in entry["lines"]]})
                continue
            violation_type, seller_id, product_id, _month = key
            new_vals.append(dict(
                entry["vals"],
                violation_type=violation_type,
                partner_id=seller_id,
                product_id=product_id,
                company_id=entry["lines"][:1].order_id.company_id.id,
                sellout_line_ids=[(6, 0, entry["lines"].ids)],
                description=lines._sellout_violation_description(violation_type, entry["lines"]),
            ))
        created = Violation.create(new_vals) if new_vals else Violation
        return created

    def _sellout_violation_description(self, violation_type, lines):
        if violation_type == "cross_territory":
            text = self.env._("Found in the sell-out data: sold outside the dealer's territory to %s.",
                     ", ".join(sorted(set(lines.order_id.buyer_id.mapped("display_name")))))
        else:
            text = self.env._("Found in the sell-out data: resold below the distributor floor in %s.",
                     ", ".join(lines.order_id.mapped("name")))
        return text
