from odoo import fields, models
from odoo.tools import format_date


class SaleOrder(models.Model):
    _inherit = "sale.order"

    channel_suggested = fields.Boolean(
        string="Suggested Order",
        copy=False,
        index=True,
        tracking=True,
        help="Prepared for the dealer from its delivery history before a route date (pre-sale); the dealer "
        "reviews, edits and submits it.",
    )
    channel_route_date = fields.Date(
        string="Route Date",
        copy=False,
        index=True,
        readonly=True,
        help="The route date a suggested order was prepared for.",
    )

    def init(self):
        res = super().init()
        # One suggested order per dealer and route date, whoever prepares it and however often.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS sale_order_channel_suggested_uniq
                ON sale_order (partner_id, channel_route_date) WHERE channel_suggested IS TRUE
            """
        )
        return res

    # ------------------------------------------------------------------
    # Suggested orders
    # ------------------------------------------------------------------
    def _channel_suggestion_title(self):
        """ "Your suggested order for Tuesday 3 March", in the reader's language."""
        self.ensure_one()
        # The date pattern is translatable: "EEEE d MMMM" gives "Tuesday 3 March".
        pattern = self.env._("EEEE d MMMM")
        return self.env._(
            "Your suggested order for %s", format_date(self.env, self.channel_route_date, date_format=pattern)
        )

    def action_channel_refresh_suggestion(self):
        """Prepare the suggestion of these orders again (drafts only; submitted orders are left alone)."""
        self.env["res.users"]._channel_check_internal_caller()
        for (route, route_date), orders in (
            self.filtered(lambda o: o.channel_suggested and o.channel_route_id and o.channel_route_date)
            .grouped(lambda o: (o.channel_route_id, o.channel_route_date))
            .items()
        ):
            route._prepare_suggested_orders(route_date, partners=orders.channel_dealer_id)
        return True
