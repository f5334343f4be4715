from odoo import api, fields, models


class SlideChannel(models.Model):
    _inherit = "slide.channel"

    dealer_tier_ids = fields.Many2many(
        "channel.tier",
        string="Restricted to Tiers",
        help="Dealer materials: when set, portal users and website visitors see this course only if their "
        "company has one of these tiers. Internal users always see it.",
    )
    dealer_material = fields.Boolean(
        string="Dealer Materials",
        help="Shown in the dealer materials zone of the portal (manuals, contracts, product introductions, "
        "sales scripts, display standards).",
    )
    training_requirement_ids = fields.Many2many(
        "dealer.training.requirement", string="Training Requirements", compute="_compute_training_requirement_ids"
    )
    training_event_ids = fields.Many2many(
        "event.event", string="Training Sessions", compute="_compute_training_event_ids"
    )
    download_count = fields.Integer(
        string="Downloads", compute="_compute_download_count", help="Downloads of this course's documents."
    )

    def _compute_training_requirement_ids(self):
        requirements = self.env["dealer.training.requirement"].search([("slide_channel_ids", "in", self.ids)])
        for channel in self:
            channel.training_requirement_ids = requirements.filtered(lambda r: channel in r.slide_channel_ids)

    def _compute_training_event_ids(self):
        events = self.env["event.event"].sudo().search([("training_channel_ids", "in", self.ids)])
        for channel in self:
            channel.training_event_ids = events.filtered(lambda e: channel in e.training_channel_ids)

    def _compute_download_count(self):
        counts = dict(
            self.env["slide.slide"].sudo()._read_group(
                [("channel_id", "in", self.ids)], ["channel_id"], ["download_count:sum"]
            )
        )
        for channel in self:
            channel.download_count = counts.get(channel, 0)

    @api.model
    def _dealer_tier_visible_domain(self, user=None):
        """Courses a portal user or visitor may see given its company's tier."""
        user = user or self.env.user
        tier = user.sudo().partner_id.commercial_partner_id.channel_tier_id
        return ["|", ("dealer_tier_ids", "=", False), ("dealer_tier_ids", "in", tier.ids)]
