import base64
import io

import xlsxwriter
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

PREVIEW_LIMIT = 200


class ChannelPriceMatrix(models.TransientModel):
    _name = "channel.price.matrix"
    _description = "Tier Price Matrix"

    date = fields.Date(required=True, default=fields.Date.context_today)
    tier_ids = fields.Many2many(
        "channel.tier", string="Tiers", default=lambda self: self._default_tier_ids(),
        help="Columns of the matrix (all tiers when empty).",
    )
    categ_id = fields.Many2one("product.category", string="Product Category")
    product_ids = fields.Many2many("product.product", string="Products", help="All saleable products when empty.")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    preview_html = fields.Html(compute="_compute_preview_html", sanitize=False)
    product_count = fields.Integer(compute="_compute_preview_html")
    xlsx_file = fields.Binary(string="XLSX File", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    @api.model
    def _default_tier_ids(self):
        return self.env["channel.tier"].search([])

    @api.constrains("quantity")
    def _check_quantity(self):
        for matrix in self:
            if matrix.quantity <= 0:
                raise UserError(self.env._("The quantity of the price matrix must be positive."))

    def _get_tiers(self):
        self.ensure_one()
        return self.tier_ids or self.env["channel.tier"].search([])

    def _get_products_domain(self):
        self.ensure_one()
        if self.product_ids:
            return [("id", "in", self.product_ids.ids)]
        domain = [("sale_ok", "=", True)]
        if self.categ_id:
            domain.append(("categ_id", "child_of", self.categ_id.id))
        return domain

    def _get_products(self, limit=None):
        return self.env["product.product"].search(
            self._get_products_domain(), order="default_code, name, id", limit=limit
        )

    def _get_matrix(self, products, tiers):
        """{tier_id: {product_id: price}}: one batch pricelist call per tier."""
        self.ensure_one()
        company_currency = self.env.company.currency_id
        return {
            tier.id: tier.pricelist_id._get_products_price(
                products,
                self.quantity or 1.0,
                currency=tier.pricelist_id.currency_id or company_currency,
                date=self.date,
            )
            for tier in tiers
        }

    @api.depends("date", "tier_ids", "categ_id", "product_ids", "quantity")
    def _compute_preview_html(self):
        for matrix in self:
            products = matrix._get_products(limit=PREVIEW_LIMIT)
            matrix.product_count = self.env["product.product"].search_count(matrix._get_products_domain())
            matrix.preview_html = matrix._render_preview(products, matrix._get_tiers())

    def _render_preview(self, products, tiers):
        self.ensure_one()
        if not products or not tiers:
            return Markup("<p class='text-muted'>%s</p>") % self.env._("No product or tier to show.")
        matrix = self._get_matrix(products, tiers)
        company_currency = self.env.company.currency_id
        head = Markup("").join(
            Markup("<th class='text-end'>%s<br/><small class='text-muted'>%s</small></th>")
            % (tier.name, tier.pricelist_id.display_name or self.env._("Sales price"))
            for tier in tiers
        )
        rows = []
        for product in products:
            cells = Markup("").join(
                Markup("<td class='text-end'>%s</td>")
                % (tier.pricelist_id.currency_id or company_currency).format(matrix[tier.id].get(product.id, 0.0))
                for tier in tiers
            )
            rows.append(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td>%s</tr>")
                % (product.display_name, company_currency.format(product.lst_price), cells)
            )
        return Markup(
            "<table class='table table-sm table-striped o_channel_price_matrix'><thead><tr><th>%s</th>"
            "<th class='text-end'>%s</th>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Product"), self.env._("Sales Price"), head, Markup("").join(rows))

    def _prepare_xlsx(self):
        """The workbook of the whole matrix, as bytes."""
        self.ensure_one()
        products = self._get_products()
        tiers = self._get_tiers()
        if not products:
            raise UserError(self.env._("No product matches the matrix filters."))
        matrix = self._get_matrix(products, tiers)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Tier Prices"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet.write(0, 0, self.env._("Tier price matrix on %s", fields.Date.to_string(self.date)), bold)
        headers = [
            self.env._("Internal Reference"),
            self.env._("Product"),
            self.env._("Unit"),
            self.env._("Sales Price"),
        ] + [f"{tier.name} ({tier.pricelist_id.display_name or self.env._('Sales price')})" for tier in tiers]
        for col, header in enumerate(headers):
            sheet.write(2, col, header, bold)
        for row, product in enumerate(products, start=3):
            sheet.write(row, 0, product.default_code or "")
            sheet.write(row, 1, product.name)
            sheet.write(row, 2, product.uom_id.name)
            sheet.write_number(row, 3, product.lst_price, money)
            for col, tier in enumerate(tiers, start=4):
                sheet.write_number(row, col, matrix[tier.id].get(product.id, 0.0), money)
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, len(headers), 14)
        sheet.freeze_panes(3, 2)
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        self.ensure_one()
        self.write({
            "xlsx_file": base64.b64encode(self._prepare_xlsx()),
            "xlsx_filename": f"tier_price_matrix_{fields.Date.to_string(self.date)}.xlsx",
        })
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/?model={self._name}&id={self.id}&field=xlsx_file"
                "&filename_field=xlsx_filename&download=true"
            ),
            "target": "self",
        }
