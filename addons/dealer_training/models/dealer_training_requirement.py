from odoo import api, fields, models

from .res_partner import JOB_ROLES


class DealerTrainingRequirement(models.Model):
    _name = "dealer.training.requirement"
    _description = "Dealer Training Requirement"
    _inherit = ["mail.thread", "channel.scope.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Html(translate=True)
    tier_ids = fields.Many2many(
        "channel.tier",
        string="Tiers",
        help="Dealer tiers whose staff must follow this curriculum. Empty: every tier.",
    )
    territory_ids = fields.Many2many(
        "channel.territory",
        string="Territories",
        help="Only staff of dealers in these territories or their sub-territories. Empty: everywhere.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Dealers",
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
        help="Only staff of these dealers. Empty: every dealer matching the tiers and territories.",
    )
    job_role = fields.Selection(
        JOB_ROLES,
        tracking=True,
        help="Staff role this curriculum applies to. Empty: every role.",
    )
    slide_channel_ids = fields.Many2many(
        "slide.channel",
        string="Courses",
        domain=[("channel_type", "=", "training")],
        help="Courses the staff must complete. Staff are enrolled when the requirement starts applying to them.",
    )
    survey_ids = fields.Many2many(
        "survey.survey",
        string="Certifications",
        domain=[("certification", "=", True)],
        help="Certifications the staff must pass (a successful attempt counts).",
    )
    due_days = fields.Integer(
        string="Due in (days)",
        default=30,
        tracking=True,
        help="Days given to complete each item after the person joins or the requirement starts applying "
        "to them. 0: no deadline.",
    )
    validity_months = fields.Integer(
        string="Valid for (months)",
        default=0,
        tracking=True,
        help="Months a completed item stays valid before it must be renewed. 0: forever.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    status_ids = fields.One2many("dealer.training.status", "requirement_id", string="Statuses")
    # figures over every dealer: for the manufacturer's staff only
    status_count = fields.Integer(compute="_compute_status_stats", groups="base.group_user")
    compliance = fields.Float(
        string="Compliance (%)", compute="_compute_status_stats", digits=(16, 1), groups="base.group_user"
    )

    _sql_constraints = [
        ("due_days_positive", "CHECK(due_days >= 0)", "The number of due days cannot be negative."),
        ("validity_months_positive", "CHECK(validity_months >= 0)", "The validity cannot be negative."),
    ]

    def _compute_status_stats(self):
        groups = self.env["dealer.training.status"].sudo()._read_group(
            [("requirement_id", "in", self.ids)], ["requirement_id", "state"], ["__count"]
        )
        totals, done = {}, {}
        for requirement, state, count in groups:
            totals[requirement.id] = totals.get(requirement.id, 0) + count
            if state == "done":
                done[requirement.id] = done.get(requirement.id, 0) + count
        for requirement in self:
            total = totals.get(requirement.id, 0)
            requirement.status_count = total
            requirement.compliance = 100.0 * done.get(requirement.id, 0) / total if total else 100.0

    # ------------------------------------------------------------------
    # CRUD: a new or changed requirement starts applying at once
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        requirements = super().create(vals_list)
        self.env["dealer.training.status"]._sync_statuses(requirements=requirements)
        return requirements

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(self._sync_trigger_fields()):
            self.env["dealer.training.status"]._sync_statuses(requirements=self.with_context(active_test=False))
        if {"due_days", "validity_months"} & set(vals):
            self._update_status_dates(vals)
        return res

    @api.model
    def _sync_trigger_fields(self):
        return ["tier_ids", "territory_ids", "partner_ids", "job_role", "slide_channel_ids", "survey_ids", "active"]

    def _update_status_dates(self, vals):
        """Re-date the open and done statuses when the deadline or the validity changes."""
        statuses = self.env["dealer.training.status"].search([("requirement_id", "in", self.ids)])
        if "due_days" in vals:
            statuses.filtered(lambda s: s.state in ("todo", "overdue"))._reset_due_date()
        statuses._refresh_state()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _applies_to(self, person):
        """Whether this requirement applies to a staff member (whose staff-ness is already known)."""
        self.ensure_one()
        company = person.commercial_partner_id
        if not self._channel_scope_matches(company.channel_tier_id, company.channel_territory_id, company):
            return False
        return not self.job_role or self.job_role == person.channel_job_role

    def _get_required_items(self):
        """(slide.channel, survey.survey) pairs to track, one of them empty, in a stable order."""
        self.ensure_one()
        items = [(channel, self.env["survey.survey"]) for channel in self.slide_channel_ids]
        items += [(self.env["slide.channel"], survey) for survey in self.survey_ids]
        return items

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_apply(self):
        """Create the missing statuses now (for staff added in ways that bypass the usual triggers)."""
        Status = self.env["dealer.training.status"]
        Status._check_internal_caller()
        self.env["channel.batch"]._lock(Status._training_lock_name(), self.env._("The training status refresh"))
        Status._sync_statuses(requirements=self)
        return True

    def action_view_statuses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_training.dealer_training_status_action")
        action["domain"] = [("requirement_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action
