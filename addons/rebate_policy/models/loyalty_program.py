from odoo import fields, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    channel_tier_ids = fields.Many2many(
        "channel.tier",
        string="Dealer Tiers",
        help="Only customers of these tiers get the rewards of this program. Empty: every tier.",
    )
    channel_territory_ids = fields.Many2many(
        "channel.territory",
        string="Territories",
        help="Only customers in these territories (or their sub-territories) get the rewards of this program. "
        "Empty: everywhere.",
    )

    def _channel_program_domain(self, partner):
        """Domain of the programs open to ``partner`` by tier and territory."""
        commercial = partner.commercial_partner_id.sudo()
        territory_path = commercial.channel_territory_id.parent_path or ""
        ancestor_ids = [int(part) for part in territory_path.split("/") if part]
        return [
            "|", ("channel_tier_ids", "=", False), ("channel_tier_ids", "in", commercial.channel_tier_id.ids),
            "|", ("channel_territory_ids", "=", False), ("channel_territory_ids", "in", ancestor_ids),
        ]

    def _channel_allows(self, partner):
        """The programs of ``self`` open to ``partner``."""
        if not self:
            return self
        restricted = self.filtered(lambda p: p.channel_tier_ids or p.channel_territory_ids)
        if not restricted:
            return self
        return (self - restricted) | restricted.filtered_domain(self._channel_program_domain(partner))
