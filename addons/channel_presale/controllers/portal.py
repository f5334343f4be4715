from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.channel_orders.controllers.portal import ChannelOrderPortal


class ChannelSuggestPortal(ChannelOrderPortal):
    # ------------------------------------------------------------------
    # Suggested orders first on the quick-order page
    # ------------------------------------------------------------------
    def _channel_suggested_orders(self, dealer):
        """The dealer's suggested orders still to submit, earliest route date first (sudo)."""
        return (
            request.env["sale.order"]
            .sudo()
            .search(
                [
                    ("channel_suggested", "=", True),
                    ("channel_dealer_id", "=", dealer.id),
                    ("channel_state", "=", "draft"),
                    ("state", "in", ("draft", "sent")),
                ],
                order="channel_route_date, id",
            )
        )

    def _channel_order_values(self, dealer, *args, **kwargs):
        values = super()._channel_order_values(dealer, *args, **kwargs)
        values["suggested_orders"] = self._channel_suggested_orders(dealer)
        values["suggest_errors"] = request.session.pop("channel_suggest_errors", [])
        return values

    def _channel_suggested_order(self, dealer, order_id):
        """One of the dealer's suggested orders still in draft (sudo), or 404."""
        order_sudo = self._channel_dealer_order(dealer, order_id)
        if (
            not order_sudo.channel_suggested
            or order_sudo.channel_state != "draft"
            or order_sudo.state not in ("draft", "sent")
        ):
            raise NotFound()
        return order_sudo

    def _channel_suggest_save(self, dealer, order_sudo, params):
        """Apply the quantities the dealer typed (and a removal) to the suggested order.

        :return: list of error messages (nothing saved when there are errors)
        """
        remove = params.pop("remove", None)
        if remove:
            self._channel_remove_product_line(order_sudo, remove)
        quantities, errors, notes, _raw = self._channel_parse_quantities(
            dealer, params, restrict_to=order_sudo.order_line.product_id
        )
        if errors:
            return errors
        if quantities:
            order_sudo._channel_set_quantities(quantities)
        else:
            order_sudo._channel_apply_prices()
        request.session["channel_order_notes"] = notes
        return []

    @http.route("/my/channel/suggested/<int:order_id>/update", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_suggested_update(self, order_id, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._channel_check_params(kw)
        order_sudo = self._channel_suggested_order(dealer, order_id)
        with request.env.cr.savepoint() as savepoint:
            errors = self._channel_suggest_save(dealer, order_sudo, kw)
            if errors:
                savepoint.rollback()
        if errors:
            request.session["channel_suggest_errors"] = errors
        else:
            request.session["channel_order_notes"] = request.session.get("channel_order_notes", []) + [
                request.env._("Your suggested order was updated.")
            ]
        return request.redirect("/my/channel/order")

    @http.route("/my/channel/suggested/<int:order_id>/submit", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_suggested_submit(self, order_id, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._channel_check_params(kw)
        order_sudo = self._channel_suggested_order(dealer, order_id)
        with request.env.cr.savepoint() as savepoint:
            errors = self._channel_suggest_save(dealer, order_sudo, kw)
            if not errors:
                try:
                    order_sudo.action_channel_submit()
                except UserError as error:
                    errors = [error.args[0]]
            if errors:
                savepoint.rollback()
        if errors:
            request.session["channel_suggest_errors"] = errors
            return request.redirect("/my/channel/order")
        return request.redirect(f"/my/channel/orders/{order_sudo.id}?submitted=1")
