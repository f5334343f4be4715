from odoo import api, fields, models
from odoo.exceptions import UserError

from .channel_agreement import AGREEMENT_TYPES


class JointMarketingBody(models.Model):
    _name = "joint.marketing.body"
    _description = "Regional Joint-marketing Body"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state, name"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    territory_id = fields.Many2one("channel.territory", string="Territory", required=True, index=True, tracking=True)
    dealer_id = fields.Many2one(
        "res.partner", string="Lead Dealer", required=True, index=True, tracking=True,
        domain=lambda self: [("channel_role", "=", "dealer"), *self.env["res.partner"]._channel_entity_domain()],
    )
    user_id = fields.Many2one("res.users", string="Regional Staff", default=lambda self: self.env.user, tracking=True)
    body_type = fields.Selection(AGREEMENT_TYPES, string="Type", required=True, default="comprehensive",
                                 tracking=True)
    state = fields.Selection(
        [("draft", "Planned"), ("active", "Founded"), ("dissolved", "Dissolved")],
        default="draft", required=True, index=True, tracking=True,
    )
    date_founded = fields.Date(readonly=True, copy=False)
    agreement_ids = fields.One2many("channel.agreement", "body_id", string="Agreements")
    agreement_count = fields.Integer(compute="_compute_agreement_count")
    distributor_count = fields.Integer(compute="_compute_coverage", string="Active Distributors")
    retailer_count = fields.Integer(compute="_compute_coverage", string="Active Retailers")
    violation_count = fields.Integer(compute="_compute_coverage", string="Open Violations")
    alert_count = fields.Integer(compute="_compute_coverage", string="Open Alerts")
    year = fields.Integer(compute="_compute_year")
    target_amount = fields.Monetary(compute="_compute_targets", string="Target (Year)")
    achieved_amount = fields.Monetary(compute="_compute_targets", string="Achieved (Year)")
    achievement_rate = fields.Float(compute="_compute_targets", string="Achievement (%)", digits=(16, 1))
    evaluation_ids = fields.Many2many("channel.target", compute="_compute_targets", string="Evaluation per Month")
    suitability_issues = fields.Text(related="territory_id.suitability_issues")
    suitable_for_body = fields.Boolean(related="territory_id.suitable_for_body")

    @api.depends("agreement_ids")
    def _compute_agreement_count(self):
        for body in self:
            body.agreement_count = len(body.agreement_ids)

    def _compute_year(self):
        year = fields.Date.context_today(self).year
        for body in self:
            body.year = year

    def _member_domain(self, role):
        self.ensure_one()
        return [
            ("channel_role", "=", role),
            ("channel_dealer_id", "=", self.dealer_id.id),
            ("channel_state", "=", "active"),
            ("channel_territory_id", "child_of", self.territory_id.id),
        ]

    def _compute_coverage(self):
        Partner = self.env["res.partner"]
        dealers = self.dealer_id
        members = {
            (dealer.id, role, territory.id): count
            for dealer, role, territory, count in Partner._read_group(
                [("channel_dealer_id", "in", dealers.ids), ("channel_state", "=", "active"),
                 ("channel_role", "in", ("distributor", "retailer"))],
                ["channel_dealer_id", "channel_role", "channel_territory_id"],
                ["__count"],
            )
        }
        violations = dict(self.env["channel.violation"].sudo()._read_group(
            [("partner_id.channel_dealer_id", "in", dealers.ids), ("state", "in", ("draft", "confirmed"))],
            ["partner_id"], ["__count"],
        ))
        alerts = dict(self.env["channel.alert"].sudo()._read_group(
            [("partner_id", "in", dealers.ids), ("state", "in", self._open_alert_states())],
            ["partner_id"], ["__count"],
        ))
        territories = self.env["channel.territory"].browse({key[2] for key in members if key[2]})
        path_by_id = {territory.id: territory.parent_path or "" for territory in territories}
        for body in self:
            paths = body.territory_id.parent_path or ""
            counts = {"distributor": 0, "retailer": 0}
            for (dealer_id, role, territory_id), count in members.items():
                if dealer_id == body.dealer_id.id and paths and path_by_id.get(territory_id, "").startswith(paths):
                    counts[role] += count
            body.distributor_count = counts["distributor"]
            body.retailer_count = counts["retailer"]
            body.violation_count = sum(count for partner, count in violations.items()
                                       if partner.channel_dealer_id == body.dealer_id)
            body.alert_count = alerts.get(body.dealer_id, 0)

    @api.model
    def _open_alert_states(self):
        return ["open", "acknowledged"]

    def _compute_targets(self):
        year = fields.Date.context_today(self).year
        nodes = self.env["channel.target"].search([
            ("partner_id", "in", self.dealer_id.ids), ("year", "=", year), ("categ_id", "=", False),
        ])
        for body in self:
            own = nodes.filtered(lambda n, b=body: n.partner_id == b.dealer_id
                                 and n.territory_id == b.territory_id)
            yearly = own.filtered(lambda n: not n.month)[:1]
            body.target_amount = yearly.target_amount
            body.achieved_amount = yearly.achieved_amount
            body.achievement_rate = yearly.achievement_rate
            body.evaluation_ids = yearly.month_ids

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_found(self):
        for body in self:
            if body.state != "draft":
                raise UserError(self.env._("The body %s is already founded or dissolved.", body.display_name))
            if not body.agreement_ids.filtered(lambda a: a.state in ("signed", "active")):
                raise UserError(
                    self.env._("A body is founded by a signed agreement: %s has none yet.", body.display_name)
                )
        self.write({"state": "active", "date_founded": fields.Date.context_today(self)})
        return True

    def action_dissolve(self):
        self.write({"state": "dissolved"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft", "date_founded": False})
        return True

    def _action_partners(self, role):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Distributors") if role == "distributor" else self.env._("Retailers"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": self._member_domain(role),
        }

    def action_view_distributors(self):
        return self._action_partners("distributor")

    def action_view_retailers(self):
        return self._action_partners("retailer")

    def action_view_agreements(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Agreements"),
            "res_model": "channel.agreement",
            "view_mode": "list,form",
            "domain": [("body_id", "=", self.id)],
            "context": {"default_body_id": self.id, "default_dealer_id": self.dealer_id.id,
                        "default_territory_id": self.territory_id.id},
        }

    def action_view_violations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Violations"),
            "res_model": "channel.violation",
            "view_mode": "list,form",
            "domain": [
                ("partner_id.channel_dealer_id", "=", self.dealer_id.id), ("state", "in", ("draft", "confirmed")),
            ],
        }

    def action_view_alerts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Alerts"),
            "res_model": "channel.alert",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.dealer_id.id), ("state", "in", self._open_alert_states())],
        }

    def action_view_targets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Targets"),
            "res_model": "channel.target",
            "view_mode": "list,pivot,graph,form",
            "domain": [("territory_id", "child_of", self.territory_id.id)],
        }
