from odoo import models
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
