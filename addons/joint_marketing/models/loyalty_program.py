from markupsafe import escape

from odoo import fields, models
from odoo.fields import Command


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    channel_announcement_ids = fields.One2many("channel.announcement", "loyalty_program_id",
                                               string="Announcements")

    def _prepare_channel_announcement_vals(self):
        self.ensure_one()
        dates = ""
        if self.date_from or self.date_to:
            dates = self.env._(" (%(start)s – %(end)s)", start=self.date_from or "", end=self.date_to or "")
        body = self.env._(
            "<p>New promotion: %(name)s%(dates)s.</p>"
            "<p><a href=\"/my/channel/order\">Order now in the quick order</a></p>",
            name=escape(self.name), dates=dates,
        )
        return {
            "name": self.name,
            "body": body,
            "loyalty_program_id": self.id,
            "tier_ids": [Command.set(self.channel_tier_ids.ids)],
            "territory_ids": [Command.set(self.channel_territory_ids.ids)],
            "date_expire": self.date_to,
        }

    def action_channel_announce(self):
        """Create a draft announcement of the promotion (same tiers and territories) linking to the
        quick order, and open it."""
        self.ensure_one()
        self.env["res.users"]._channel_check_internal_caller()
        announcement = self.env["channel.announcement"].create(self._prepare_channel_announcement_vals())
        return announcement._get_form_action()
