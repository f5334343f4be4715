from odoo import api, fields, models
from odoo.tools import formatLang


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    channel_anomaly_data = fields.Json(
        string="Anomaly Figures",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="The figures of an abnormal quantity, set at submission: the order's quantity of the product, "
        "the dealer's usual quantity, its standard deviation, the number of past orders and the limit.",
    )
    channel_anomaly_note = fields.Char(
        string="Anomaly",
        compute="_compute_channel_anomaly_note",
        groups="base.group_user",
        help="Why the ordered quantity of this line is abnormal compared with the dealer's history.",
    )

    # Computed with the line's other values at its creation: the line's amounts read it then anyway,
    # so that it is not computed a second time (and read back) when the new lines are flushed.
    analytic_distribution = fields.Json(compute="_compute_analytic_distribution", store=True, precompute=True)

    @api.depends("order_id.partner_id", "product_id")
    def _compute_analytic_distribution(self):
        """Without any analytic distribution model in reach, no line gets a distribution from one:
        one query for all the lines instead of one search per line (portal carts, suggested orders)."""
        lines = self
        if not self.env["account.analytic.distribution.model"].search([], limit=1):
            lines = self.with_context(channel_no_distribution_model=True)
        return super(SaleOrderLine, lines)._compute_analytic_distribution()

    @api.depends("channel_anomaly_data", "product_id")
    @api.depends_context("lang")
    def _compute_channel_anomaly_note(self):
        for line in self:
            data = line.channel_anomaly_data
            line.channel_anomaly_note = (
                line.order_id._channel_anomaly_reason(dict(data, product=line.product_id)) if data else False
            )

    def _channel_format_qty(self, quantity):
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        text = formatLang(self.env, quantity or 0.0, digits=digits)
        if "." in text or "," in text:
            decimal_point = self.env["res.lang"]._get_data(code=self.env.lang or "en_US").decimal_point or "."
            if decimal_point in text:
                text = text.rstrip("0").rstrip(decimal_point)
        return text
