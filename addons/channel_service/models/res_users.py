from odoo import models

# Channel status of the member company that may use the service pages: prospects get technical
# service before they sign (seed 000), suspended members may still ask and complain.
SERVICE_STATES = ("prospect", "active", "suspended")


class ResUsers(models.Model):
    _inherit = "res.users"

    def _channel_service_refusal(self):
        """Why this user may not file or read service requests in the portal (a translated sentence), or
        None. Unlike the other channel pages (``_channel_portal_refusal``), prospects are welcome."""
        self.ensure_one()
        company = self.partner_id.commercial_partner_id.sudo()
        if not company.channel_role:
            return self.env._("Your account does not belong to a channel member.")
        if company.channel_state not in SERVICE_STATES:
            state_label = dict(company._fields["channel_state"]._description_selection(self.env)).get(
                company.channel_state, ""
            )
            return self.env._(
                "The channel account of %(company)s is %(state)s: these pages are not available.",
                company=company.name,
                state=state_label,
            )
        return None

    def _channel_service_is_prospect(self):
        """Whether this user's company is a prospect (it may only file the types open to prospects)."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id.sudo().channel_state == "prospect"
