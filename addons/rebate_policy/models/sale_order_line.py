from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    rebate_settlement_id = fields.Many2one(
        "rebate.settlement", string="Rebate Settlement", readonly=True, copy=False, index="btree_not_null"
    )
