import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CITY_SEPARATORS = re.compile(r"[,\n;，；、]+")


class ChannelTerritory(models.Model):
    _name = "channel.territory"
    _description = "Sales Territory"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    code = fields.Char(required=True, index=True)
    parent_id = fields.Many2one("channel.territory", string="Parent Territory", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("channel.territory", "parent_id", string="Sub-territories")
    level = fields.Selection(
        [("province", "Province"), ("city", "City"), ("district", "District"), ("county", "County")],
        required=True,
        default="province",
    )
    classification = fields.Selection(
        [("key", "Key"), ("secondary", "Secondary"), ("general", "General")],
        default="general",
        required=True,
        help="Key markets get the most attention and resources.",
    )
    manager_id = fields.Many2one("res.users", string="Territory Manager", index=True)
    country_id = fields.Many2one("res.country")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    city_names = fields.Text(
        string="Cities",
        help="City names covered by this territory, one per line or separated by commas.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    partner_ids = fields.One2many("res.partner", "channel_territory_id", string="Partners")
    dealer_count = fields.Integer(compute="_compute_dealer_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a territory must be unique."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            if territory.parent_id:
                territory.complete_name = f"{territory.parent_id.complete_name} / {territory.name}"
            else:
                territory.complete_name = territory.name

    def _compute_dealer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("channel_territory_id", "child_of", self.ids), ("channel_role", "=", "dealer")],
                ["channel_territory_id"],
                ["__count"],
            )
        )
        for territory in self:
            territory.dealer_count = sum(
                count for terr, count in counts.items() if terr.parent_path.startswith(territory.parent_path)
            )

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A territory cannot be its own ancestor."))

    def _get_city_set(self):
        self.ensure_one()
        return {c.strip().casefold() for c in CITY_SEPARATORS.split(self.city_names or "") if c.strip()}

    def _covers(self, other):
        """True when ``self`` is ``other`` or one of its ancestors."""
        self.ensure_one()
        return bool(other) and (other.parent_path or "").startswith(self.parent_path or "")

    def _address_matches(self, partner, cities):
        if not (self.country_id or self.state_ids or cities):
            return False
        if self.country_id and partner.country_id != self.country_id:
            return False
        if self.state_ids and partner.state_id not in self.state_ids:
            return False
        return not cities or (partner.city or "").strip().casefold() in cities

    @api.model
    def _match_partners(self, partners):
        """Return {partner: deepest territory covering its address} for every partner given.

        All active territories are read once; a territory matches when every address criterion it
        sets (country, states, cities) matches, and the deepest match wins.
        """
        territories = self.search([])
        cities = {territory: territory._get_city_set() for territory in territories}
        ranked = territories.sorted(lambda t: (-t.parent_path.count("/"), t.code))
        result = {}
        for partner in partners:
            address = partner.commercial_partner_id if not partner.city and not partner.state_id else partner
            result[partner] = next(
                (t for t in ranked if t._address_matches(address, cities[t])), self.browse()
            )
        return result

    @api.model
    def _match_partner(self, partner):
        """The deepest territory that covers ``partner``'s address (empty recordset when none)."""
        return self._match_partners(partner)[partner]

    @api.model
    def find_for_partner(self, partner_id):
        """RPC-friendly wrapper of :meth:`_match_partner`: the territory id, or False."""
        partner = self.env["res.partner"].browse(partner_id).exists()
        return self._match_partner(partner).id or False if partner else False
