from odoo import fields, models


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
