from odoo import fields, models
from odoo.exceptions import UserError


class ChannelSelloutImport(models.TransientModel):
    _name = "channel.sellout.import"
    _description = "Import Sell-out"

    seller_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, domain="[('channel_role', '=', 'dealer')]"
    )
    file = fields.Binary(required=True, help="XLSX or CSV: date, buyer reference, product code, quantity, price.")
    filename = fields.Char()
    preview = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("preview", "Preview")], default="draft")

    def _run(self, preview):
        self.ensure_one()
        content = self.env["channel.sellout.order"]._sellout_decode(self.file)
        return self.env["channel.sellout.order"]._sellout_import_file(
            self.seller_id, content, self.filename, preview=preview
        )

    def action_preview(self):
        lines, errors, _orders = self._run(preview=True)
        text = [self.env._("Row %(row)s: %(error)s", row=row, error=error) for row, error in errors]
        if not errors:
            text = [
                self.env._(
                    "Row %(row)s: %(date)s %(buyer)s %(product)s × %(qty)s at %(price)s",
                    row=line["row"],
                    date=line["date"],
                    buyer=line["buyer"].display_name,
                    product=line["product"].display_name,
                    qty=line["quantity"],
                    price=line["price"],
                )
                for line in lines
            ]
        self.write({"preview": "\n".join(text), "state": "preview"})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_import(self):
        _lines, errors, orders = self._run(preview=False)
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported:\n%s",
                    "\n".join(self.env._("Row %(row)s: %(error)s", row=row, error=error) for row, error in errors),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Sell-out"),
            "res_model": "channel.sellout.order",
            "view_mode": "list,form",
            "domain": [("id", "in", orders.ids)],
        }
