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

    # ------------------------------------------------------------------
    # Criteria (earned tiers)
    # ------------------------------------------------------------------
    @api.model
    def _channel_tier_ranked(self):
        """The active tiers of the current companies, highest first (the order of the tier list:
        ``sequence``, then ``id``)."""
        return self.search([("company_id", "in", [False, *self.env.companies.ids])])

    def _channel_tier_gaps(self, figures):
        """What a dealer whose tier figures are ``figures`` (one value of
        ``res.partner._channel_tier_figures()``) lacks to meet this tier: a list of gaps, empty when
        the dealer meets every criterion. A tier without criteria is met by everyone.

        A gap is a dict: ``criterion`` (a key), ``label`` (a translated sentence for the dealer and the
        staff) and whatever figures the criterion shows (``required``, ``current``, ``missing``...).
        A module that adds a criterion overrides this, calls ``super()`` and appends its gap. It works
        on the figures only: no query per dealer."""
        self.ensure_one()
        return []

    def _channel_tier_next(self, tier):
        """The tier ranked just above ``tier`` among ``self`` (ranked tiers, highest first): the
        lowest one when ``tier`` is empty or not among them, empty when ``tier`` is the highest."""
        if not tier or tier not in self:
            return self[-1:]
        index = self.ids.index(tier.id)
        return self[index - 1] if index else self.browse()

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.res_partner_dealer_action")
        action["domain"] = [("channel_tier_id", "=", self.id), ("channel_role", "=", "dealer")]
        action["domain"] += self.env["res.partner"]._channel_entity_domain()
        action["context"] = {"default_channel_tier_id": self.id, "default_channel_role": "dealer"}
        return action
