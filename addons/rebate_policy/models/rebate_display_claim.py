from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

DEFAULT_MAX_CLAIMS = 3


class RebateDisplayClaim(models.Model):
    _name = "rebate.display.claim"
    _description = "Display Reward Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin", "channel.portal.guard.mixin"]
    _order = "date desc, id desc"
    # Portal users never create nor write claims through the ORM: the portal page validates the
    # request and creates the claim as superuser (defaults of channel.portal.guard.mixin).

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True, tracking=True,
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
    )
    policy_id = fields.Many2one(
        "rebate.policy", string="Policy", required=True, index=True, tracking=True,
        domain="[('display_reward', '=', True), ('state', '=', 'active')]",
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    date = fields.Date(
        string="Display Date", required=True, default=fields.Date.context_today, tracking=True,
        help="The day the display was set up; it decides the period of the reward.",
    )
    period_start = fields.Date(compute="_compute_period", store=True, index=True)
    period_end = fields.Date(compute="_compute_period", store=True)
    period_label = fields.Char(string="Period Label", compute="_compute_period", store=True)
    period = fields.Char(related="period_label", string="Period")
    display_standard = fields.Text(
        compute="_compute_display_standard", store=True, readonly=False,
        help="The display standard met (shelf position, facings, posters...).",
    )
    note = fields.Text(string="Dealer's Note")
    photo_ids = fields.Many2many(
        "ir.attachment", "rebate_display_claim_attachment_rel", "claim_id", "attachment_id", string="Photos",
    )
    photo_count = fields.Integer(compute="_compute_photo_count")
    state = fields.Selection(
        [("submitted", "Submitted"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="submitted", required=True, index=True, tracking=True, copy=False,
    )
    amount = fields.Monetary(
        compute="_compute_amount", store=True, readonly=False, tracking=True,
        help="Reward added to the settlement of the period once approved.",
    )
    reviewer_id = fields.Many2one("res.users", string="Reviewed by", readonly=True, copy=False)
    rejection_reason = fields.Char(tracking=True)
    settlement_id = fields.Many2one(
        "rebate.settlement", string="Settlement", readonly=True, copy=False, ondelete="set null",
        index="btree_not_null",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("date", "policy_id.period", "policy_id.date_start", "policy_id.date_end")
    def _compute_period(self):
        for claim in self:
            policy = claim.policy_id.sudo()
            start, end = policy._get_period(claim.date) if policy and claim.date else (False, False)
            claim.period_start = start
            claim.period_end = end
            claim.period_label = policy._get_period_label(start) if start else False

    @api.depends("policy_id")
    def _compute_display_standard(self):
        for claim in self:
            if not claim.display_standard:
                claim.display_standard = claim.policy_id.sudo().display_standard

    @api.depends("policy_id")
    def _compute_amount(self):
        for claim in self:
            if claim.state == "submitted":
                claim.amount = claim.policy_id.sudo().display_amount

    def _compute_photo_count(self):
        for claim in self:
            claim.photo_count = len(claim.photo_ids)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for claim in self:
            claim.access_url = f"/my/channel/rebates/claim/{claim.id}"
        return res

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("policy_id", "date", "partner_id")
    def _check_policy(self):
        for claim in self:
            policy = claim.policy_id.sudo()
            if not policy.display_reward:
                raise ValidationError(self.env._("The policy %s has no display rewards.", policy.display_name))
            if not claim.period_start:
                raise ValidationError(
                    self.env._("The display date %(date)s is outside the policy %(policy)s (%(start)s - %(end)s).",
                      date=claim.date, policy=policy.display_name, start=policy.date_start, end=policy.date_end)
                )
            if not policy._partner_in_scope(claim.partner_id):
                raise ValidationError(
                    self.env._("%(partner)s is not in the scope of the policy %(policy)s.",
                      partner=claim.partner_id.display_name, policy=policy.display_name)
                )

    @api.constrains("partner_id", "policy_id", "period_start", "state")
    def _check_claim_limit(self):
        limit = self._get_max_claims()
        if not limit:
            return
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("policy_id", "in", self.policy_id.ids),
                ("period_start", "in", list(set(self.mapped("period_start")))),
                ("state", "!=", "rejected"),
            ],
            ["partner_id", "policy_id", "period_start:day"],
            ["__count"],
        )
        for partner, policy, _start, count in groups:
            if count > limit:
                raise ValidationError(
                    self.env._(
                        "%(partner)s already has %(limit)s display claims for %(policy)s in this period: "
                        "no more claims are accepted.",
                        partner=partner.display_name, limit=limit, policy=policy.display_name,
                    )
                )

    @api.model
    def _get_max_claims(self):
        """At most this many claims (not rejected) per dealer, policy and period (0: no limit)."""
        value = self.env["ir.config_parameter"].sudo().get_param(
            "rebate_policy.claim_max_per_period", DEFAULT_MAX_CLAIMS
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_MAX_CLAIMS

    @api.constrains("amount")
    def _check_amount(self):
        for claim in self:
            if claim.amount < 0:
                raise ValidationError(self.env._("A display reward cannot be negative (%s).", claim.name))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("rebate.display.claim") or self.env._("New")
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        claims = super().create(vals_list)
        # Photos uploaded on the claim belong to it.
        claims.photo_ids.filtered(lambda a: not a.res_id).sudo().write({"res_model": self._name})
        for claim in claims:
            claim.photo_ids.filtered(lambda a: not a.res_id).sudo().write({"res_id": claim.id})
        return claims

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if any(c.settlement_id.state in ("confirmed", "settled") for c in self):
            raise UserError(self.env._("A display claim already in a confirmed settlement cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve(self):
        self._check_reviewer()
        for claim in self:
            if claim.state != "submitted":
                raise UserError(self.env._("Only submitted claims can be approved (%s).", claim.name))
            if claim.amount <= 0:
                raise UserError(self.env._("Set the reward amount of %s before approving it.", claim.name))
        self.write({"state": "approved", "reviewer_id": self.env.user.id, "rejection_reason": False})
        self._refresh_settlements()
        return True

    def action_reject(self):
        self._check_reviewer()
        for claim in self:
            if claim.state == "approved" and claim.settlement_id.state in ("confirmed", "settled"):
                raise UserError(self.env._("The claim %s is already in a confirmed settlement.", claim.name))
        self.write({"state": "rejected", "reviewer_id": self.env.user.id})
        self._refresh_settlements()
        return True

    def action_reset_submitted(self):
        self._check_reviewer()
        for claim in self:
            if claim.settlement_id.state in ("confirmed", "settled"):
                raise UserError(self.env._("The claim %s is already in a confirmed settlement.", claim.name))
        self.write({"state": "submitted", "reviewer_id": False})
        self._refresh_settlements()
        return True

    def _check_reviewer(self):
        """Reviewing claims refreshes settlements as superuser: internal users only."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only the manufacturer's staff review display claims."))

    def _refresh_settlements(self):
        """Refresh the draft settlements of the periods of these claims."""
        for (policy, start), claims in self.grouped(lambda c: (c.policy_id, c.period_start)).items():
            if policy.state != "draft" and start:
                policy.sudo()._generate_settlements(start, partners=claims.partner_id)
