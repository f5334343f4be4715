import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

CITY_SEPARATORS = re.compile(r"[,\n;，；、]+")


class ChannelTerritory(models.Model):
    _name = "channel.territory"
    _description = "Sales Territory"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name", "code"]
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

    @api.depends("name", "complete_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # complete_name is stored in English for search and order; show the path in the user's language.
        for territory in self:
            if territory.parent_id:
                territory.display_name = f"{territory.parent_id.display_name} / {territory.name}"
            else:
                territory.display_name = territory.name

    def _compute_dealer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("channel_territory_id", "child_of", self.ids), ("channel_role", "=", "dealer")]
                + self.env["res.partner"]._channel_entity_domain(),
                ["channel_territory_id"],
                ["__count"],
            )
        )
        for territory in self:
            territory.dealer_count = sum(
                count for terr, count in counts.items() if terr.parent_path.startswith(territory.parent_path)
            )

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.res_partner_dealer_action")
        action["domain"] = [("channel_territory_id", "child_of", self.id), ("channel_role", "=", "dealer")]
        action["domain"] += self.env["res.partner"]._channel_entity_domain()
        action["context"] = {"default_channel_territory_id": self.id, "default_channel_role": "dealer"}
        return action

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A territory cannot be its own ancestor."))

    @api.model
    def _normalize_city(self, city):
        """City names compare without case, spaces or a trailing 市 / "city": 杭州市 = 杭州."""
        city = "".join((city or "").split()).casefold()
        for suffix in ("市", "city"):
            if city.endswith(suffix) and len(city) > len(suffix):
                city = city[: -len(suffix)]
        return city

    def _get_city_set(self):
        self.ensure_one()
        return {
            self._normalize_city(c) for c in CITY_SEPARATORS.split(self.city_names or "") if c.strip()
        }

    def _covers(self, other):
        """True when ``self`` is ``other`` or one of its ancestors."""
        self.ensure_one()
        return bool(other) and (other.parent_path or "").startswith(self.parent_path or "")

    def _get_match_criteria(self):
        """(country, states, cities) an address must meet to be covered by this territory.

        Country and states are inherited from the nearest ancestor that sets them; cities are the
        territory's own.
        """
        self.ensure_one()
        country, states, territory = self.country_id, self.state_ids, self.parent_id
        while territory and not (country and states):
            country = country or territory.country_id
            states = states or territory.state_ids
            territory = territory.parent_id
        return country, states, self._get_city_set()

    def _address_matches(self, partner, cities, criteria=None):
        """Whether this territory covers ``partner``'s address.

        The address must be in the territory's country and, when it has a state, in the territory's
        states (both possibly inherited); and its own states or its own cities must name it. A
        territory that names no state and no city is a grouping node and covers nothing by itself.
        """
        country, states, _own_cities = criteria or self._get_match_criteria()
        if not (self.state_ids or cities):
            return False
        if country and partner.country_id != country:
            return False
        if states and partner.state_id and partner.state_id not in states:
            return False
        return (bool(partner.state_id) and partner.state_id in self.state_ids) or (
            self._normalize_city(partner.city) in cities
        )

    @api.model
    def _match_partners(self, partners):
        """Return {partner: deepest territory covering its address} for every partner given.

        All active territories are read once; the deepest territory that covers the address wins
        (ties: the lowest code). A contact without an address of its own uses its company's.
        """
        territories = self.search([])
        criteria = {territory: territory._get_match_criteria() for territory in territories}
        rank = {t: (-t.parent_path.count("/"), t.code) for t in territories}
        # Only the territories naming the address's city or province can cover it.
        by_city, by_state = defaultdict(list), defaultdict(list)
        for territory in territories:
            for city in criteria[territory][2]:
                by_city[city].append(territory)
            for state in territory.state_ids:
                by_state[state.id].append(territory)
        result = {}
        for partner in partners:
            address = partner.commercial_partner_id if not partner.city and not partner.state_id else partner
            candidates = set(by_city.get(self._normalize_city(address.city), ()))
            candidates.update(by_state.get(address.state_id.id, ()))
            result[partner] = next(
                (
                    t for t in sorted(candidates, key=rank.get)
                    if t._address_matches(address, criteria[t][2], criteria[t])
                ),
                self.browse(),
            )
        return result

    @api.model
    def _match_partner(self, partner):
        """The deepest territory that covers ``partner``'s address (empty recordset when none)."""
        partner.ensure_one()
        return self._match_partners(partner)[partner]

    @api.model
    def find_for_partner(self, partner_id):
        """RPC-friendly wrapper of :meth:`_match_partner`: the territory id, or False."""
        partner = self.env["res.partner"].browse(partner_id).exists()
        return (self._match_partner(partner).id or False) if partner else False
