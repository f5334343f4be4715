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

    # ------------------------------------------------------------------
    # Cockpit (/my/channel)
    # ------------------------------------------------------------------
    def _channel_has_distributors(self):
        """Whether this dealer supplies at least one sub-distributor (one query)."""
        self.ensure_one()
        return bool(
            self.env["res.partner"]
            .sudo()
            .search_count([("channel_parent_id", "=", self.id), ("channel_role", "=", "distributor")], limit=1)
        )

    def _channel_cockpit_sellout_card(self):
        """The sell-out orders waiting for the dealer to accept them (the "To accept" orders of
        /my/channel/sellout, read with the user's rights): their number and amount (one grouped query)."""
        self.ensure_one()
        [(count, amount)] = self.env["channel.sellout.order"]._read_group(
            [("seller_id", "=", self.id), ("state", "=", "submitted")], [], ["__count", "amount_total:sum"]
        )
        return {
            "name": "sellout",
            "sequence": 35,
            "title": self.env._("Sell-out orders to accept"),
            "template": "channel_sellout.portal_channel_card_sellout",
            "url": "/my/channel/sellout?filterby=submitted",
            "url_label": self.env._("To accept"),
            "count": count,
            "amount": amount or 0.0,
            "currency": self.env.company.currency_id,
        }

    def _channel_cockpit_cards(self):
        cards = super()._channel_cockpit_cards()
        if (
            self.channel_role == "dealer"
            and self.env.user._channel_portal_can("read")
            and self._channel_has_distributors()
        ):
            cards.append(self._channel_cockpit_sellout_card())
        return cards
