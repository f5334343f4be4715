from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

OPEN_STATES = ("new", "in_progress")
REQUEST_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class ChannelServiceRequest(models.Model):
    """A dealer's (or a prospect's) question, problem report or complaint, routed by its type to the
    responsible person, with a response and a resolution deadline (the SLA of the type)."""

    _name = "channel.service.request"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin", "channel.portal.guard.mixin"]
    _order = "create_date desc, id desc"
    # The dealer answers in the chatter of its own requests (read access) from the portal page.
    _mail_post_access = "read"
    # Portal users never create nor write requests through the ORM: the portal page validates the
    # request and creates it as superuser (defaults of channel.portal.guard.mixin).

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text()
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Member",
        required=True,
        index=True,
        tracking=True,
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
        help="The dealer (or prospect, sub-distributor...) the request comes from.",
    )
    contact_partner_id = fields.Many2one(
        "res.partner", string="Requested by", help="The person of the channel member who asked."
    )
    type_id = fields.Many2one(
        "channel.service.type", string="Type", required=True, index=True, tracking=True, ondelete="restrict"
    )
    department = fields.Char(related="type_id.department", store=True)
    state = fields.Selection(
        REQUEST_STATES, default="new", required=True, index=True, tracking=True, copy=False, group_expand=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The responsible of the type; without one, the member's salesperson or territory manager.",
    )
    territory_id = fields.Many2one(related="partner_id.channel_territory_id", store=True, index=True)
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_deadlines",
        store=True,
        help="Date of the request plus the response time of its type.",
    )
    date_deadline = fields.Datetime(
        string="Resolution Deadline",
        compute="_compute_deadlines",
        store=True,
        index=True,
        help="Date of the request plus the resolution time of its type.",
    )
    date_responded = fields.Datetime(
        string="Responded on",
        readonly=True,
        copy=False,
        help="When the request was taken in hand or first answered by the manufacturer's staff.",
    )
    date_done = fields.Datetime(string="Done on", readonly=True, copy=False)
    response_time = fields.Float(
        string="Response Time (h)", compute="_compute_times", store=True, aggregator="avg"
    )
    resolution_time = fields.Float(
        string="Resolution Time (h)", compute="_compute_times", store=True, aggregator="avg"
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The response or the resolution came (or is still missing) after its deadline. Set on every "
        "change of state and by the hourly SLA check.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open, and its response or resolution deadline has passed.",
    )
    date_escalated = fields.Datetime(string="Escalated on", readonly=True, copy=False)
    escalation_user_id = fields.Many2one("res.users", string="Escalated to", readonly=True, copy=False)
    scope_user_ids = fields.Many2many(
        "res.users",
        string="Followed up by",
        compute="_compute_scope_user_ids",
        search="_search_scope_user_ids",
        help="Staff who handle this request: its responsible, the type's responsible and escalation manager, "
        "the member's salesperson and the managers of its territory.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("type_id", "partner_id")
    def _compute_user_id(self):
        for request in self:
            request.user_id = request.type_id.user_id or request._service_fallback_user()

    def _service_fallback_user(self):
        """Who handles a request whose type has no responsible: the member's salesperson, else its territory
        manager (``res.partner._channel_responsible_user``); never a portal user."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["res.users"]
        user = self.partner_id._channel_responsible_user()
        return user if user._is_internal() else self.env["res.users"]

    @api.depends("type_id", "create_date")
    def _compute_deadlines(self):
        # The hours of the type when the request is filed (or its type changed): a later change of the
        # type's times does not move the deadlines of the requests already filed.
        for request in self:
            start = request.create_date or fields.Datetime.now()
            service_type = request.type_id.sudo()
            request.date_response_deadline = (
                start + timedelta(hours=service_type.response_hours) if service_type.response_hours else False
            )
            request.date_deadline = (
                start + timedelta(hours=service_type.resolution_hours) if service_type.resolution_hours else False
            )

    @api.depends("create_date", "date_responded", "date_done")
    def _compute_times(self):
        for request in self:
            start = request.create_date
            request.response_time = (
                (request.date_responded - start).total_seconds() / 3600 if start and request.date_responded else 0.0
            )
            request.resolution_time = (
                (request.date_done - start).total_seconds() / 3600 if start and request.date_done else 0.0
            )

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = request.state in OPEN_STATES and request._service_late(now)

    @api.model
    def _overdue_domain(self, now=None):
        """Open requests whose response or resolution deadline has passed at ``now``."""
        now = now or fields.Datetime.now()
        return [
            ("state", "in", OPEN_STATES),
            "|",
            ("date_deadline", "<", now),
            "&",
            ("date_responded", "=", False),
            ("date_response_deadline", "<", now),
        ]

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on overdue."))
        domain = self._overdue_domain()
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    def _compute_scope_user_ids(self):
        territory_ids = {
            int(tid) for request in self for tid in (request.territory_id.parent_path or "").split("/") if tid
        }
        managers = {t.id: t.manager_id for t in self.env["channel.territory"].sudo().browse(territory_ids)}
        for request in self:
            users = request.user_id | request.type_id.user_id | request.type_id.manager_id
            users |= request.partner_id.user_id | request.escalation_user_id
            for tid in (request.territory_id.parent_path or "").split("/"):
                if tid:
                    users |= managers.get(int(tid), self.env["res.users"])
            request.scope_user_ids = users

    def _search_scope_user_ids(self, operator, value):
        if operator not in ("in", "="):
            raise NotImplementedError(self.env._("Unsupported search on the staff following up requests."))
        user_ids = list(value) if isinstance(value, (list, tuple)) else [value]
        domain = expression.OR([
            [("user_id", "in", user_ids)],
            [("type_id.user_id", "in", user_ids)],
            [("type_id.manager_id", "in", user_ids)],
            [("partner_id.user_id", "in", user_ids)],
            [("escalation_user_id", "in", user_ids)],
        ])
        managed = self.env["channel.territory"].sudo().with_context(active_test=False).search(
            [("manager_id", "in", user_ids)]
        )
        if managed:
            domain = expression.OR([domain, [("territory_id", "child_of", managed.ids)]])
        return domain

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/channel/requests/{request.id}"
        return res

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    def _service_late(self, now):
        """Whether the response or the resolution of this request came, or is still missing, after its
        deadline at ``now`` (in memory)."""
        self.ensure_one()
        responded = self.date_responded or now
        resolved = self.date_done if self.state == "done" and self.date_done else now
        return bool(
            (self.date_response_deadline and responded > self.date_response_deadline)
            or (self.date_deadline and resolved > self.date_deadline)
        )

    def _update_sla_breached(self, now=None):
        """Store ``sla_breached`` of these requests as it is at ``now`` (a cancelled request keeps its
        flag), with at most two writes."""
        now = now or fields.Datetime.now()
        breached = self.browse()
        kept = self.browse()
        for request in self.filtered(lambda r: r.state != "cancelled"):
            late = request._service_late(now)
            if late and not request.sla_breached:
                breached |= request
            elif not late and request.sla_breached:
                kept |= request
        if breached:
            breached.write({"sla_breached": True})
        if kept:
            kept.write({"sla_breached": False})
        return breached

    def _service_escalation_user(self):
        """Who gets the escalation of this request: the escalation manager of its type, else the manager
        of the member's territory (or of its nearest parent territory with one); the request's responsible
        when none of them is an internal user."""
        self.ensure_one()
        service_type = self.type_id.sudo()
        user = service_type.manager_id or self.env["res.partner"]._channel_responsible_user(
            territory=self.partner_id.commercial_partner_id.sudo().channel_territory_id
        )
        if not user or not user._is_internal() or user._is_superuser():
            user = self.user_id
        return user

    def _service_escalate(self):
        """Escalate these requests once each: an activity for the escalation user (one ``create``), a note
        in the chatter and the date of the escalation. Requests already escalated are skipped.

        :return: the activities created"""
        to_escalate = self.filtered(lambda r: not r.date_escalated and r.state in OPEN_STATES)
        if not to_escalate:
            return self.env["mail.activity"]
        activity_type = self.env.ref("channel_service.mail_activity_type_service_escalation")
        users = {request.id: request._service_escalation_user() for request in to_escalate}

        def prepare(request):
            return {
                "activity_type_id": activity_type.id,
                "summary": self.env._("SLA missed: %(ref)s %(subject)s", ref=request.name, subject=request.subject),
                "note": request._service_escalation_message(),
                "user_id": users[request.id].id,
                "date_deadline": fields.Date.context_today(self),
            }

        activities = self.env["mail.activity"]._channel_schedule(to_escalate, prepare)
        to_escalate._message_log_batch(
            bodies={request.id: request._service_escalation_message() for request in to_escalate}
        )
        now = fields.Datetime.now()
        for user, requests in to_escalate.grouped(lambda r: users[r.id]).items():
            requests.write({"date_escalated": now, "escalation_user_id": user.id})
        return activities

    def _service_escalation_message(self):
        self.ensure_one()
        user = self._service_escalation_user()
        if not self.date_responded and self.date_response_deadline and (
            not self.date_deadline or self.date_response_deadline < fields.Datetime.now() <= self.date_deadline
        ):
            return self.env._(
                "No response before the response deadline of %(type)s: escalated to %(user)s.",
                type=self.type_id.name,
                user=user.name or "-",
            )
        return self.env._(
            "The SLA of %(type)s was missed: escalated to %(user)s.", type=self.type_id.name, user=user.name or "-"
        )

    @api.model
    def _cron_check_sla(self, batch_size=500):
        """Flag the open requests past a deadline as breached and escalate each of them once.

        Runs in committed batches in the cron; a second run at the same time stops with an error. A run
        killed in the middle is completed by the next one: escalated requests carry their date."""
        self = self.with_context(**self.env["channel.batch"]._cron_context())
        now = fields.Datetime.now()
        domain = expression.AND([
            [("state", "in", OPEN_STATES)],
            expression.OR([self._overdue_domain(now), [("sla_breached", "=", True)]]),
            ["|", ("sla_breached", "=", False), ("date_escalated", "=", False)],
        ])
        requests = self.search(domain, order="id")
        activities = self.env["channel.batch"]._run_batches(
            requests,
            lambda batch: batch._service_check_sla(now),
            batch_size=batch_size,
            lock="channel_service.sla_check",
            label=self.env._("Checking the service requests' SLA"),
        )
        return activities if activities is not None else self.env["mail.activity"]

    def _service_check_sla(self, now):
        """Flag and escalate these requests (one batch of the SLA check)."""
        self._update_sla_breached(now)
        return self.filtered("sla_breached")._service_escalate()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("channel.service.request") or self.env._(
                    "New"
                )
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
        requests = super().create(vals_list)
        requests.filtered(lambda r: r.state != "new")._service_stamp_state()
        return requests

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self._service_stamp_state()
        elif {"date_responded", "date_done", "type_id"} & set(vals):
            self._update_sla_breached()
        return res

    def _service_stamp_state(self):
        """Date the response and the resolution of these requests after a change of state, refresh their
        SLA flag and close their escalation once they are done or cancelled."""
        now = fields.Datetime.now()
        unanswered = self.filtered(lambda r: r.state in ("in_progress", "done") and not r.date_responded)
        if unanswered:
            unanswered.write({"date_responded": now})
        done = self.filtered(lambda r: r.state == "done" and not r.date_done)
        if done:
            done.write({"date_done": now})
        reopened = self.filtered(lambda r: r.state in OPEN_STATES and r.date_done)
        if reopened:
            reopened.write({"date_done": False})
        self._update_sla_breached(now)
        closed = self.filtered(lambda r: r.state in ("done", "cancelled"))
        if closed:
            closed.sudo().activity_unlink(["channel_service.mail_activity_type_service_escalation"])

    # ------------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------------
    def _message_post_after_hook(self, message, msg_vals):
        """The first public answer of the manufacturer's staff in the chatter dates the response."""
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            len(self) == 1
            and not self.date_responded
            and self.state in OPEN_STATES
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and any(not user.share for user in message.author_id.sudo().user_ids)
        ):
            self.sudo().write({"date_responded": message.date or fields.Datetime.now()})
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        if any(request.state != "new" for request in self):
            raise UserError(self.env._("Only new requests can be taken in hand."))
        return self.write({"state": "in_progress"})

    def action_done(self):
        if any(request.state not in OPEN_STATES for request in self):
            raise UserError(self.env._("Only open requests can be marked as done."))
        return self.write({"state": "done"})

    def action_cancel(self):
        if any(request.state not in OPEN_STATES for request in self):
            raise UserError(self.env._("Only open requests can be cancelled."))
        return self.write({"state": "cancelled"})

    def action_reopen(self):
        if any(request.state in OPEN_STATES for request in self):
            raise UserError(self.env._("Only done or cancelled requests can be reopened."))
        for state, requests in self.grouped(lambda r: "in_progress" if r.date_responded else "new").items():
            requests.write({"state": state})
        return True
