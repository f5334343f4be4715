from collections import Counter

from odoo import api, fields, models


class ChannelAnnouncementFunnel(models.Model):
    """Reached → opened per announcement and territory (refreshed on demand from the audiences and
    the read receipts)."""

    _name = "channel.announcement.funnel"
    _description = "Announcement Funnel"
    _order = "announcement_id, territory_id"

    announcement_id = fields.Many2one("channel.announcement", required=True, index=True, ondelete="cascade")
    territory_id = fields.Many2one("channel.territory", string="Territory", index=True)
    company_id = fields.Many2one(related="announcement_id.company_id", store=True)
    reached = fields.Integer(help="Users of the audience.", aggregator="sum")
    opened = fields.Integer(help="Users of the audience who opened it.", aggregator="sum")
    unread = fields.Integer(help="Users of the audience who have not opened it.", aggregator="sum")

    @api.model
    def _refresh(self, announcements):
        """Recompute the funnel lines of ``announcements``: one search of the audience each, the
        territories read in batch."""
        self.env["res.users"]._channel_check_internal_caller()
        Funnel = self.sudo()
        Funnel.search([("announcement_id", "in", announcements.ids)]).unlink()
        vals_list = []
        for announcement in announcements.sudo():
            users = announcement._get_audience_users()
            readers = set(announcement.receipt_ids.user_id.ids)
            reached, opened = Counter(), Counter()
            for user in users:
                territory_id = user.partner_id.commercial_partner_id.channel_territory_id.id or False
                reached[territory_id] += 1
                if user.id in readers:
                    opened[territory_id] += 1
            vals_list += [
                {
                    "announcement_id": announcement.id, "territory_id": territory_id,
                    "reached": count, "opened": opened[territory_id], "unread": count - opened[territory_id],
                }
                for territory_id, count in reached.items()
            ]
        return Funnel.create(vals_list)

    @api.model
    def action_open_funnel(self, announcement_ids=None):
        """Refresh the funnel of the given (or every published) announcements and open the pivot."""
        Announcement = self.env["channel.announcement"]
        announcements = (
            Announcement.browse(announcement_ids) if announcement_ids
            else Announcement.search([("state", "in", ("published", "archived"))])
        )
        self._refresh(announcements)
        action = self.env["ir.actions.act_window"]._for_xml_id("joint_marketing.channel_announcement_funnel_action")
        action["domain"] = [("announcement_id", "in", announcements.ids)]
        action["display_name"] = self.env._("Announcement Funnel")
        return action
