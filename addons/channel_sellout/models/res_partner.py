from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_sellout_pricelist_id = fields.Many2one(
        "product.pricelist", string="Resale Pricelist", copy=False,
        help="The dealer's own prices to its sub-distributors and retailers, kept by the dealer in the portal.",
    )

    def _channel_sellout_pricelist(self):
        """The dealer's resale pricelist, created on first use (as superuser: the portal page owns it)."""
        self.ensure_one()
        dealer = self.commercial_partner_id.sudo()
        if not dealer.channel_sellout_pricelist_id:
            dealer.channel_sellout_pricelist_id = self.env["product.pricelist"].sudo().create({
                "name": self.env._("Resale prices of %s", dealer.name),
                "currency_id": self.env.company.currency_id.id,
                "company_id": self.env.company.id,
            })
        return dealer.channel_sellout_pricelist_id
