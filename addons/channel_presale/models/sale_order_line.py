from odoo import api, fields, models
from odoo.tools import format_date


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    channel_suggested_qty = fields.Float(
        string="Suggested Quantity",
        digits="Product Unit of Measure",
        copy=False,
        readonly=True,
        help="The quantity the suggestion computed (product unit). A line whose quantity still equals it "
        "is refreshed when the suggestion is prepared again; an edited line keeps its quantity.",
    )
    channel_suggest_data = fields.Json(
        string="Suggestion Figures",
        copy=False,
        readonly=True,
        help="Quantities per past cycle, forecast, safety stock, open quantity, target cap and rounding.",
    )
    channel_suggest_explanation = fields.Text(
        string="Why this quantity",
        compute="_compute_channel_suggest_explanation",
        help="How the suggested quantity of this line was computed.",
    )

    @api.depends("channel_suggest_data")
    @api.depends_context("lang")
    def _compute_channel_suggest_explanation(self):
        for line in self:
            data = line.channel_suggest_data
            line.channel_suggest_explanation = line._channel_format_suggestion(data) if data else False

    def _channel_format_suggestion(self, data):
        """The explanation of a suggested line, in the reader's language."""
        self.ensure_one()
        qty = self._channel_format_qty
        unit = self.product_id.uom_id.name or ""
        cycles = data.get("cycles") or []
        parts = []
        if cycles:
            per_cycle = ", ".join(
                self.env._(
                    "%(qty)s (%(start)s – %(end)s)",
                    qty=qty(cycle[2]),
                    start=format_date(self.env, cycle[0]),
                    end=format_date(self.env, cycle[1]),
                )
                for cycle in cycles
            )
            parts.append(self.env._("Delivered per cycle: %(cycles)s.", cycles=per_cycle))
        parts.append(
            self.env._(
                "Forecast %(forecast)s %(unit)s = %(total)s delivered / %(count)s cycles.",
                forecast=qty(data.get("forecast")),
                unit=unit,
                total=qty(sum(cycle[2] for cycle in cycles)),
                count=len(cycles),
            )
        )
        if data.get("safety_pct"):
            parts.append(
                self.env._(
                    "With %(pct)s %% safety stock: %(qty)s.",
                    pct=qty(data["safety_pct"]),
                    qty=qty(data.get("with_safety")),
                )
            )
        parts.append(
            self.env._(
                "Minus your open quantity (confirmed, not yet delivered) %(open)s: %(qty)s.",
                open=qty(data.get("open_qty")),
                qty=qty(data.get("needed")),
            )
        )
        if data.get("cap") is not None:
            parts.append(self.env._("Limited by what remains of your target: %(cap)s.", cap=qty(data["cap"])))
        if data.get("packaging_name"):
            parts.append(
                self.env._(
                    "Rounded to whole %(packaging)s of %(pack_qty)s: %(qty)s %(unit)s.",
                    packaging=data["packaging_name"],
                    pack_qty=qty(data.get("packaging_qty")),
                    qty=qty(data.get("suggested")),
                    unit=unit,
                )
            )
        elif data.get("order_multiple") == 1:
            parts.append(
                self.env._("Rounded up to whole units: %(qty)s %(unit)s.", qty=qty(data.get("suggested")), unit=unit)
            )
        elif data.get("order_multiple"):
            parts.append(
                self.env._(
                    "Rounded up to a multiple of %(multiple)s: %(qty)s %(unit)s.",
                    multiple=qty(data["order_multiple"]),
                    qty=qty(data.get("suggested")),
                    unit=unit,
                )
            )
        else:
            parts.append(
                self.env._("Rounded up to the unit: %(qty)s %(unit)s.", qty=qty(data.get("suggested")), unit=unit)
            )
        return "\n".join(parts)
