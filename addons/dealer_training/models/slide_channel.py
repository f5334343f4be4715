from odoo import fields, models


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
        "event.event",
        "event_event_training_channel_rel",
        "channel_id",
        "event_id",
        string="Training Sessions",
        help="Sessions whose attendees complete this course.",
    )
    download_count = fields.Integer(
        string="Downloads", compute="_compute_download_count", help="Downloads of this course's documents."
    )

    def _compute_training_requirement_ids(self):
        requirements = self.env["dealer.training.requirement"].search([("slide_channel_ids", "in", self.ids)])
        for channel in self:
            channel.training_requirement_ids = requirements.filtered(lambda r, c=channel: c in r.slide_channel_ids)

    def _compute_download_count(self):
        counts = dict(
            self.env["slide.slide"].sudo()._read_group(
                [("channel_id", "in", self.ids)], ["channel_id"], ["download_count:sum"]
            )
        )
        for channel in self:
            channel.download_count = counts.get(channel, 0)

    def write(self, vals):
        res = super().write(vals)
        if "training_event_ids" in vals:
            attended = self.env["event.registration"].sudo().search(
                [("event_id", "in", self.sudo().training_event_ids.ids), ("state", "=", "done")]
            )
            attended._refresh_training_statuses()
        return res
