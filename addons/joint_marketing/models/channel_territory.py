from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# Suggested classification: a key market is large and growing, a secondary one large enough for a body.
KEY_CAPACITY_FACTOR = 5.0
KEY_MIN_GROWTH = 5.0
ROUTE_MAX_DAYS = 15


class ChannelTerritory(models.Model):
    _inherit = "channel.territory"

    market_capacity = fields.Float(
        string="Market Capacity", digits=(16, 2),
        help="Estimated yearly sales of the product category in the territory, all brands, in company currency.",
    )
    growth_rate = fields.Float(string="Market Growth (%)", digits=(16, 2), help="Yearly growth of the market.")
    channel_concentration = fields.Float(
        string="Channel Concentration (%)", digits=(16, 2),
        help="Share of the market held by the three largest dealers of the territory, all brands.",
    )
    competitor_count = fields.Integer(string="Competitors", help="Competing brands present in the territory.")
    channel_share = fields.Float(string="Our Channel Share (%)", digits=(16, 2),
                                 help="Our share of the territory's market.")
    candidate_turnover = fields.Float(
        string="Candidate Dealers' Turnover", digits=(16, 2),
        help="Annual turnover of the dealers who could lead a joint-marketing body here.",
    )
    suggested_classification = fields.Selection(
        [("key", "Key"), ("secondary", "Secondary"), ("general", "General")],
        compute="_compute_suggested_classification",
        help="Key: capacity at least five times the minimum and growth of 5% or more; secondary: capacity at "
        "least the minimum; general otherwise. The classification itself stays yours to set.",
    )
    body_ids = fields.One2many("joint.marketing.body", "territory_id", string="Joint-marketing Bodies")
    suitability_issues = fields.Text(compute="_compute_suitability_issues", string="Suitability Issues")
    suitable_for_body = fields.Boolean(compute="_compute_suitability_issues", string="Suitable for a Body")

    @api.model
    def _get_min_market_capacity(self):
        return float(self.env["ir.config_parameter"].sudo().get_param("joint_marketing.min_market_capacity", 0) or 0)

    @api.depends("market_capacity", "growth_rate")
    def _compute_suggested_classification(self):
        minimum = self._get_min_market_capacity()
        for territory in self:
            capacity = territory.market_capacity
            if capacity and capacity >= minimum * KEY_CAPACITY_FACTOR and territory.growth_rate >= KEY_MIN_GROWTH:
                territory.suggested_classification = "key"
            elif capacity and capacity >= minimum:
                territory.suggested_classification = "secondary"
            else:
                territory.suggested_classification = "general"

    @api.depends_context("lang")
    @api.depends("market_capacity")
    def _compute_suitability_issues(self):
        issues = self._get_suitability_issues()
        for territory in self:
            territory.suitability_issues = "\n".join(issues.get(territory.id, []))
            territory.suitable_for_body = not issues.get(territory.id)

    def _get_suitability_issues(self):
        """{territory id: [issue, ...]}: what speaks against founding a body here. Three checks: the
        market capacity is below the minimum (setting), no dealer of the territory is served by a fixed
        delivery route running at least every 15 days, open cross-territory violations were found in
        the territory in the last 12 months."""
        result = {}
        territories = self.filtered("id")
        if not territories:
            return result
        minimum = self._get_min_market_capacity()
        routed = self._get_territories_with_routed_dealer(territories)
        violations = self._get_open_cross_territory_counts(territories)
        for territory in territories:
            issues = []
            if territory.market_capacity < minimum or not territory.market_capacity:
                capacity_text = format(territory.market_capacity, ",.0f")
                minimum_text = format(minimum, ",.0f")
                issues.append(self.env._("Market capacity %(capacity)s is below the minimum of %(minimum)s.",
                                capacity=capacity_text, minimum=minimum_text))
            if territory.id not in routed:
                issues.append(self.env._("No dealer of the territory can deliver on a fixed route within %s days.",
                                ROUTE_MAX_DAYS))
            if violations.get(territory.id):
                issues.append(self.env._("%s open cross-territory violations in the last 12 months.",
                                violations[territory.id]))
            result[territory.id] = issues
        return result

    @api.model
    def _get_territories_with_routed_dealer(self, territories):
        """Ids of ``territories`` with an active dealer (in it or below it) on a route of at most 15 days."""
        Route = self.env["channel.delivery.route"]
        routes = Route.search([("active", "=", True)])
        fast_routes = routes.filtered(lambda r: r._get_cycle_days() <= ROUTE_MAX_DAYS)
        if not fast_routes:
            return set()
        groups = self.env["res.partner"]._read_group(
            [
                ("channel_role", "=", "dealer"),
                ("channel_state", "in", ("prospect", "active")),
                ("channel_route_id", "in", fast_routes.ids),
                ("channel_territory_id", "child_of", territories.ids),
            ],
            ["channel_territory_id"],
        )
        paths = [territory.parent_path for (territory,) in groups]
        return {t.id for t in territories if any(path.startswith(t.parent_path) for path in paths)}

    @api.model
    def _get_open_cross_territory_counts(self, territories):
        since = fields.Date.context_today(self) - relativedelta(months=12)
        groups = self.env["channel.violation"].sudo()._read_group(
            [
                ("violation_type", "=", "cross_territory"),
                ("state", "in", ("draft", "confirmed")),
                ("date", ">=", since),
                ("territory_id", "child_of", territories.ids),
            ],
            ["territory_id"],
            ["__count"],
        )
        counts = {}
        for territory in territories:
            counts[territory.id] = sum(
                count for found_in, count in groups if found_in.parent_path.startswith(territory.parent_path)
            )
        return counts

    def action_apply_suggested_classification(self):
        for territory in self:
            territory.classification = territory.suggested_classification
        return True
