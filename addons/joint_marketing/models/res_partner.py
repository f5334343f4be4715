from odoo import api, fields, models
from odoo.osv import expression


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

    # ------------------------------------------------------------------
    # Cockpit (/my/channel)
    # ------------------------------------------------------------------
    def _channel_cockpit_targets_card(self):
        """This month's target of the member and its progress (the monthly targets of
        /my/channel/targets, read with the user's rights in one grouped query): the overall target
        when there is one, else the sum of the category targets."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        groups = self.env["channel.target"]._read_group(
            [
                ("partner_id", "=", self.id),
                ("period_type", "=", "month"),
                ("year", "=", today.year),
                ("month", "=", today.month),
            ],
            ["categ_id"],
            ["target_amount:sum", "achieved_amount:sum", "target_qty:sum", "achieved_qty:sum", "__count"],
        )
        overall = [row for row in groups if not row[0]]
        rows = overall or groups
        target_amount, achieved_amount, target_qty, achieved_qty = (
            sum(row[index] or 0.0 for row in rows) for index in (1, 2, 3, 4)
        )
        if target_amount:
            rate = 100.0 * achieved_amount / target_amount
        elif target_qty:
            rate = 100.0 * achieved_qty / target_qty
        else:
            rate = 0.0
        return {
            "name": "targets",
            "sequence": 60,
            "title": self.env._("Target of the month"),
            "template": "joint_marketing.portal_channel_card_targets",
            "url": "/my/channel/targets",
            "url_label": self.env._("My targets"),
            "month": today.replace(day=1),
            "has_target": bool(rows),
            "target_amount": target_amount,
            "achieved_amount": achieved_amount,
            "remaining_amount": max(target_amount - achieved_amount, 0.0),
            "target_qty": target_qty,
            "achieved_qty": achieved_qty,
            "rate": round(rate, 1),
            "currency": self.env.company.currency_id,
        }

    def _channel_cockpit_announcements_card(self, shown=3):
        """The announcements of the user's audience it has not read yet: their number and the latest
        ``shown`` titles (a count and one search with a limit)."""
        self.ensure_one()
        user = self.env.user
        Announcement_sudo = self.env["channel.announcement"].sudo()
        domain = expression.AND([
            Announcement_sudo._get_portal_domain(user),
            [("receipt_ids", "not any", [("user_id", "=", user.id)])],
        ])
        latest_sudo = Announcement_sudo.search(domain, limit=shown)
        return {
            "name": "announcements",
            "sequence": 70,
            "title": self.env._("Unread announcements"),
            "template": "joint_marketing.portal_channel_card_announcements",
            "url": "/my/channel/announcements",
            "url_label": self.env._("Announcements"),
            "unread_count": Announcement_sudo.search_count(domain),
            "latest": [
                {"id": a.id, "name": a.name, "date": a.date_publish, "url": f"/my/channel/announcements/{a.id}"}
                for a in latest_sudo
            ],
        }

    def _channel_cockpit_cards(self):
        cards = super()._channel_cockpit_cards()
        user = self.env.user
        if not user._channel_portal_can("read"):
            return cards
        if self.channel_role in ("dealer", "distributor"):
            cards.append(self._channel_cockpit_targets_card())
        if not user._is_internal():
            cards.append(self._channel_cockpit_announcements_card())
        return cards
