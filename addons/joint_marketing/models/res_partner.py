from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_meeting_registration_ids = fields.One2many(
        "event.registration", "channel_member_id", string="Channel Meetings",
        domain=[("channel_meeting", "=", True)],
    )
    channel_meeting_count = fields.Integer(compute="_compute_channel_meeting_count", string="Channel Meeting Count")

    @api.depends("channel_meeting_registration_ids")
    def _compute_channel_meeting_count(self):
        counts = dict(self.env["event.registration"]._read_group(
            [("channel_member_id", "in", self.ids), ("channel_meeting", "=", True)],
            ["channel_member_id"], ["__count"],
        ))
        for partner in self:
            partner.channel_meeting_count = counts.get(partner._origin, 0)

    def action_view_channel_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("event.event_registration_action")
        action["domain"] = [("channel_member_id", "=", self.id), ("channel_meeting", "=", True)]
        action["context"] = {"create": False}
        return action
