from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

CHANNEL_ROLES = [
    ("dealer", "Dealer"),
    ("distributor", "Sub-distributor"),
    ("retailer", "Retailer"),
]
CHANNEL_STATES = [
    ("prospect", "Prospect"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("terminated", "Terminated"),
]
# Job roles of a channel member's staff (contacts of the member company).
JOB_ROLES = [
    ("owner", "Owner"),
    ("sales", "Sales"),
    ("back_office", "Back Office"),
    ("warehouse", "Warehouse"),
    ("store_owner", "Store Owner"),
]
# Which upstream roles each role may have as its channel parent.
ALLOWED_PARENT_ROLES = {
    "dealer": (),
    "distributor": ("dealer",),
    "retailer": ("distributor", "dealer"),
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_role = fields.Selection(CHANNEL_ROLES, index=True, tracking=True)
    channel_parent_id = fields.Many2one(
        "res.partner",
        string="Channel Parent",
        index=True,
        tracking=True,
        domain=lambda self: [
            ("channel_role", "in", ("dealer", "distributor")),
            *self.env["res.partner"]._channel_entity_domain(),
        ],
        help="Upstream partner: a sub-distributor's dealer, a retailer's sub-distributor or dealer.",
    )
    channel_child_ids = fields.One2many(
        "res.partner",
        "channel_parent_id",
        string="Downstream Partners",
        domain=lambda self: self._channel_entity_domain(),
        help="Sub-distributors and retailers supplied by this partner (their contacts excluded).",
    )
    channel_child_count = fields.Integer(compute="_compute_channel_child_count")
    channel_dealer_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        compute="_compute_channel_dealer_id",
        recursive=True,
        store=True,
        index=True,
        help="The dealer at the top of this partner's channel chain.",
    )
    channel_tier_id = fields.Many2one("channel.tier", string="Tier", index=True, tracking=True)
    channel_territory_id = fields.Many2one("channel.territory", string="Territory", index=True, tracking=True)
    channel_state = fields.Selection(CHANNEL_STATES, string="Channel Status", default="prospect", tracking=True)
    channel_job_role = fields.Selection(
        JOB_ROLES,
        string="Job Role (Channel)",
        index=True,
        tracking=True,
        help="Role of this person in its dealer (or other channel member) company. It decides what the "
        "person may do in the portal (see Settings > Channel); a contact without a job role is the company's "
        "own account.",
    )
    channel_join_date = fields.Date(string="Joined the Channel")
    last_call_date = fields.Date(string="Last Call")
    last_visit_date = fields.Date(string="Last Visit")
    care_overdue = fields.Boolean(
        compute="_compute_care_overdue",
        search="_search_care_overdue",
        help="No call within the call interval or no visit within the visit interval (see Settings).",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_channel_child_count(self):
        counts = dict(
            self._read_group(
                expression.AND([[("channel_parent_id", "in", self.ids)], self._channel_entity_domain()]),
                ["channel_parent_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.channel_child_count = counts.get(partner._origin, 0)

    @api.depends("channel_role", "commercial_partner_id", "channel_parent_id.channel_dealer_id")
    def _compute_channel_dealer_id(self):
        for partner in self:
            if partner.channel_role == "dealer":
                # A dealer's contacts share the role (commercial field): they belong to the dealer.
                partner.channel_dealer_id = partner.commercial_partner_id
            elif partner.channel_role in ("distributor", "retailer"):
                partner.channel_dealer_id = partner.channel_parent_id.channel_dealer_id
            else:
                partner.channel_dealer_id = False

    @api.model
    def _channel_entity_domain(self):
        """Domain of the partners that carry their own channel data (companies and individuals
        without a parent), as opposed to the contacts that only mirror their company's data."""
        return ["|", ("is_company", "=", True), ("parent_id", "=", False)]

    @api.model
    def _get_care_limits(self):
        """Dates before which the last call / last visit is overdue."""
        params = self.env["ir.config_parameter"].sudo()
        today = fields.Date.context_today(self)
        call_days = int(params.get_param("channel_base.care_call_days", 31))
        visit_days = int(params.get_param("channel_base.care_visit_days", 61))
        return today - timedelta(days=call_days), today - timedelta(days=visit_days)

    @api.depends("last_call_date", "last_visit_date", "channel_join_date", "channel_role", "channel_state")
    def _compute_care_overdue(self):
        call_limit, visit_limit = self._get_care_limits()
        for partner in self:
            partner.care_overdue = partner._is_care_overdue(call_limit, visit_limit)

    def _is_care_overdue(self, call_limit, visit_limit):
        self.ensure_one()
        if self.channel_role != "dealer" or self.channel_state != "active":
            return False
        call_ref = self.last_call_date or self.channel_join_date
        visit_ref = self.last_visit_date or self.channel_join_date
        return not call_ref or not visit_ref or call_ref < call_limit or visit_ref < visit_limit

    @api.model
    def _care_overdue_domain(self):
        call_limit, visit_limit = self._get_care_limits()

        def late(field, limit):
            return expression.OR([
                [(field, "<", limit)],
                [(field, "=", False), "|", ("channel_join_date", "=", False), ("channel_join_date", "<", limit)],
            ])

        return expression.AND([
            [("channel_role", "=", "dealer"), ("channel_state", "=", "active")],
            expression.OR([late("last_call_date", call_limit), late("last_visit_date", visit_limit)]),
        ])

    @api.model
    def _care_ok_domain(self):
        """Complement of :meth:`_care_overdue_domain`, written out so that empty dates count as
        never (a plain ``!`` would drop the partners whose dates are empty)."""
        call_limit, visit_limit = self._get_care_limits()

        def on_time(field, limit):
            return expression.OR([
                [(field, ">=", limit)],
                [(field, "=", False), ("channel_join_date", "!=", False), ("channel_join_date", ">=", limit)],
            ])

        return expression.OR([
            [("channel_role", "!=", "dealer")],
            [("channel_state", "!=", "active")],
            expression.AND([on_time("last_call_date", call_limit), on_time("last_visit_date", visit_limit)]),
        ])

    def _search_care_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on care overdue."))
        if (operator == "=") == value:
            return self._care_overdue_domain()
        return self._care_ok_domain()

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("channel_role", "channel_parent_id")
    def _check_channel_parent(self):
        role_names = dict(self._fields["channel_role"]._description_selection(self.env))
        # A changed role must still suit the partners supplied by it.
        to_check = self | self.channel_child_ids
        for partner in to_check.filtered("channel_parent_id"):
            parent = partner.channel_parent_id
            if parent == partner or parent == partner.commercial_partner_id:
                raise ValidationError(self.env._("%s cannot be its own channel parent.", partner.display_name))
            if not partner.channel_role:
                raise ValidationError(
                    self.env._("%s has a channel parent but no channel role: set its role first.", partner.display_name)
                )
            allowed = ALLOWED_PARENT_ROLES.get(partner.channel_role, ())
            if not allowed:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a dealer: a dealer buys from you directly and has no channel parent"
                        " (%(parent)s).",
                        partner=partner.display_name,
                        parent=parent.display_name,
                    )
                )
            if parent.channel_role not in allowed:
                raise ValidationError(
                    self.env._(
                        "The channel parent of %(partner)s (a %(role)s) must be a %(allowed)s, not %(parent)s"
                        " (%(parent_role)s).",
                        partner=partner.display_name,
                        role=role_names[partner.channel_role],
                        allowed=self.env._(" or ").join(role_names[r] for r in allowed),
                        parent=parent.display_name,
                        parent_role=role_names.get(parent.channel_role) or self.env._("no channel role"),
                    )
                )
            if parent != parent.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The channel parent of %(partner)s must be a company, not the contact %(parent)s:"
                        " choose %(company)s.",
                        partner=partner.display_name,
                        parent=parent.display_name,
                        company=parent.commercial_partner_id.display_name,
                    )
                )
        if self._has_cycle("channel_parent_id"):
            raise ValidationError(self.env._("The channel hierarchy cannot contain a cycle."))

    # ------------------------------------------------------------------
    # Commercial fields: channel data lives on the commercial partner
    # ------------------------------------------------------------------
    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + self._channel_commercial_fields()

    @api.model
    def _channel_commercial_fields(self):
        return [
            "channel_role",
            "channel_parent_id",
            "channel_tier_id",
            "channel_territory_id",
            "channel_state",
            "channel_join_date",
            "last_call_date",
            "last_visit_date",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("channel_state") == "active" and not vals.get("channel_join_date"):
                vals["channel_join_date"] = fields.Date.context_today(self)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("channel_state") == "active" and "channel_join_date" not in vals:
            no_date = self.filtered(lambda p: not p.channel_join_date)
            if no_date:
                super(ResPartner, no_date).write({"channel_join_date": fields.Date.context_today(self)})
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_channel_assign_territory(self):
        """Set each partner's territory to the deepest one covering its address.

        Partners whose address no territory covers keep their territory; a warning names them.
        """
        partners = self.commercial_partner_id
        matches = self.env["channel.territory"]._match_partners(partners)
        for territory, matched in self._group_by_match(matches).items():
            matched.write({"channel_territory_id": territory.id})
        unmatched = partners.filtered(lambda p: not matches[p])
        if not unmatched:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("No territory found"),
                "message": self.env._(
                    "No territory covers the address of %s: check its country, state and city, or the"
                    " territories' covered addresses.",
                    ", ".join(unmatched[:5].mapped("display_name")) + (", ..." if len(unmatched) > 5 else ""),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _group_by_match(self, matches):
        grouped = {}
        for partner, territory in matches.items():
            if territory:
                grouped.setdefault(territory, self.browse())
                grouped[territory] |= partner
        return grouped

    def action_channel_log_call(self):
        return self._channel_log_care("last_call_date", self.env._("Dealer call logged."))

    def action_channel_log_visit(self):
        return self._channel_log_care("last_visit_date", self.env._("Dealer visit logged."))

    def _channel_log_care(self, field_name, message):
        partners = self.commercial_partner_id
        partners.write({field_name: fields.Date.context_today(self)})
        for partner in partners:
            partner.message_post(body=message)
        return True

    def action_view_channel_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.res_partner_channel_member_action")
        action["domain"] = expression.AND([[("channel_parent_id", "=", self.id)], self._channel_entity_domain()])
        action["context"] = {"default_channel_parent_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Dealer care cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_schedule_care_activities(self, batch_size=1000):
        """Schedule one call or visit activity for every overdue dealer without an open one.

        Runs in committed batches in the cron; a second run at the same time stops with an error. A run
        killed in the middle is completed by the next one: dealers that got their activity are skipped."""
        self = self.with_context(**self.env["channel.batch"]._cron_context())
        dealers = self.search(expression.AND([self._care_overdue_domain(), self._channel_entity_domain()]))
        activities = self.env["channel.batch"]._run_batches(
            dealers,
            lambda batch: batch._schedule_care_activities(),
            batch_size=batch_size,
            lock="channel_base.care_activities",
            label=self.env._("Scheduling the dealer calls and visits"),
        )
        return self.browse(activities.mapped("res_id")) if activities else self.browse()

    @api.model
    def _channel_care_activities_enabled(self):
        """Whether overdue calls and visits are followed up by the care activities of this module
        (the scheduled action is active). They own the lapse: other modules (alerts) raise nothing
        for an overdue call or visit while this is true."""
        cron = self.env.ref("channel_base.ir_cron_schedule_care_activities", raise_if_not_found=False)
        return bool(cron and cron.sudo().active)

    def _schedule_care_activities(self):
        """Create the call or visit activity of these overdue dealers that have no open one yet.

        :return: the activities created"""
        call_type = self.env.ref("channel_base.mail_activity_type_dealer_call")
        visit_type = self.env.ref("channel_base.mail_activity_type_dealer_visit")
        call_limit, _visit_limit = self._get_care_limits()

        def prepare(dealer):
            call_ref = dealer.last_call_date or dealer.channel_join_date
            activity_type = call_type if not call_ref or call_ref < call_limit else visit_type
            return {
                "activity_type_id": activity_type.id,
                "summary": activity_type.summary or activity_type.name,
                "user_id": dealer._channel_responsible_user().id,
            }

        return self.env["mail.activity"]._channel_schedule(self, prepare, open_types=call_type | visit_type)

    def _channel_responsible_user(self, territory=None):
        """Who follows up this dealer (care, violations, anomalies, alerts): its salesperson, else
        the manager of its territory (or of the nearest parent territory that has one), else the
        current user. ``territory`` starts the search elsewhere than the partner's own territory
        (e.g. where a violation was found). Works on the commercial partner; an empty recordset
        goes straight to the territory."""
        if self:
            self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        territory = (territory if territory is not None else partner.channel_territory_id).sudo()
        while territory and not territory.manager_id:
            territory = territory.parent_id
        return (partner.user_id or territory.manager_id or self.env.user).with_env(self.env)

    def _channel_responsible_users(self):
        """{partner id: user} for these partners, as :meth:`_channel_responsible_user` gives it one by
        one, read in batch (a scan schedules follow-ups for hundreds of dealers)."""
        partners = self.sudo()
        partners.fetch(["commercial_partner_id"])
        commercial = partners.commercial_partner_id
        commercial.fetch(["user_id", "channel_territory_id"])
        managers = {}
        result = {}
        for partner in partners:
            company = partner.commercial_partner_id
            user = company.user_id
            if not user:
                territory = company.channel_territory_id
                if territory.id not in managers:
                    start = territory
                    while territory and not territory.manager_id:
                        territory = territory.parent_id
                    managers[start.id] = territory.manager_id
                user = managers[company.channel_territory_id.id]
            result[partner.id] = (user or self.env.user).with_env(self.env)
        return result

    # ------------------------------------------------------------------
    # Earned tiers
    # ------------------------------------------------------------------
    @api.model
    def _channel_tier_review_domain(self):
        """The partners the tier review goes over: active dealers (companies or individuals)."""
        return expression.AND([
            [("channel_role", "=", "dealer"), ("channel_state", "=", "active")],
            self._channel_entity_domain(),
        ])

    def _channel_tier_figures(self):
        """The figures the tier criteria read, for these commercial partners: {partner id: {key:
        value}}, in a fixed number of queries whatever the number of partners.

        Every module that adds a criterion overrides this, calls ``super()`` and adds its own keys to
        each dict (e.g. ``purchase_amount``, ``training_compliance``); ``channel.tier._channel_tier_gaps``
        reads them."""
        return {partner.id: {} for partner in self}

    def _channel_tier_assessment(self, tiers=None):
        """How these partners stand against the ranked ``tiers`` (default: every active tier).

        :return: {partner id: {"figures": dict, "gaps": {tier id: [gap, ...]}, "tier": the highest
            tier met (an empty recordset when none is)}}; a contact gets its company's assessment.
        """
        if tiers is None:
            tiers = self.env["channel.tier"]._channel_tier_ranked()
        commercial = self.commercial_partner_id
        figures = commercial._channel_tier_figures()
        assessed = {}
        for partner in commercial:
            partner_figures = figures.get(partner.id, {})
            gaps = {tier.id: tier._channel_tier_gaps(partner_figures) for tier in tiers}
            met = tiers.filtered(lambda tier, gaps=gaps: not gaps[tier.id])
            assessed[partner.id] = {"figures": partner_figures, "gaps": gaps, "tier": met[:1]}
        return {partner.id: assessed[partner.commercial_partner_id.id] for partner in self}

    def _channel_tier_proposal(self):
        """The highest tier whose criteria the dealer meets (tiers rank by ``sequence``, the first is
        the highest; a tier without criteria is met by everyone).

        :return: for one partner, a ``channel.tier`` record (empty when no tier is met); for several
            (or none), a dict {partner id: channel.tier}, computed in a fixed number of queries."""
        proposals = {pid: values["tier"] for pid, values in self._channel_tier_assessment().items()}
        if len(self) == 1:
            return proposals[self.id]
        return proposals

    # ------------------------------------------------------------------
    # Dealer cockpit (/my/channel)
    # ------------------------------------------------------------------
    def _channel_cockpit_cards(self):
        """The cards of the dealer cockpit (``/my/channel``) of this channel member (a commercial
        partner), read in the environment of the portal user who looks at it.

        This is the one extension point of the cockpit: every module overrides it, calls ``super()``
        and appends its card(s). A card is a dict:

        - ``name``: a unique key (the card's CSS class is ``o_channel_card_<name>``);
        - ``sequence``: the position on the page (lower first);
        - ``title``: the translated heading;
        - ``template``: the QWeb template rendering the card's body; it gets the dict as ``card``;
        - ``url`` / ``url_label`` (optional): the page that the card's link opens;
        - anything else the template shows (figures, records).

        A card computes its figures with a fixed number of queries (``_read_group``, ``search_count``,
        one ``search`` with a limit), never one query per record, so that the cockpit costs the same
        for a dealer with 5 or 5,000 orders. Figures the portal user may not read directly are read
        with ``sudo()`` for this partner only.
        """
        self.ensure_one()
        partner_sudo = self.sudo()
        return [partner_sudo._channel_cockpit_tier_card()]

    def _channel_cockpit_tier_card(self):
        """The tier card: the current tier and its benefits, the next tier (ranked just above the
        current one), its benefits and what the dealer still lacks to earn it (``gaps``, see
        ``channel.tier._channel_tier_gaps``)."""
        self.ensure_one()
        tier = self.channel_tier_id
        ranked = self.env["channel.tier"]._channel_tier_ranked()
        next_tier = ranked._channel_tier_next(tier)
        gaps = []
        if next_tier:
            gaps = self._channel_tier_assessment(tiers=next_tier)[self.id]["gaps"][next_tier.id]
        return {
            "name": "tier",
            "sequence": 10,
            "title": self.env._("My tier"),
            "template": "channel_base.portal_channel_card_tier",
            "tier": tier,
            "benefits": tier.benefits,
            "next_tier": next_tier,
            "next_benefits": next_tier.benefits,
            "gaps": gaps,
        }

    def _channel_cockpit_sorted_cards(self):
        """The cockpit cards, in the order of their ``sequence``, computed with the rights of the
        environment's user even when ``self`` is elevated (``env.user.partner_id`` is)."""
        return sorted(self.sudo(False)._channel_cockpit_cards(), key=lambda card: (card["sequence"], card["name"]))
