from odoo import api, models


class ChannelDeliveryRoute(models.Model):
    _inherit = "channel.delivery.route"

    def _get_cycle_days(self):
        """Longest number of days between two deliveries of the route."""
        self.ensure_one()
        if self.month_day:
            return 31
        return 7 * max(self.interval_weeks, 1)

    @api.model
    def _get_suggested_target_caps(self, pairs, period):
        """Suggested quantities never exceed what remains of the dealer's monthly quantity target for
        the product's category (the most specific target node; one without category covers all)."""
        caps = super()._get_suggested_target_caps(pairs, period)
        if not pairs:
            return caps
        targets = self.env["channel.target"].sudo()._get_remaining_qty_caps(pairs, period[0])
        for key, remaining in targets.items():
            caps[key] = min(caps[key], remaining) if key in caps else remaining
        return caps
