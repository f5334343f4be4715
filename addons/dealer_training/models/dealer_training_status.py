from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

STATES = [
    ("todo", "To Do"),
    ("done", "Done"),
    ("overdue", "Overdue"),
    ("expired", "Expired"),
]


class DealerTrainingStatus(models.Model):
    _name = "dealer.training.status"
    _description = "Dealer Staff Training Status"
    _order = "dealer_id, partner_id, requirement_id, id"
    _rec_name = "item_name"

    partner_id = fields.Many2one(
        "res.partner", string="Staff Member", required=True, index=True, ondelete="cascade", readonly=True
    )
    dealer_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        help="The company the staff member works for.",
    )
    job_role = fields.Selection(related="partner_id.channel_job_role", store=True)
    channel_tier_id = fields.Many2one(related="dealer_id.channel_tier_id", string="Tier", store=True, index=True)
    channel_territory_id = fields.Many2one(
        related="dealer_id.channel_territory_id", string="Territory", store=True, index=True
    )
    user_id = fields.Many2one(related="dealer_id.user_id", string="Salesperson", store=True)
    requirement_id = fields.Many2one(
        "dealer.training.requirement", required=True, index=True, ondelete="cascade", readonly=True
    )
    item_type = fields.Selection(
        [("course", "Course"), ("certification", "Certification")], required=True, readonly=True
    )
    slide_channel_id = fields.Many2one("slide.channel", string="Course", index=True, ondelete="cascade", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Certification", index=True, ondelete="cascade", readonly=True)
    item_key = fields.Char(compute="_compute_item_key", store=True)
    item_name = fields.Char(string="Item", compute="_compute_item_name", search="_search_item_name")
    state = fields.Selection(STATES, default="todo", required=True, index=True, readonly=True)
    due_date = fields.Date(index=True)
    done_date = fields.Date(readonly=True)
    expiry_date = fields.Date(index=True, readonly=True)
    active = fields.Boolean(default=True, readonly=True)
    compliance_score = fields.Float(
        string="Compliance (%)",
        compute="_compute_compliance_score",
        store=True,
        aggregator="avg",
        help="100 when the item is done and valid, else 0: its average is the compliance of any group.",
    )
    company_id = fields.Many2one(related="requirement_id.company_id", store=True)

    _sql_constraints = [
        (
            "item_uniq",
            "unique(partner_id, requirement_id, item_key)",
            "A staff member has one status per required item.",
        ),
        (
            "item_check",
            "CHECK((slide_channel_id IS NULL) != (survey_id IS NULL))",
            "A training status tracks either a course or a certification.",
        ),
    ]

    @api.depends("slide_channel_id", "survey_id")
    def _compute_item_key(self):
        for status in self:
            status.item_key = (
                f"c{status.slide_channel_id.id}" if status.slide_channel_id else f"s{status.survey_id.id}"
            )

    @api.depends("slide_channel_id", "survey_id")
    def _compute_item_name(self):
        for status in self.sudo():
            status.item_name = status.slide_channel_id.name or status.survey_id.title or ""

    def _search_item_name(self, operator, value):
        channels = self.env["slide.channel"].sudo()._search([("name", operator, value)])
        surveys = self.env["survey.survey"].sudo()._search([("title", operator, value)])
        return ["|", ("slide_channel_id", "in", channels), ("survey_id", "in", surveys)]

    @api.depends("state")
    def _compute_compliance_score(self):
        for status in self:
            status.compliance_score = 100.0 if status.state == "done" else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        statuses = super().create(vals_list)
        if not self.env.context.get("dealer_training_refresh"):
            statuses._refresh_state()
        return statuses

    def write(self, vals):
        res = super().write(vals)
        if {"due_date", "done_date"} & set(vals) and not self.env.context.get("dealer_training_refresh"):
            # a deadline or a completion date set by hand takes effect at once
            self._refresh_state()
        return res

    # ------------------------------------------------------------------
    # Creation in batches
    # ------------------------------------------------------------------
    @api.model
    def _sync_statuses(self, partners=None, requirements=None, batch_size=1000, lock=None):
        """Make the statuses match the requirements that apply to the staff.

        ``partners`` and ``requirements`` narrow the scope (both empty: everything). Missing statuses are
        created (one ``create`` per batch) and their staff enrolled in the courses; archived ones that apply
        again are restored; those that no longer apply are archived (their history is kept). ``lock``:
        advisory lock held while the batches run (committed one by one in the cron).
        """
        Status = self.sudo().with_context(active_test=False)
        if partners is not None and not partners:
            return Status
        if requirements is not None:
            requirements = requirements.sudo().with_context(active_test=False)
            active_requirements = requirements.filtered("active")
        else:
            active_requirements = self.env["dealer.training.requirement"].sudo().search([])
        desired = self._get_desired_status_figures(active_requirements, partners=partners)
        existing_keys = self._sync_existing_statuses(desired, partners=partners, requirements=requirements)
        new_keys = [key for key in desired if key not in existing_keys]
        return self._generate_statuses(new_keys, desired, active_requirements, batch_size=batch_size, lock=lock)

    @api.model
    def _get_desired_status_figures(self, requirements, partners=None):
        """The statuses these active requirements ask for, without writing anything:
        {(partner id, requirement id, item key): (course, certification)} over the staff (of
        ``partners`` when given)."""
        Partner = self.env["res.partner"].sudo()
        if not requirements:
            return {}
        staff_domain = Partner._training_staff_domain()
        if partners is not None:
            staff_domain += [("id", "in", partners.ids)]
        staff = Partner.search(staff_domain)
        desired = {}
        for requirement in requirements:
            items = requirement._get_required_items()
            for person in staff:
                if requirement._applies_to(person):
                    for channel, survey in items:
                        key = (person.id, requirement.id, f"c{channel.id}" if channel else f"s{survey.id}")
                        desired[key] = (channel, survey)
        return desired

    @api.model
    def _sync_existing_statuses(self, desired, partners=None, requirements=None):
        """Restore the archived statuses in ``desired`` (enrolled again, due date reset when still to
        do) and archive the active ones that are not; ``partners`` and ``requirements`` narrow which
        existing statuses are looked at.

        :return: the keys of the existing statuses (active or not)"""
        Status = self.sudo().with_context(active_test=False)
        existing_domain = []
        if partners is not None:
            existing_domain.append(("partner_id", "in", partners.ids))
        if requirements is not None:
            existing_domain.append(("requirement_id", "in", requirements.ids))
        existing = Status.search_fetch(existing_domain, ["partner_id", "requirement_id", "item_key", "active"])
        existing_keys = set()
        restore_ids, archive_ids = [], []
        for status in existing:
            key = (status.partner_id.id, status.requirement_id.id, status.item_key)
            existing_keys.add(key)
            if key in desired and not status.active:
                restore_ids.append(status.id)
            elif key not in desired and status.active:
                archive_ids.append(status.id)
        to_restore, to_archive = Status.browse(restore_ids), Status.browse(archive_ids)
        to_archive.write({"active": False})
        to_restore.write({"active": True})
        to_restore.filtered(lambda s: s.state in ("todo", "overdue"))._reset_due_date()
        to_restore._enrol()
        to_restore._refresh_state()
        return existing_keys

    @api.model
    def _generate_statuses(self, keys, desired, requirements, batch_size=1000, lock=None):
        """Create the statuses of ``keys`` (see ``_get_desired_status_figures``) in batches, enrol their
        staff and date them.

        :return: the statuses created"""
        Status = self.sudo().with_context(active_test=False)
        today = fields.Date.context_today(self)
        requirements_by_id = {r.id: r for r in requirements}

        def create_batch(batch_keys):
            # Each batch is complete on its own (created, enrolled, dated): a run killed after it
            # leaves nothing half-done, and the next run only creates the keys still missing.
            vals_list = [self._prepare_status_vals(key[0], requirements_by_id[key[1]], *desired[key], today)
                         for key in batch_keys]
            statuses = Status.with_context(dealer_training_refresh=True).create(vals_list)
            statuses._enrol()
            statuses._refresh_state()
            return statuses

        created = self.env["channel.batch"]._run_batches(
            keys, create_batch, batch_size=batch_size, lock=lock, label=self.env._("The training status refresh")
        )
        return created if created is not None else Status.browse()

    @api.model
    def _prepare_status_vals(self, partner_id, requirement, channel, survey, today):
        return {
            "partner_id": partner_id,
            "requirement_id": requirement.id,
            "item_type": "course" if channel else "certification",
            "slide_channel_id": channel.id or False,
            "survey_id": survey.id or False,
            "due_date": today + relativedelta(days=requirement.due_days) if requirement.due_days else False,
        }

    def _reset_due_date(self):
        today = fields.Date.context_today(self)
        by_requirement = defaultdict(list)
        for status in self:
            by_requirement[status.requirement_id].append(status.id)
        for requirement, status_ids in by_requirement.items():
            self.browse(status_ids).with_context(dealer_training_refresh=True).write({
                "due_date": today + relativedelta(days=requirement.due_days) if requirement.due_days else False,
            })

    def _enrol(self):
        """Enrol the staff in the required courses: one membership batch per course."""
        by_channel = defaultdict(set)
        for status in self.filtered("slide_channel_id"):
            by_channel[status.slide_channel_id].add(status.partner_id.id)
        for channel, partner_ids in by_channel.items():
            channel.sudo()._action_add_members(self.env["res.partner"].browse(sorted(partner_ids)))

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------
    def _get_completion_dates(self):
        """{status id: date of the latest completion found for its item} for the statuses in ``self``."""
        result = {}
        courses = self.filtered("slide_channel_id")
        certifications = self.filtered("survey_id")
        if courses:
            partner_ids, channel_ids = courses.partner_id.ids, courses.slide_channel_id.ids
            dates = self._get_course_completion_dates(partner_ids, channel_ids)
            for key, value in self._get_event_attendance_dates(partner_ids, channel_ids).items():
                dates[key] = max(dates[key], value) if key in dates else value
            for status in courses:
                date = dates.get((status.partner_id.id, status.slide_channel_id.id))
                if date:
                    result[status.id] = date
        if certifications:
            dates = self._get_certification_dates(certifications.partner_id.ids, certifications.survey_id.ids)
            for status in certifications:
                date = dates.get((status.partner_id.id, status.survey_id.id))
                if date:
                    result[status.id] = date
        return result

    def _to_date(self, value):
        if not value:
            return False
        return fields.Datetime.context_timestamp(self, value).date()

    @api.model
    def _get_course_completion_dates(self, partner_ids, channel_ids):
        groups = self.env["slide.channel.partner"].sudo().with_context(active_test=False)._read_group(
            [("partner_id", "in", partner_ids), ("channel_id", "in", channel_ids), ("member_status", "=", "completed")],
            ["partner_id", "channel_id"],
            ["write_date:max"],
        )
        return {(partner.id, channel.id): self._to_date(date) for partner, channel, date in groups}

    @api.model
    def _get_event_attendance_dates(self, partner_ids, channel_ids):
        """Attending (registration 'done') a session linked to a course completes that course."""
        groups = self.env["event.registration"].sudo()._read_group(
            [
                ("partner_id", "in", partner_ids),
                ("state", "=", "done"),
                ("event_id.training_channel_ids", "in", channel_ids),
            ],
            ["partner_id", "event_id"],
            ["date_closed:max", "write_date:max"],
        )
        wanted = set(channel_ids)
        result = {}
        for partner, event, date_closed, write_date in groups:
            attended = date_closed or write_date
            if event.date_end and event.date_end < attended:
                attended = event.date_end  # marked after the session: it counts from the session
            date = self._to_date(attended)
            for channel_id in set(event.training_channel_ids.ids) & wanted:
                key = (partner.id, channel_id)
                result[key] = max(result[key], date) if key in result else date
        return result

    @api.model
    def _get_certification_dates(self, partner_ids, survey_ids):
        groups = self.env["survey.user_input"].sudo()._read_group(
            [
                ("partner_id", "in", partner_ids),
                ("survey_id", "in", survey_ids),
                ("scoring_success", "=", True),
                ("test_entry", "=", False),
            ],
            ["partner_id", "survey_id"],
            ["end_datetime:max", "create_date:max"],
        )
        return {
            (partner.id, survey.id): self._to_date(end or created) for partner, survey, end, created in groups
        }

    def _compute_state_values(self, completion_dates, today):
        """The (state, done_date, expiry_date) of each status: {status: values}."""
        result = {}
        for status in self:
            done_date = completion_dates.get(status.id)
            if status.done_date and (not done_date or status.done_date > done_date):
                done_date = status.done_date
            if done_date:
                months = status.requirement_id.validity_months
                expiry_date = done_date + relativedelta(months=months) if months else False
                state = "expired" if expiry_date and expiry_date < today else "done"
            else:
                expiry_date = False
                state = "overdue" if status.due_date and status.due_date < today else "todo"
            result[status] = (state, done_date or False, expiry_date)
        return result

    def _refresh_state(self, batch_size=1000):
        """Read completions (course, certification, attended session) and set states, dates and expiry.

        Works on batches: a few grouped queries per batch, one write per distinct set of values.
        """
        today = fields.Date.context_today(self)
        statuses = self.sudo()
        for start in range(0, len(statuses), batch_size):
            batch = statuses[start:start + batch_size]
            values = batch._compute_state_values(batch._get_completion_dates(), today)
            groups = defaultdict(list)
            for status, (state, done_date, expiry_date) in values.items():
                if (status.state, status.done_date, status.expiry_date) != (state, done_date, expiry_date):
                    groups[(state, done_date, expiry_date)].append(status.id)
            for (state, done_date, expiry_date), status_ids in groups.items():
                statuses.browse(status_ids).with_context(dealer_training_refresh=True).write(
                    {"state": state, "done_date": done_date, "expiry_date": expiry_date}
                )
        return True

    @api.model
    def _refresh_for(self, partners, channels=None, surveys=None):
        """Refresh the statuses of ``partners`` for the given courses or certifications."""
        if not partners or not (channels or surveys):
            return self
        item_domain = []
        if channels:
            item_domain = [("slide_channel_id", "in", channels.ids)]
        if surveys:
            item_domain = ["|", *item_domain, ("survey_id", "in", surveys.ids)] if item_domain else [
                ("survey_id", "in", surveys.ids)
            ]
        statuses = self.sudo().search([("partner_id", "in", partners.ids), *item_domain])
        statuses._refresh_state()
        return statuses

    @api.model
    def _cron_refresh_states(self, batch_size=2000):
        """Daily: create missing statuses, then refresh every status that is not steadily done.

        Batches are committed one by one; a run killed in the middle is completed by the next one (one
        status per staff member, requirement and item); a run started meanwhile (or "Apply now") stops
        with an "already running" error."""
        self = self.with_context(**self.env["channel.batch"]._cron_context())
        Batch = self.env["channel.batch"]
        Batch._lock(self._training_lock_name(), self.env._("The training status refresh"))
        self._sync_statuses(batch_size=batch_size, lock=self._training_lock_name())
        today = fields.Date.context_today(self)
        statuses = self.sudo().search(["|", ("state", "!=", "done"), ("expiry_date", "<", today)], order="id")
        Batch._run_batches(
            statuses,
            lambda batch: batch._refresh_state(batch_size=batch_size),
            batch_size=batch_size,
            lock=self._training_lock_name(),
            label=self.env._("The training status refresh"),
        )
        return True

    @api.model
    def _training_lock_name(self):
        """The advisory lock held while statuses are created for many staff (the cron, "Apply now")."""
        return "dealer_training.sync_statuses"

    @api.model
    def _check_internal_caller(self):
        """Methods that recompute statuses as superuser are for internal users only (never a portal
        session calling them over RPC)."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only internal users can recompute training statuses."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mark_done(self):
        """Credit the item by hand, e.g. for training given in the field."""
        self._check_internal_caller()
        if not self.env.user.has_group("channel_base.group_channel_manager"):
            raise UserError(self.env._("Only channel managers can mark training items as done by hand."))
        today = fields.Date.context_today(self)
        self.filtered(lambda s: s.state != "done").sudo().write({"done_date": today})
        return True

    def action_refresh(self):
        self._check_internal_caller()
        self._refresh_state()
        return True

    def action_open_item(self):
        self.ensure_one()
        record = self.slide_channel_id or self.survey_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }
