from odoo import api, fields, models
from odoo.osv import expression

REVIEW_STATES = [
    ("open", "To Decide"),
    ("done", "Done"),
]


class ChannelTierReview(models.Model):
    """The monthly tier review: for every active dealer whose earned tier (see
    ``res.partner._channel_tier_proposal``) differs from its tier, a proposed upgrade or downgrade
    that a channel manager applies or dismisses.

    One review per company and month: running it again in the month refreshes the proposals not yet
    decided (the decided lines stay as they are)."""

    _name = "channel.tier.review"
    _description = "Dealer Tier Review"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(
        string="Month",
        required=True,
        index=True,
        readonly=True,
        help="First day of the month the review belongs to.",
    )
    run_date = fields.Datetime(string="Last Run", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("channel.tier.review.line", "review_id", string="Proposals")
    state = fields.Selection(REVIEW_STATES, compute="_compute_state", store=True, tracking=True)
    line_count = fields.Integer(string="Proposal Count", compute="_compute_counts")
    upgrade_count = fields.Integer(string="Upgrades", compute="_compute_counts")
    downgrade_count = fields.Integer(string="Downgrades", compute="_compute_counts")
    to_decide_count = fields.Integer(string="To Decide", compute="_compute_counts")

    _sql_constraints = [
        ("month_uniq", "unique(company_id, date)", "There is one tier review per company and month."),
    ]

    @api.depends("date")
    def _compute_name(self):
        for review in self:
            review.name = review.date and review.date.strftime("%Y-%m")

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._("Tier review %s", review.name or "")

    @api.depends("line_ids.state")
    def _compute_state(self):
        groups = self.env["channel.tier.review.line"]._read_group(
            [("review_id", "in", self.ids), ("state", "=", "proposed")], ["review_id"], ["__count"]
        )
        open_ids = {review.id for review, _count in groups}
        for review in self:
            review.state = "open" if review.id in open_ids or not review.id else "done"

    def _compute_counts(self):
        counts = {}
        for review, direction, state, count in self.env["channel.tier.review.line"]._read_group(
            [("review_id", "in", self.ids)], ["review_id", "direction", "state"], ["__count"]
        ):
            row = counts.setdefault(review.id, {"all": 0, "upgrade": 0, "downgrade": 0, "proposed": 0})
            row["all"] += count
            row[direction] += count
            if state == "proposed":
                row["proposed"] += count
        for review in self:
            row = counts.get(review.id, {})
            review.line_count = row.get("all", 0)
            review.upgrade_count = row.get("upgrade", 0)
            review.downgrade_count = row.get("downgrade", 0)
            review.to_decide_count = row.get("proposed", 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_run_review(self):
        """"Run tier review now": the review of this month, created or refreshed, opened."""
        self.check_access("create")
        review = self._run_review()
        return review._get_form_action()

    def action_open_apply_wizard(self):
        """Open the wizard applying this review's proposals still to decide."""
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.state == "proposed").action_open_apply_wizard()

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.channel_tier_review_line_action")
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"default_review_id": self.id, "search_default_proposed": 1}
        return action

    def _get_form_action(self):
        self.ensure_one()
        return self._get_records_action(context={})

    # ------------------------------------------------------------------
    # The review run
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_review(self, batch_size=500):
        """Monthly: the review of the month, committed batch by batch."""
        return self.with_context(**self.env["channel.batch"]._cron_context())._run_review(batch_size=batch_size)

    @api.model
    def _review_lock_name(self):
        return "channel_base.tier_review"

    @api.model
    def _run_review(self, date=None, batch_size=500):
        """Create (or refresh) the review of the month of ``date`` (default: today) over every active
        dealer, in batches (see ``channel.batch._run_batches``).

        :return: the review"""
        Batch = self.env["channel.batch"]
        label = self.env._("The tier review")
        Batch._lock(self._review_lock_name(), label)
        date = (date or fields.Date.context_today(self)).replace(day=1)
        review = self.search([("company_id", "=", self.env.company.id), ("date", "=", date)], limit=1)
        if not review:
            review = self.create({"date": date, "company_id": self.env.company.id})
        dealers = self.env["res.partner"].search(review._get_dealer_domain(), order="id")
        # Proposals of partners that are no longer reviewed (terminated, not a dealer any more) go.
        review.line_ids.filtered(lambda line: line.state == "proposed" and line.partner_id not in dealers).unlink()
        review.run_date = fields.Datetime.now()
        Batch._run_batches(
            dealers,
            review._review_dealers,
            batch_size=batch_size,
            lock=self._review_lock_name(),
            label=label,
        )
        return review

    def _get_dealer_domain(self):
        """The partners this review goes over."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        return expression.AND([
            Partner._channel_tier_review_domain(),
            ["|", ("company_id", "=", False), ("company_id", "=", self.company_id.id)],
        ])

    def _review_dealers(self, dealers):
        """Propose the tier changes of ``dealers`` (one batch): their proposals not yet decided are
        replaced; a dealer whose proposal was applied or dismissed in this review keeps its line.
        A fixed number of queries per batch.

        :return: the lines created"""
        self.ensure_one()
        Line = self.env["channel.tier.review.line"]
        tiers = self.env["channel.tier"]._channel_tier_ranked()
        rank = {tier.id: index for index, tier in enumerate(tiers)}
        lowest = len(tiers)
        existing = Line.search([("review_id", "=", self.id), ("partner_id", "in", dealers.ids)])
        decided = set(existing.filtered(lambda line: line.state != "proposed").partner_id.ids)
        existing.filtered(lambda line: line.state == "proposed").unlink()
        assessment = dealers._channel_tier_assessment(tiers=tiers)
        vals_list = []
        for dealer in dealers:
            if dealer.id in decided:
                continue
            values = assessment[dealer.id]
            current, proposed = dealer.channel_tier_id, values["tier"]
            current_rank = rank.get(current.id, lowest)
            proposed_rank = rank.get(proposed.id, lowest)
            if current_rank == proposed_rank:
                continue
            direction = "upgrade" if proposed_rank < current_rank else "downgrade"
            vals_list.append(Line._prepare_review_line_vals(self, dealer, values, direction))
        return Line.create(vals_list)
