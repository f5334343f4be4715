from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    rebate_settlement_count = fields.Integer(compute="_compute_rebate_settlement_count", groups="base.group_user")

    def _compute_rebate_settlement_count(self):
        counts = dict(
            self.env["rebate.settlement"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.rebate_settlement_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_rebate_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rebate_policy.rebate_settlement_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_policy": 1}
        return action

    # ------------------------------------------------------------------
    # Cockpit (/my/channel)
    # ------------------------------------------------------------------
    def _rebate_cockpit_card(self, shown=3):
        """The progress of the current period of the policies in scope (the figures of
        /my/channel/rebates, every base read with one query): the ``shown`` policies nearest to their
        next threshold first, then those without one."""
        self.ensure_one()
        policies_sudo = self.env["rebate.policy"].sudo()._get_partner_policies(self)
        progress_list = policies_sudo._get_partner_progress_list(self, fields.Date.context_today(self))
        ranked = sorted(progress_list, key=lambda p: (not p["next_threshold"], -p["progress"]))
        return {
            "name": "rebates",
            "sequence": 50,
            "title": self.env._("Rebate progress"),
            "template": "rebate_policy.portal_channel_card_rebates",
            "url": "/my/channel/rebates",
            "url_label": self.env._("My rebates"),
            "progress": ranked[:shown],
            "policy_count": len(progress_list),
        }

    def _channel_cockpit_cards(self):
        cards = super()._channel_cockpit_cards()
        if self.env.user._channel_portal_can("read"):
            cards.append(self._rebate_cockpit_card())
        return cards
