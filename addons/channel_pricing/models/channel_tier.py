from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ChannelTier(models.Model):
    _inherit = "channel.tier"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist",
        help="Pricelist applied to the dealers of this tier.",
    )
    price_memory = fields.Boolean(
        string="Last-price Memory",
        help="New order lines of this tier's dealers take the net unit price of the dealer's latest "
        "confirmed order line for the same product (within the memory period) instead of the pricelist price.",
    )
    price_memory_days = fields.Integer(
        string="Memory Period (days)",
        default=180,
        help="Only confirmed orders dated within this many days are remembered.",
    )

    @api.constrains("price_memory", "price_memory_days")
    def _check_price_memory_days(self):
        for tier in self:
            if tier.price_memory and tier.price_memory_days <= 0:
                raise ValidationError(
                    self.env._("The memory period of tier %s must be at least one day.", tier.display_name)
                )

    def write(self, vals):
        res = super().write(vals)
        if "pricelist_id" in vals:
            self._channel_sync_partner_pricelists()
        return res

    def _channel_sync_partner_pricelists(self):
        """Point the pricelist of every partner of these tiers to the tier's pricelist.

        Partners whose pricelist is set by hand (``channel_pricelist_manual``) keep theirs.
        """
        Partner = self.env["res.partner"]
        for tier in self.filtered("pricelist_id"):
            partners = Partner.with_context(active_test=False).search([
                ("channel_tier_id", "=", tier.id),
                ("channel_pricelist_manual", "=", False),
            ])
            partners.filtered(lambda p: p.commercial_partner_id == p)._channel_apply_tier_pricelist()
