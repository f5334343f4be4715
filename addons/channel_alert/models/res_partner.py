from odoo import fields, models


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

    def action_view_channel_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_alert.channel_alert_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_unresolved": 1}
        return action
