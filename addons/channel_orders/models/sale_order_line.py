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
