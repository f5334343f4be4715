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
        """Domain of the programs open to ``partner`` by tier and territory (the rule of
        ``channel.scope.mixin``, on this model's own scope fields)."""
        return self.env["channel.scope.mixin"]._channel_scope_covering_domain(
            partner, "channel_tier_ids", "channel_territory_ids", None, []
        )

    def _channel_allows(self, partner):
        """The programs of ``self`` open to ``partner``."""
        if not self:
            return self
        restricted = self.filtered(lambda p: p.channel_tier_ids or p.channel_territory_ids)
        if not restricted:
            return self
        return (self - restricted) | restricted.filtered_domain(self._channel_program_domain(partner))
