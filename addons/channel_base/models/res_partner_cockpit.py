from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _channel_cockpit_cards(self):
        """The cards of the dealer cockpit (``/my/channel``) of this channel member (a commercial
        partner), read in the environment of the portal user who looks at it.

        This is the one extension point of the cockpit: every module overrides it, calls ``super()``
        and appends its card(s). A card is a dict:

        - ``name``: a unique key (the card's CSS class is ``o_channel_card_<name>``);
        - ``sequence``: the position on the page (lower first);
        - ``title``: the translated heading;
        - ``template``: the QWeb template rendering the card's body; it gets the dict as ``card``;
        - ``url`` / ``url_label`` (optional): the page that the card's link opens;
        - anything else the template shows (figures, records).

        A card computes its figures with a fixed number of queries (``_read_group``, ``search_count``,
        one ``search`` with a limit), never one query per record, so that the cockpit costs the same
        for a dealer with 5 or 5,000 orders. Figures the portal user may not read directly are read
        with ``sudo()`` for this partner only.
        """
        self.ensure_one()
        partner_sudo = self.sudo()
        return [
            {
                "name": "tier",
                "sequence": 10,
                "title": self.env._("My tier"),
                "template": "channel_base.portal_channel_card_tier",
                "tier": partner_sudo.channel_tier_id,
                "benefits": partner_sudo.channel_tier_id.benefits,
            }
        ]

    def _channel_cockpit_sorted_cards(self):
        """The cockpit cards, in the order of their ``sequence``."""
        return sorted(self._channel_cockpit_cards(), key=lambda card: (card["sequence"], card["name"]))
