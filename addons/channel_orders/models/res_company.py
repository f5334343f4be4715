from odoo import fields, models

STOCK_DISPLAY = [
    ("hidden", "Hidden"),
    ("available", "Available (yes/no)"),
    ("quantity", "Quantity"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_sales_approval = fields.Boolean(
        string="Sales Approval of Dealer Orders",
        default=True,
        help="Dealer orders wait for a sales approver after submission.",
    )
    channel_finance_approval = fields.Boolean(
        string="Finance Approval of Dealer Orders",
        default=True,
        help="Dealer orders wait for a finance approver, who sees the dealer's credit exposure.",
    )
    channel_picking_step = fields.Boolean(
        string="Picking Step of Dealer Orders",
        default=True,
        help="With a delivery in two or three steps, a dealer order shows 'Picked' once the warehouse has "
        "picked it, before it is shipped.",
    )
    channel_shipping_step = fields.Boolean(
        string="Shipping Step of Dealer Orders",
        default=True,
        help="A delivered dealer order shows 'Shipped' (and waits for the dealer's receipt when that is on); "
        "when off, it is done as soon as it is delivered.",
    )
    channel_receipt_confirmation = fields.Boolean(
        string="Dealer Confirms Receipt",
        default=True,
        help="Shipped dealer orders wait for the dealer to confirm receipt in the portal.",
    )
    channel_stock_display = fields.Selection(
        STOCK_DISPLAY,
        string="Stock Shown to Dealers",
        default="available",
        required=True,
        help="What the portal quick-order page shows about stock.",
    )
