from odoo import models

from .channel_service_request import OPEN_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

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
