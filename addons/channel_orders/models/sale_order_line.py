from odoo import fields, models
from odoo.tools import formatLang


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    channel_anomaly_note = fields.Char(
        string="Anomaly",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="Why the ordered quantity of this line is abnormal compared with the dealer's history.",
    )

    def _channel_format_qty(self, quantity):
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        text = formatLang(self.env, quantity or 0.0, digits=digits)
        if "." in text or "," in text:
            decimal_point = self.env["res.lang"]._get_data(code=self.env.lang or "en_US").decimal_point or "."
            if decimal_point in text:
                text = text.rstrip("0").rstrip(decimal_point)
        return text
