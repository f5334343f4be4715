from odoo import api, models
from odoo.exceptions import AccessError

from .res_partner import JOB_ROLES

# What a channel member's portal user may do, and which job roles may do it by default.
# 'read' (orders, statement list pages, rebates) is open to every role.
PORTAL_ACTIONS = ("order", "receipt", "statement", "claim", "read")
PORTAL_DEFAULT_ROLES = {
    "order": ("owner", "sales", "back_office"),
    "receipt": ("warehouse",),
    "statement": ("owner", "back_office"),
    "claim": ("owner", "sales", "back_office"),
}
# Channel status of the member company each action needs: an active member does everything,
# a suspended one keeps its read access (orders, statement, rebates) and confirms receipts of goods
# already shipped; prospects and terminated members have no channel pages.
PORTAL_ACTION_STATES = {
    "order": ("active",),
    "claim": ("active",),
    "receipt": ("active", "suspended"),
    "statement": ("active", "suspended"),
    "read": ("active", "suspended"),
}
PORTAL_PARAM = "channel_base.portal_roles_%s"


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _channel_check_internal_caller(self):
        """Refuse a public method that works as superuser to anyone but the manufacturer's staff.

        Portal (and public) users reach every public model method over JSON-RPC: a method that
        runs ``sudo()`` on their behalf calls this first. The superuser (portal controllers after
        their own checks, crons) passes.
        """
        if self.env.su or self.env.user._is_internal():
            return True
        raise AccessError(self.env._("This action is reserved to the manufacturer's staff."))

    @api.model
    def _channel_portal_roles(self, action):
        """Job roles allowed to do ``action`` in the portal (Settings > Channel), as a set."""
        if action not in PORTAL_DEFAULT_ROLES:
            return {role for role, _label in JOB_ROLES}
        value = self.env["ir.config_parameter"].sudo().get_param(PORTAL_PARAM % action)
        if value is None or value is False:
            return set(PORTAL_DEFAULT_ROLES[action])
        valid = {role for role, _label in JOB_ROLES}
        return {role.strip() for role in value.split(",")} & valid

    def _channel_portal_job_role(self):
        """The job role this user acts with in its channel member company, or False.

        A contact without a job role (typically the company's own, single login) is the account of
        the company itself: it may do every action the settings allow to at least one role, so that a
        dealer that does not use job roles keeps working alone. Staff with a job role are restricted
        by it.
        """
        self.ensure_one()
        return self.partner_id.channel_job_role or False

    def _channel_portal_refusal(self, action):
        """Why this user may not do ``action`` in the channel portal (a translated sentence), or None."""
        self.ensure_one()
        if action not in PORTAL_ACTIONS:
            raise ValueError(action)
        company = self.partner_id.commercial_partner_id.sudo()
        if not company.channel_role:
            return self.env._("Your account does not belong to a channel member.")
        states = PORTAL_ACTION_STATES[action]
        if company.channel_state not in states:
            state_label = dict(company._fields["channel_state"]._description_selection(self.env)).get(
                company.channel_state, ""
            )
            if "active" in states and len(states) == 1 and company.channel_state == "suspended":
                return self.env._("%(company)s is suspended: you can read your orders, statement and rebates, "
                         "but not order or claim until the account is active again.", company=company.name)
            return self.env._("The channel account of %(company)s is %(state)s: these pages are not available.",
                     company=company.name, state=state_label)
        role = self._channel_portal_job_role()
        allowed = self._channel_portal_roles(action)
        if not role and not allowed:
            return self.env._("Nobody of your company may do this in the portal: %(action)s.",
                     action=self._channel_portal_action_label(action))
        if role and role not in allowed:
            role_label = dict(self.partner_id._fields["channel_job_role"]._description_selection(self.env)).get(role)
            return self.env._("Your job role (%(role)s) does not allow this: %(action)s. Ask your company's owner.",
                     role=role_label, action=self._channel_portal_action_label(action))
        return None

    @api.model
    def _channel_portal_action_label(self, action):
        return {
            "order": self.env._("ordering and submitting orders"),
            "receipt": self.env._("confirming the receipt of orders"),
            "statement": self.env._("reading the statement of account"),
            "claim": self.env._("filing claims"),
            "read": self.env._("reading the channel pages"),
        }[action]

    def _channel_portal_can(self, action):
        """Whether this user may do ``action`` ('order', 'receipt', 'statement', 'claim', 'read') in
        the channel portal: its company's channel status and its job role (Settings > Channel)."""
        self.ensure_one()
        return self._channel_portal_refusal(action) is None

    def _channel_portal_check(self, action):
        """Raise AccessError with a clear message when this user may not do ``action``."""
        self.ensure_one()
        refusal = self._channel_portal_refusal(action)
        if refusal:
            raise AccessError(refusal)
        return True
