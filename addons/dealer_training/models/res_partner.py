from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.channel_base.models.res_partner import JOB_ROLES  # noqa: F401  (kept importable here)


class ResPartner(models.Model):
    _inherit = "res.partner"

    training_status_ids = fields.One2many("dealer.training.status", "partner_id", string="Training Statuses")
    training_log_ids = fields.One2many("dealer.training.log", "dealer_id", string="Field Trainings")
    training_required_count = fields.Integer(compute="_compute_training_compliance")
    training_done_count = fields.Integer(compute="_compute_training_compliance")
    training_compliance = fields.Float(
        string="Training Compliance (%)",
        compute="_compute_training_compliance",
        digits=(16, 1),
        help="Share of the required training items of the company's staff that are done and not expired.",
    )
    training_overdue_count = fields.Integer(string="Overdue Trainings", compute="_compute_training_compliance")
    training_expiring_count = fields.Integer(
        string="Trainings Expiring in 30 Days", compute="_compute_training_compliance"
    )
    training_compliant = fields.Boolean(
        string="Training Compliant",
        compute="_compute_training_compliance",
        search="_search_training_compliant",
        help="The company's training compliance reaches the threshold set in the settings (a company with "
        "nothing required is compliant): other modules read this flag, e.g. before a tier upgrade.",
    )
    training_log_count = fields.Integer(compute="_compute_training_log_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _training_compliance_threshold(self):
        return float(
            self.env["ir.config_parameter"].sudo().get_param("dealer_training.compliance_threshold", 80.0)
        )

    @api.model
    def _training_compliance_data(self, commercial_ids):
        """{commercial partner id: (required, done, overdue, expiring)} in two grouped queries."""
        Status = self.env["dealer.training.status"].sudo()
        data = {pid: [0, 0, 0, 0] for pid in commercial_ids}
        for dealer, state, count in Status._read_group(
            [("dealer_id", "in", list(commercial_ids))], ["dealer_id", "state"], ["__count"]
        ):
            row = data[dealer.id]
            row[0] += count
            if state == "done":
                row[1] += count
            elif state == "overdue":
                row[2] += count
        today = fields.Date.context_today(self)
        for dealer, count in Status._read_group(
            [
                ("dealer_id", "in", list(commercial_ids)),
                ("state", "=", "done"),
                ("expiry_date", "!=", False),
                ("expiry_date", "<=", today + timedelta(days=30)),
            ],
            ["dealer_id"],
            ["__count"],
        ):
            data[dealer.id][3] = count
        return data

    @api.depends_context("uid")
    def _compute_training_compliance(self):
        commercial = self.commercial_partner_id
        data = self._training_compliance_data(set(commercial.ids)) if commercial.ids else {}
        threshold = self._training_compliance_threshold()
        for partner in self:
            required, done, overdue, expiring = data.get(partner.commercial_partner_id.id, (0, 0, 0, 0))
            partner.training_required_count = required
            partner.training_done_count = done
            partner.training_compliance = 100.0 * done / required if required else 100.0
            partner.training_overdue_count = overdue
            partner.training_expiring_count = expiring
            partner.training_compliant = partner.training_compliance >= threshold

    def _search_training_compliant(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on training compliance."))
        threshold = self._training_compliance_threshold()
        totals, done = {}, {}
        for dealer, state, count in self.env["dealer.training.status"].sudo()._read_group(
            [], ["dealer_id", "state"], ["__count"]
        ):
            totals[dealer.id] = totals.get(dealer.id, 0) + count
            if state == "done":
                done[dealer.id] = done.get(dealer.id, 0) + count
        below = [pid for pid, total in totals.items() if 100.0 * done.get(pid, 0) / total < threshold]
        positive = (operator == "=") == value
        return [("commercial_partner_id", "not in" if positive else "in", below)]

    def _compute_training_log_count(self):
        counts = dict(
            self.env["dealer.training.log"]._read_group(
                [("dealer_id", "in", self.commercial_partner_id.ids)], ["dealer_id"], ["__count"]
            )
        )
        for partner in self:
            partner.training_log_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------------
    # Earned tiers: training compliance and certifications
    # ------------------------------------------------------------------
    def _channel_tier_figures(self):
        figures = super()._channel_tier_figures()
        compliance = self._training_compliance_data(set(self.ids)) if self else {}
        held = self._channel_tier_certifications()
        for partner_id, partner_figures in figures.items():
            required, done, _overdue, _expiring = compliance.get(partner_id, (0, 0, 0, 0))
            partner_figures["training_compliance"] = 100.0 * done / required if required else 100.0
            partner_figures["certification_ids"] = held.get(partner_id, set())
        return figures

    def _channel_tier_certifications(self):
        """{commercial partner id: ids of the certifications it holds}: passed (a successful, real
        attempt) by the company itself or one of its staff, and not expired. A pass expires when
        every training status tracking it for that person is expired (the requirements give the
        validity); a pass no requirement tracks does not expire. Two grouped queries."""
        if not self:
            return {}
        passed = self.env["survey.user_input"].sudo()._read_group(
            [
                ("partner_id.commercial_partner_id", "in", self.ids),
                ("survey_id.certification", "=", True),
                ("scoring_success", "=", True),
                ("test_entry", "=", False),
            ],
            ["partner_id", "survey_id"],
        )
        if not passed:
            return {}
        states = {}
        for person, survey, state in self.env["dealer.training.status"].sudo()._read_group(
            [("dealer_id", "in", self.ids), ("survey_id", "in", list({survey.id for _p, survey in passed}))],
            ["partner_id", "survey_id", "state"],
        ):
            states.setdefault((person.id, survey.id), set()).add(state)
        held = {}
        for person, survey in passed:
            if states.get((person.id, survey.id)) == {"expired"}:
                continue
            held.setdefault(person.commercial_partner_id.id, set()).add(survey.id)
        return held

    # ------------------------------------------------------------------
    # Staff
    # ------------------------------------------------------------------
    @api.model
    def _training_staff_domain(self):
        """Staff whose training is tracked: people with a job role in a channel member company."""
        return [
            ("is_company", "=", False),
            ("channel_job_role", "!=", False),
            ("commercial_partner_id.channel_role", "!=", False),
        ]

    def _is_channel_owner(self):
        """Whether this person manages the staff of its company (its owner, or the company itself)."""
        self.ensure_one()
        company = self.commercial_partner_id
        return bool(company.channel_role) and (self.channel_job_role == "owner" or self == company)

    @api.model
    def _training_person_fields(self):
        return {"channel_job_role", "parent_id", "active", "is_company"}

    @api.model
    def _training_company_fields(self):
        return {"channel_tier_id", "channel_territory_id", "channel_role"}

    # ------------------------------------------------------------------
    # CRUD: new staff, role, company and tier changes
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        staff = partners.filtered(lambda p: p.channel_job_role and not p.is_company)
        if staff:
            self.env["dealer.training.status"]._sync_statuses(partners=staff)
        return partners

    def write(self, vals):
        keys = set(vals)
        person_change = keys & self._training_person_fields()
        company_change = keys & self._training_company_fields()
        before = self.filtered(lambda p: p.channel_job_role) if person_change else self.browse()
        res = super().write(vals)
        if "channel_job_role" in vals:
            # portal record rules depend on the role (owner or not)
            self.env.registry.clear_cache()
        persons = self.browse()
        if person_change:
            persons |= before | self.filtered(lambda p: p.channel_job_role)
        if company_change:
            companies = self.filtered(lambda p: p.commercial_partner_id == p)
            if companies:
                persons |= self.with_context(active_test=False).search(
                    [("commercial_partner_id", "in", companies.ids), ("is_company", "=", False)]
                    + [("channel_job_role", "!=", False)]
                )
        if persons:
            self.env["dealer.training.status"]._sync_statuses(partners=persons)
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_training_statuses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_training.dealer_training_status_action")
        if self.is_company:
            action["domain"] = [("dealer_id", "=", self.commercial_partner_id.id)]
        else:
            action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_partner": 1}
        return action

    def action_view_training_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_training.dealer_training_log_action")
        action["domain"] = [("dealer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_dealer_id": self.commercial_partner_id.id}
        return action

    def action_view_training_staff(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Staff of %s", self.commercial_partner_id.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(self.env.ref("dealer_training.res_partner_view_list_staff").id, "list"), (False, "form")],
            "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id), ("is_company", "=", False)],
            "context": {
                "default_parent_id": self.commercial_partner_id.id,
                "default_type": "contact",
                "default_channel_job_role": "sales",
            },
        }

    # ------------------------------------------------------------------
    # Cockpit (/my/channel)
    # ------------------------------------------------------------------
    def _training_cockpit_card(self):
        """The required training items not done yet and the compliance, as /my/channel/training shows
        them: for the company's owner those of its whole staff, for anyone else their own (the record
        rules decide; one grouped query)."""
        self.ensure_one()
        counts = dict(
            self.env["dealer.training.status"]._read_group([("dealer_id", "=", self.id)], ["state"], ["__count"])
        )
        required = sum(counts.values())
        done = counts.get("done", 0)
        return {
            "name": "training",
            "sequence": 80,
            "title": self.env._("Training to do"),
            "template": "dealer_training.portal_channel_card_training",
            "url": "/my/channel/training",
            "url_label": self.env._("Training"),
            "is_owner": self.env.user.partner_id._is_channel_owner(),
            "required": required,
            "done": done,
            "todo": required - done,
            "overdue": counts.get("overdue", 0),
            "expired": counts.get("expired", 0),
            "compliance": round(100.0 * done / required, 1) if required else 100.0,
        }

    def _channel_cockpit_cards(self):
        cards = super()._channel_cockpit_cards()
        if self.env.user._channel_portal_can("read"):
            cards.append(self._training_cockpit_card())
        return cards
