from odoo import _, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_alert_ids = fields.One2many("channel.alert", "partner_id", string="Channel Alerts")
    channel_alert_count = fields.Integer(
        compute="_compute_channel_alert_count", string="Open Alerts", groups="channel_base.group_channel_user"
    )

    def _compute_channel_alert_count(self):
        counts = dict(
            self.env["channel.alert"]._read_group(
                [("partner_id", "in", self.ids), ("state", "!=", "resolved")], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.channel_alert_count = counts.get(partner, 0)

    def action_channel_prepare_suggested_order(self):
        """Button on the dealer: prepare (or refresh) its suggested order for the next route date."""
        self.env["res.users"]._channel_check_internal_caller()
        self.ensure_one()
        dealer = self.commercial_partner_id
        route = dealer.channel_route_id
        if dealer.channel_role != "dealer" or not route:
            raise UserError(_("%s is not a dealer on a delivery route.", dealer.display_name))
        dates = route._next_dates(route._local_now().date(), 1)
        if not dates:
            raise UserError(_("Route %s has no coming route date.", route.name))
        orders = route._prepare_suggested_orders(dates[0], partners=dealer)
        return route._action_view_suggested(orders, dates[0])

    def action_view_channel_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_orders.channel_alert_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_unresolved": 1}
        return action
