from odoo import api, fields, models


class ChannelTier(models.Model):
    _name = "channel.tier"
    _description = "Dealer Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    benefits = fields.Html(translate=True, help="What dealers of this tier are entitled to.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    partner_ids = fields.One2many("res.partner", "channel_tier_id", string="Partners")
    dealer_count = fields.Integer(compute="_compute_dealer_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a dealer tier must be unique."),
    ]

    def _compute_dealer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("channel_tier_id", "in", self.ids), ("channel_role", "=", "dealer")]
                + self.env["res.partner"]._channel_entity_domain(),
                ["channel_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.dealer_count = counts.get(tier, 0)

    @api.depends("name", "code")
    def _compute_display_name(self):
        for tier in self:
            tier.display_name = tier.name

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.res_partner_dealer_action")
        action["domain"] = [("channel_tier_id", "=", self.id), ("channel_role", "=", "dealer")]
        action["domain"] += self.env["res.partner"]._channel_entity_domain()
        action["context"] = {"default_channel_tier_id": self.id, "default_channel_role": "dealer"}
        return action
