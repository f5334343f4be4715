from odoo import api, fields, models
from odoo.tools import float_compare
from odoo.tools.misc import formatLang


class ChannelTier(models.Model):
    _inherit = "channel.tier"

    assortment_product_ids = fields.Many2many(
        "product.template",
        "channel_tier_assortment_product_rel",
        "tier_id",
        "product_tmpl_id",
        string="Assortment Products",
        domain=[("sale_ok", "=", True)],
        help="Products the dealers of this tier may order. With no products and no categories, "
        "every saleable product may be ordered.",
    )
    assortment_categ_ids = fields.Many2many(
        "product.category",
        "channel_tier_assortment_categ_rel",
        "tier_id",
        "categ_id",
        string="Assortment Categories",
        help="Product categories (with their sub-categories) the dealers of this tier may order.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    min_purchase_amount = fields.Monetary(
        string="Minimum Purchases (12 Months)",
        currency_field="currency_id",
        help="Untaxed amount of the posted invoices minus credit notes of the last 12 months a dealer "
        "needs to earn this tier. 0: no purchase criterion.",
    )

    _sql_constraints = [
        (
            "min_purchase_amount_positive",
            "CHECK(min_purchase_amount >= 0)",
            "The minimum purchases cannot be negative.",
        ),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = tier.company_id.currency_id or self.env.company.currency_id

    def _channel_tier_gaps(self, figures):
        gaps = super()._channel_tier_gaps(figures)
        required = self.min_purchase_amount
        current = figures.get("purchase_amount", 0.0)
        currency = self.currency_id
        if required and float_compare(current, required, precision_rounding=currency.rounding) < 0:
            missing = required - current
            gaps.append({
                "criterion": "purchase_amount",
                "required": required,
                "current": current,
                "missing": missing,
                "label": self.env._(
                    "%(amount)s more purchases needed (last 12 months: %(current)s of %(required)s)",
                    amount=formatLang(self.env, missing, currency_obj=currency),
                    current=formatLang(self.env, current, currency_obj=currency),
                    required=formatLang(self.env, required, currency_obj=currency),
                ),
            })
        return gaps
