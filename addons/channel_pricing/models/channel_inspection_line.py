from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .channel_price_floor import FLOOR_TYPES


class ChannelInspectionLine(models.Model):
    _name = "channel.inspection.line"
    _description = "Market Inspection Line"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one("channel.inspection", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(related="inspection_id.state")
    product_id = fields.Many2one("product.product", string="Product", required=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial Number", index=True,
        domain="[('product_id', '=', product_id)]",
        help="Lot or serial number read on the goods: traces to whom they were delivered.",
    )
    observed_price = fields.Monetary(required=True)
    currency_id = fields.Many2one(related="inspection_id.currency_id")
    floor_type = fields.Selection(FLOOR_TYPES, required=True, default="retail")
    floor_id = fields.Many2one("channel.price.floor", string="Applied Floor", readonly=True, copy=False)
    floor_price = fields.Monetary(readonly=True, copy=False)
    delivered_partner_id = fields.Many2one(
        "res.partner", string="Delivered To", readonly=True, copy=False,
        help="The channel partner the manufacturer delivered this lot to.",
    )
    note = fields.Char()
    violation_ids = fields.One2many("channel.violation", "inspection_line_id", string="Violations")

    @api.constrains("observed_price")
    def _check_observed_price(self):
        for line in self:
            if line.observed_price < 0:
                raise ValidationError(
                    self.env._("The observed price of %s cannot be negative.", line.product_id.display_name)
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for line in self:
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._("The lot %(lot)s is not a lot of %(product)s.",
                      lot=line.lot_id.name, product=line.product_id.display_name)
                )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _get_lot_recipients(self):
        """{lot_id: channel partners} the manufacturer delivered each lot to, the latest first.

        Reads the done outgoing stock move lines of all lots at once; a partner is the commercial
        partner of the delivery, kept when it is a channel member.
        """
        lots = self.lot_id
        if not lots:
            return {}
        move_lines = self.env["stock.move.line"].sudo().search(
            [
                ("lot_id", "in", lots.ids),
                ("state", "=", "done"),
                ("picking_code", "=", "outgoing"),
                ("location_dest_id.usage", "=", "customer"),
            ],
            order="date desc, id desc",
        )
        recipients = {}
        for move_line in move_lines:
            partner = (move_line.picking_partner_id or move_line.move_id.partner_id).commercial_partner_id
            if partner.channel_role:
                known = recipients.setdefault(move_line.lot_id.id, partner.browse())
                if partner not in known:
                    recipients[move_line.lot_id.id] = known | partner
        return recipients

    @api.model
    def _pick_recipient(self, recipients, territory):
        """The recipient answerable for goods found in ``territory``: one whose territory covers it
        (the goods may be its own), else the latest recipient."""
        covering = recipients.filtered(
            lambda p: p.channel_territory_id and p.channel_territory_id._covers(territory)
        )
        return covering[:1] or recipients[:1]

    def _prepare_violations(self):
        """Values of the violations found on these lines (price and cross-territory)."""
        recipients = self._get_lot_recipients()
        Floor = self.env["channel.price.floor"]
        Partner = self.env["res.partner"]
        vals_list = []
        line_updates = {}
        for inspection in self.inspection_id:
            lines = self.filtered(lambda ln, i=inspection: ln.inspection_id == i)
            outlet_dealer = inspection.partner_id.commercial_partner_id.channel_dealer_id
            delivered_to = {
                line: self._pick_recipient(recipients.get(line.lot_id.id, Partner), inspection.territory_id)
                for line in lines
            }
            groups = {}
            for line in lines:
                offender = delivered_to[line] or outlet_dealer
                groups.setdefault((line.floor_type, offender), self.browse())
                groups[(line.floor_type, offender)] |= line
            for (floor_type, offender), group in groups.items():
                floors = Floor._get_applicable_floors(
                    group.product_id, floor_type, inspection.date, inspection.territory_id, offender or None
                )
                for line in group:
                    delivered = delivered_to[line]
                    floor = floors.get(line.product_id.id, Floor)
                    floor_price = floor._get_min_price_in(
                        inspection.currency_id, inspection.date, inspection.company_id
                    ) if floor else 0.0
                    line_updates[line] = {
                        "floor_id": floor.id,
                        "floor_price": floor_price,
                        "delivered_partner_id": delivered.id,
                    }
                    if floor and inspection.currency_id.compare_amounts(line.observed_price, floor_price) < 0:
                        vals_list.append(line._prepare_violation_vals("price", offender, floor_price))
                    territory = delivered.channel_territory_id
                    if delivered and territory and not territory._covers(inspection.territory_id):
                        vals_list.append(line._prepare_violation_vals("cross_territory", delivered, floor_price))
        for line, vals in line_updates.items():
            line.write(vals)
        return vals_list

    def _prepare_violation_vals(self, violation_type, offender, floor_price):
        self.ensure_one()
        inspection = self.inspection_id
        return {
            "violation_type": violation_type,
            "partner_id": offender.id,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "territory_id": inspection.territory_id.id,
            "inspection_line_id": self.id,
            "date": inspection.date,
            "observed_price": self.observed_price,
            "floor_price": floor_price if violation_type == "price" else 0.0,
            "company_id": inspection.company_id.id,
            "attachment_ids": [fields.Command.set(inspection.photo_ids.ids)],
        }
