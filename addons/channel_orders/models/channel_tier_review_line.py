from odoo import api, fields, models


class ChannelTierReviewLine(models.Model):
    _inherit = "channel.tier.review.line"

    currency_id = fields.Many2one(related="company_id.currency_id")
    purchase_amount = fields.Monetary(
        string="Purchases (12 Months)",
        currency_field="currency_id",
        readonly=True,
        help="Untaxed posted invoices minus credit notes of the 12 months before the review.",
    )

    @api.model
    def _prepare_review_line_vals(self, review, dealer, assessment, direction):
        vals = super()._prepare_review_line_vals(review, dealer, assessment, direction)
        vals["purchase_amount"] = assessment["figures"].get("purchase_amount", 0.0)
        return vals
