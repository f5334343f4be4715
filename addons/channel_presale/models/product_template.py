from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    channel_order_multiple = fields.Float(
        string="Suggested Order Multiple",
        digits="Product Unit of Measure",
        compute="_compute_channel_order_multiple",
        store=True,
        readonly=False,
        help="Suggested quantities of a product without a sale packaging are rounded up to a multiple of "
        "this quantity (in the product's unit): 1 for products sold in units, none (the unit's rounding) "
        "when empty.",
    )

    @api.depends("uom_id")
    def _compute_channel_order_multiple(self):
        unit_category = self.env.ref("uom.product_uom_categ_unit", raise_if_not_found=False)
        for template in self:
            in_units = bool(unit_category) and template.uom_id.category_id == unit_category
            template.channel_order_multiple = 1.0 if in_units else 0.0
