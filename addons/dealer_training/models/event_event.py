from odoo import fields, models


class EventEvent(models.Model):
    _inherit = "event.event"

    training_channel_ids = fields.Many2many(
        "slide.channel",
        "event_event_training_channel_rel",
        "event_id",
        "channel_id",
        string="Courses Covered",
        help="Dealer university: attending this session (attendee marked as attended) completes these courses.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "training_channel_ids" in vals:
            attended = self.env["event.registration"].sudo().search(
                [("event_id", "in", self.ids), ("state", "=", "done")]
            )
            attended._refresh_training_statuses()
        return res
