from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_sales_approval = fields.Boolean(related="company_id.channel_sales_approval", readonly=False)
    channel_finance_approval = fields.Boolean(related="company_id.channel_finance_approval", readonly=False)
    channel_picking_step = fields.Boolean(related="company_id.channel_picking_step", readonly=False)
    channel_shipping_step = fields.Boolean(related="company_id.channel_shipping_step", readonly=False)
    channel_receipt_confirmation = fields.Boolean(related="company_id.channel_receipt_confirmation", readonly=False)
    channel_stock_display = fields.Selection(related="company_id.channel_stock_display", readonly=False)
