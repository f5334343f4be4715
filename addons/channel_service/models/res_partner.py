from odoo import fields, models

from .channel_service_request import OPEN_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_service_request_count = fields.Integer(
        compute="_compute_channel_service_request_count",
        string="Open Service Requests",
        groups="channel_base.group_channel_user",
    )

    def _compute_channel_service_request_count(self):
        counts = dict(
            self.env["channel.service.request"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("state", "in", OPEN_STATES)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.channel_service_request_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_channel_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_service.channel_service_request_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_open": 1, "default_partner_id": self.commercial_partner_id.id}
        return action

    def _channel_cockpit_cards(self):
        """The "My service requests" card: open requests and the three latest (three queries)."""
        cards = super()._channel_cockpit_cards()
        Request = self.env["channel.service.request"].sudo()
        domain = [("partner_id", "=", self.id)]
        cards.append({
            "name": "requests",
            "sequence": 60,
            "title": self.env._("My service requests"),
            "template": "channel_service.portal_channel_card_requests",
            "url": "/my/channel/requests",
            "url_label": self.env._("All requests"),
            "open_count": Request.search_count(domain + [("state", "in", OPEN_STATES)]),
            "latest": Request.search(domain, order="create_date desc, id desc", limit=3),
        })
        return cards
