from odoo import api, fields, models
from odoo.osv import expression


class ChannelScopeMixin(models.AbstractModel):
    """Who a record applies to: channel companies of some tiers, in some territories (a territory
    includes its sub-territories) and/or listed by name. An empty criterion does not restrict.

    The scope is always read as superuser with the sub-territories resolved to ids, so that it
    never depends on the record rules of whoever evaluates it. Models whose scope fields have other
    names (or lack one of them) set ``_channel_scope_tier_field``, ``_channel_scope_territory_field``
    and ``_channel_scope_partner_field`` (``None`` when absent)."""

    _name = "channel.scope.mixin"
    _description = "Channel Scope"

    _channel_scope_tier_field = "tier_ids"
    _channel_scope_territory_field = "territory_ids"
    _channel_scope_partner_field = "partner_ids"

    tier_ids = fields.Many2many("channel.tier", string="Tiers", help="Empty: every tier.")
    territory_ids = fields.Many2many(
        "channel.territory",
        string="Territories",
        help="A territory includes its sub-territories. Empty: everywhere.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Partners",
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
        help="Empty: every partner matching the tiers and territories.",
    )

    # ------------------------------------------------------------------
    # Criteria
    # ------------------------------------------------------------------
    def _channel_scope_values(self):
        """(tiers, territories, partners) of the record, read as superuser (empty when not set)."""
        self.ensure_one()
        scope = self.sudo()
        return tuple(
            scope[name] if name else self.env[comodel]
            for name, comodel in (
                (self._channel_scope_tier_field, "channel.tier"),
                (self._channel_scope_territory_field, "channel.territory"),
                (self._channel_scope_partner_field, "res.partner"),
            )
        )

    def _channel_scope_territories(self):
        """The territories of the scope with all their sub-territories (superuser, resolved)."""
        _tiers, territories, _partners = self._channel_scope_values()
        if not territories:
            return territories
        return self.env["channel.territory"].sudo().search(
            [("id", "child_of", territories.ids)]
        )

    @api.model
    def _channel_scope_unlisted_domain(self):
        """res.partner domain of the partners a scope without listed partners applies to: every
        channel company. Override to narrow it (e.g. to dealers only)."""
        return [("channel_role", "!=", False)]

    # ------------------------------------------------------------------
    # Partners in scope
    # ------------------------------------------------------------------
    def _channel_scope_domain(self):
        """res.partner domain of the channel companies (``res.partner._channel_entity_domain``) in
        the scope of this record."""
        self.ensure_one()
        tiers, territories, partners = self._channel_scope_values()
        domain = self.env["res.partner"]._channel_entity_domain()
        if partners:
            domain = expression.AND([domain, [("id", "in", partners.ids)]])
        else:
            domain = expression.AND([domain, self._channel_scope_unlisted_domain()])
        if tiers:
            domain = expression.AND([domain, [("channel_tier_id", "in", tiers.ids)]])
        if territories:
            domain = expression.AND([domain, [("channel_territory_id", "in", self._channel_scope_territories().ids)]])
        return domain

    def _channel_scope_matches(self, tier=None, territory=None, partner=None):
        """In memory: whether ``tier``, ``territory`` and ``partner`` (a commercial partner) meet the
        criteria of this record. A criterion set on the record and not given here fails. Used where
        the place is not the partner's own (a price floor checked where an inspection took place)."""
        self.ensure_one()
        tiers, territories, partners = self._channel_scope_values()
        if partners and (not partner or partner not in partners):
            return False
        if tiers and (not tier or tier not in tiers):
            return False
        if territories:
            return bool(territory) and any(t._covers(territory) for t in territories)
        return True

    def _channel_in_scope(self, partner):
        """True when the commercial partner of ``partner`` is in the scope of this record (the same
        rule as :meth:`_channel_scope_domain`, checked in memory)."""
        self.ensure_one()
        commercial = partner.commercial_partner_id.sudo()
        if not commercial.active or not commercial.filtered_domain(commercial._channel_entity_domain()):
            return False
        _tiers, _territories, partners = self._channel_scope_values()
        if not partners and not commercial.filtered_domain(self._channel_scope_unlisted_domain()):
            return False
        return self._channel_scope_matches(commercial.channel_tier_id, commercial.channel_territory_id, commercial)

    # ------------------------------------------------------------------
    # Records whose scope includes a partner
    # ------------------------------------------------------------------
    @api.model
    def _channel_scope_records_domain(self, partner):
        """Domain on this model of the records whose scope includes the commercial ``partner``."""
        return self.env["channel.scope.mixin"]._channel_scope_covering_domain(
            partner,
            self._channel_scope_tier_field,
            self._channel_scope_territory_field,
            self._channel_scope_partner_field,
            self._channel_scope_unlisted_domain(),
        )

    @api.model
    def _channel_scope_covering_domain(self, partner, tier_field, territory_field, partner_field, unlisted_domain):
        """Domain of the records (with scope fields of these names) whose scope includes the
        commercial ``partner``: the reverse of :meth:`_channel_scope_domain`, shared with models that
        keep their own scope fields without inheriting this mixin."""
        commercial = partner.commercial_partner_id.sudo()
        parts = []
        if partner_field:
            if commercial.filtered_domain(unlisted_domain):
                parts.append(["|", (partner_field, "=", False), (partner_field, "in", commercial.ids)])
            else:
                parts.append([(partner_field, "in", commercial.ids)])
        if tier_field:
            tiers = [(tier_field, "=", False)]
            if commercial.channel_tier_id:
                tiers = ["|", *tiers, (tier_field, "in", commercial.channel_tier_id.ids)]
            parts.append(tiers)
        if territory_field:
            territories = [(territory_field, "=", False)]
            if commercial.channel_territory_id:
                ancestors = [int(pid) for pid in (commercial.channel_territory_id.parent_path or "").split("/") if pid]
                territories = ["|", *territories, (territory_field, "in", ancestors)]
            parts.append(territories)
        return expression.AND(parts) if parts else []
