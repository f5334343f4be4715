from odoo import fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_channel_prepare_suggested_order(self):
        """Button on the dealer: prepare (or refresh) its suggested order for the next route date."""
        self.env["res.users"]._channel_check_internal_caller()
        self.ensure_one()
        dealer = self.commercial_partner_id
        route = dealer.channel_route_id
        if dealer.channel_role != "dealer" or not route:
            raise UserError(self.env._("%s is not a dealer on a delivery route.", dealer.display_name))
        dates = route._next_dates(route._local_now().date(), 1)
        if not dates:
            raise UserError(self.env._("Route %s has no coming route date.", route.name))
        orders = route._prepare_suggested_orders(dates[0], partners=dealer)
        return route._action_view_suggested(orders, dates[0])

    # ------------------------------------------------------------------
    # Cockpit (/my/channel)
    # ------------------------------------------------------------------
    def _channel_cockpit_suggested_domain(self):
        """The dealer's suggested orders still to submit for a coming route date (those of the quick
        order page, from today on)."""
        self.ensure_one()
        return [
            ("channel_suggested", "=", True),
            ("channel_dealer_id", "=", self.id),
            ("channel_state", "=", "draft"),
            ("state", "in", ("draft", "sent")),
            ("channel_route_date", ">=", fields.Date.context_today(self)),
        ]

    def _channel_cockpit_suggested_card(self):
        """The suggested order of the next route date: its date, lines and amount (one search with a
        limit, one read of its lines)."""
        self.ensure_one()
        order_sudo = (
            self.env["sale.order"]
            .sudo()
            .search(self._channel_cockpit_suggested_domain(), order="channel_route_date, id", limit=1)
        )
        [(line_count,)] = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [("order_id", "in", order_sudo.ids), ("display_type", "=", False), ("product_id", "!=", False)],
                [],
                ["__count"],
            )
        )
        return {
            "name": "suggested",
            "sequence": 20,
            "title": self.env._("Suggested order"),
            "template": "channel_presale.portal_channel_card_suggested",
            "url": "/my/channel/order",
            "url_label": self.env._("Review and submit") if order_sudo else self.env._("Quick order"),
            "order": order_sudo,
            "route_date": order_sudo.channel_route_date,
            "line_count": line_count,
            "amount": order_sudo.amount_total,
            "currency": order_sudo.currency_id or self.env.company.currency_id,
        }

    def _channel_cockpit_cards(self):
        cards = super()._channel_cockpit_cards()
        if self.channel_role == "dealer" and self.env.user._channel_portal_can("order"):
            cards.append(self._channel_cockpit_suggested_card())
        return cards
