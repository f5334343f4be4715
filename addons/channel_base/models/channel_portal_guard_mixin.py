from odoo import api, models
from odoo.exceptions import AccessError


class ChannelPortalGuardMixin(models.AbstractModel):
    """Write guard for the models a portal user has rights on.

    A portal session reaches every model it has rights on through JSON-RPC, so the model itself refuses
    what a dealer never decides. For a share (portal or public) user not running as superuser:

    - ``create()`` is refused unless the model lists the fields a portal user may set
      (``_portal_create_fields``); any other field in the values is refused, and the partner field
      (``_portal_partner_field``) is forced to the user's commercial partner;
    - ``write()`` is refused on every field not listed in ``_portal_write_fields``.

    Internal users and superuser code (controllers that validated the request and then create as
    superuser) are never affected. Inherit it and set the three attributes; nothing else is needed.
    """

    _name = "channel.portal.guard.mixin"
    _description = "Portal Write Guard"

    # None: portal users never create records of the model through the ORM (the default).
    _portal_create_fields = None
    # Fields a portal user may write on its records (none by default).
    _portal_write_fields = ()
    # Many2one to res.partner forced to the portal user's commercial partner at creation.
    _portal_partner_field = None

    def _portal_guard_applies(self):
        """True when the current user is a share user outside superuser mode."""
        return not self.env.su and not self.env.user._is_internal()

    def _portal_guard_refuse(self, fnames):
        raise AccessError(
            self.env._(
                "You may not set these fields of %(model)s from the portal: %(fields)s.",
                model=self._description,
                fields=", ".join(sorted(fnames)),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if self._portal_guard_applies():
            if self._portal_create_fields is None:
                raise AccessError(
                    self.env._("%s records are created through the portal pages only.", self._description)
                )
            allowed = set(self._portal_create_fields)
            partner = self.env.user.commercial_partner_id
            for vals in vals_list:
                refused = set(vals) - allowed - {self._portal_partner_field}
                if refused:
                    self._portal_guard_refuse(refused)
                if self._portal_partner_field:
                    vals[self._portal_partner_field] = partner.id
        return super().create(vals_list)

    def write(self, vals):
        if self._portal_guard_applies():
            refused = set(vals) - set(self._portal_write_fields)
            if refused:
                self._portal_guard_refuse(refused)
        return super().write(vals)
