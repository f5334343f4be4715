from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import float_compare

CAMPAIGN_TYPES = [
    ("launch", "New Product Launch"),
    ("sampling", "Sampling"),
    ("display", "Display"),
    ("advertising", "Advertising"),
    ("trade_show", "Trade Show"),
    ("promoters", "In-store Promoters"),
]
CAMPAIGN_STATES = [("draft", "Draft"), ("approved", "Approved"), ("running", "Running"), ("closed", "Closed")]
# Claims whose reimbursement is taken from the budget.
COMMITTED_CLAIM_STATES = ("approved", "paid")


class ChannelCampaign(models.Model):
    """A promotion planned and funded jointly: the manufacturer reimburses its share of what the
    dealers spend, against proof, up to the budget."""

    _name = "channel.campaign"
    _description = "Co-funded Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    campaign_type = fields.Selection(CAMPAIGN_TYPES, string="Type", required=True, default="launch", tracking=True)
    territory_id = fields.Many2one("channel.territory", string="Territory", index=True, tracking=True)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Dealers",
        domain="[('channel_role', '!=', False), ('is_company', '=', True)]",
        help="The channel members taking part. Empty: every member of the territory (or of the channel).",
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    budget = fields.Monetary(tracking=True, help="What the manufacturer reimburses at most, in total.")
    manufacturer_share = fields.Float(
        string="Manufacturer Share (%)",
        digits=(16, 2),
        default=50.0,
        tracking=True,
        help="Part of the dealer's spend the manufacturer reimburses; the dealer pays the rest.",
    )
    product_ids = fields.Many2many("product.product", string="Products")
    description = fields.Html()
    settle_as = fields.Selection(
        [("credit_note", "Credit Note"), ("settlement", "Rebate Settlement")],
        string="Reimburse as",
        required=True,
        default="credit_note",
        help="Credit Note: each approved claim is paid by a credit note to the dealer. Rebate Settlement: "
        "it is added to the dealer's settlement of the rebate policy below.",
    )
    rebate_policy_id = fields.Many2one(
        "rebate.policy", string="Rebate Policy", help="The policy whose settlement carries the reimbursements."
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Journal",
        domain="[('type', '=', 'sale')]",
        help="Sales journal of the credit notes. Empty: the first sales journal.",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Account",
        help="Account of the credit note lines. Empty: the journal's default account.",
    )
    state = fields.Selection(CAMPAIGN_STATES, default="draft", required=True, copy=False, index=True, tracking=True)
    claim_ids = fields.One2many("channel.campaign.claim", "campaign_id", string="Claims")
    claim_count = fields.Integer(compute="_compute_amounts")
    amount_committed = fields.Monetary(
        compute="_compute_amounts",
        string="Committed",
        help="Reimbursements of the approved and paid claims.",
    )
    amount_left = fields.Monetary(compute="_compute_amounts", string="Budget Left")
    announcement_ids = fields.One2many("channel.announcement", "campaign_id", string="Announcements")

    _sql_constraints = [
        ("budget_positive", "CHECK(budget >= 0)", "The budget cannot be negative."),
        (
            "share_range",
            "CHECK(manufacturer_share >= 0 AND manufacturer_share <= 100)",
            "The manufacturer's share is a percentage between 0 and 100.",
        ),
    ]

    @api.depends("budget", "claim_ids.state", "claim_ids.reimbursed_amount")
    def _compute_amounts(self):
        committed = {
            campaign.id: (total, count)
            for campaign, total, count in self.env["channel.campaign.claim"]
            .sudo()
            ._read_group(
                [("campaign_id", "in", self.ids), ("state", "in", COMMITTED_CLAIM_STATES)],
                ["campaign_id"],
                ["reimbursed_amount:sum", "__count"],
            )
        }
        counts = dict(
            self.env["channel.campaign.claim"]
            .sudo()
            ._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id"],
                ["__count"],
            )
        )
        for campaign in self:
            total = committed.get(campaign._origin.id, (0.0, 0))[0]
            campaign.amount_committed = total
            campaign.amount_left = campaign.budget - total
            campaign.claim_count = counts.get(campaign._origin, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for campaign in self:
            if campaign.date_end < campaign.date_start:
                raise ValidationError(self.env._("The campaign %s ends before it starts.", campaign.display_name))

    @api.constrains("settle_as", "rebate_policy_id")
    def _check_settle_as(self):
        for campaign in self:
            if campaign.settle_as == "settlement" and not campaign.rebate_policy_id:
                raise ValidationError(
                    self.env._(
                        "Choose the rebate policy whose settlement carries the reimbursements of %s.",
                        campaign.display_name,
                    )
                )

    def write(self, vals):
        if "manufacturer_share" in vals and self.claim_ids.filtered(lambda c: c.state in COMMITTED_CLAIM_STATES):
            raise UserError(self.env._("The manufacturer's share cannot change once claims are approved."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _set_state(self, from_states, to_state):
        self.env["res.users"]._channel_check_internal_caller()
        for campaign in self:
            if campaign.state not in from_states:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(campaign)s cannot go from %(current)s to %(target)s.",
                        campaign=campaign.display_name,
                        current=states[campaign.state],
                        target=states[to_state],
                    )
                )
        self.write({"state": to_state})
        return True

    def action_approve(self):
        return self._set_state(("draft",), "approved")

    def action_run(self):
        return self._set_state(("approved",), "running")

    def action_close(self):
        return self._set_state(("approved", "running"), "closed")

    def action_reset_draft(self):
        return self._set_state(("approved",), "draft")

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("joint_marketing.channel_campaign_claim_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def _prepare_announcement_vals(self):
        self.ensure_one()
        items = "".join(f"<li>{escape(product.display_name)}</li>" for product in self.product_ids)
        products = f"<ul>{items}</ul>" if items else ""
        body = self.env._(
            "<p>%(name)s, from %(start)s to %(end)s.</p>%(description)s%(products)s"
            '<p><a href="/my/channel/order">Order now in the quick order</a></p>',
            name=escape(self.name),
            start=self.date_start,
            end=self.date_end,
            description=self.description or "",
            products=products,
        )
        return {
            "name": self.name,
            "body": body,
            "campaign_id": self.id,
            "territory_ids": [Command.set(self.territory_id.ids)],
            "partner_ids": [Command.set(self.partner_ids.ids)],
            "date_expire": self.date_end,
        }

    def action_announce(self):
        """Create a draft announcement of the campaign (audience: its territory and dealers) with a
        link into the quick order, and open it."""
        self.ensure_one()
        self.env["res.users"]._channel_check_internal_caller()
        announcement = self.env["channel.announcement"].create(self._prepare_announcement_vals())
        return announcement._get_form_action()


class ChannelCampaignClaim(models.Model):
    """What a dealer spent on a campaign, with proof; the manufacturer reimburses its share."""

    _name = "channel.campaign.claim"
    _description = "Campaign Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "channel.portal.guard.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    campaign_id = fields.Many2one(
        "channel.campaign", string="Campaign", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="campaign_id.currency_id")
    territory_id = fields.Many2one(related="partner_id.channel_territory_id", store=True, string="Territory")
    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        tracking=True,
        domain="[('channel_role', '!=', False), ('is_company', '=', True)]",
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    amount = fields.Monetary(string="Amount Spent", required=True, tracking=True, help="What the dealer spent.")
    reimbursed_amount = fields.Monetary(
        compute="_compute_reimbursed_amount",
        store=True,
        string="Reimbursed",
        help="Amount spent × the manufacturer's share of the campaign.",
    )
    note = fields.Text(string="Description")
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Proof", help="Photos, invoices of the media, reports (images or PDF)."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("paid", "Paid"),
        ],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    reviewer_id = fields.Many2one("res.users", string="Reviewed by", readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False)
    move_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False, index="btree_not_null")
    settlement_id = fields.Many2one(
        "rebate.settlement", string="Rebate Settlement", readonly=True, copy=False, index="btree_not_null"
    )

    _sql_constraints = [("amount_positive", "CHECK(amount > 0)", "The amount spent must be positive.")]

    @api.depends("amount", "campaign_id.manufacturer_share", "campaign_id.currency_id")
    def _compute_reimbursed_amount(self):
        for claim in self:
            share = claim.campaign_id.manufacturer_share / 100.0
            amount = claim.amount * share
            claim.reimbursed_amount = claim.currency_id.round(amount) if claim.currency_id else amount

    @api.constrains("partner_id", "campaign_id")
    def _check_partner(self):
        for claim in self:
            campaign = claim.campaign_id
            if campaign.partner_ids and claim.partner_id not in campaign.partner_ids:
                raise ValidationError(
                    self.env._(
                        "%(dealer)s does not take part in the campaign %(campaign)s.",
                        dealer=claim.partner_id.display_name,
                        campaign=campaign.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("channel.campaign.claim") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if {"amount", "campaign_id", "partner_id"} & set(vals) and any(
            claim.state not in ("draft", "submitted") for claim in self
        ):
            raise UserError(self.env._("A claim that has been reviewed cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(claim.state not in ("draft", "rejected") for claim in self):
            raise UserError(self.env._("Only draft or rejected claims can be deleted."))

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------
    def _check_state(self, states, action_label):
        for claim in self:
            if claim.state not in states:
                raise UserError(
                    self.env._(
                        "%(claim)s cannot be %(action)s in its state.", claim=claim.display_name, action=action_label
                    )
                )

    def action_submit(self):
        self.env["res.users"]._channel_check_internal_caller()
        self._check_state(("draft",), self.env._("submitted"))
        for claim in self:
            if claim.campaign_id.state not in ("approved", "running"):
                raise UserError(self.env._("The campaign %s does not accept claims.", claim.campaign_id.display_name))
        self.write({"state": "submitted"})
        return True

    def action_approve(self):
        """Approve submitted claims within what is left of each campaign's budget."""
        self.env["res.users"]._channel_check_internal_caller()
        self._check_state(("submitted",), self.env._("approved"))
        for campaign, claims in self.grouped("campaign_id").items():
            campaign.invalidate_recordset(["amount_committed", "amount_left"])
            left = campaign.amount_left
            total = sum(claims.mapped("reimbursed_amount"))
            if float_compare(total, left, precision_rounding=campaign.currency_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "Approving %(claims)s would reimburse %(amount)s %(currency)s, but only %(left)s %(currency)s "
                        "of the budget of %(campaign)s is left.",
                        claims=", ".join(claims.mapped("name")),
                        amount=total,
                        left=left,
                        currency=campaign.currency_id.symbol,
                        campaign=campaign.display_name,
                    )
                )
        self.write({"state": "approved", "reviewer_id": self.env.user.id})
        return True

    def action_reject(self, reason=None):
        self.env["res.users"]._channel_check_internal_caller()
        self._check_state(("submitted", "approved"), self.env._("rejected"))
        if self.filtered("move_id") or self.filtered("settlement_id"):
            raise UserError(self.env._("A claim already reimbursed cannot be rejected."))
        self.write({"state": "rejected", "reviewer_id": self.env.user.id, "reject_reason": reason or False})
        return True

    def action_reset_draft(self):
        self.env["res.users"]._channel_check_internal_caller()
        self._check_state(("rejected",), self.env._("reset to draft"))
        self.write({"state": "draft", "reject_reason": False})
        return True

    def action_pay(self):
        """Reimburse approved claims: a credit note to the dealer (posted when the user has invoicing
        rights), or an addition to the dealer's rebate settlement, as the campaign says."""
        self.env["res.users"]._channel_check_internal_caller()
        self._check_state(("approved",), self.env._("paid"))
        credit = self.filtered(lambda c: c.campaign_id.settle_as == "credit_note")
        credit._create_credit_notes()
        (self - credit)._add_to_settlements()
        self.write({"state": "paid"})
        return True

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Reimbursement
    # ------------------------------------------------------------------
    def _get_journal(self):
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()
        journal = self.campaign_id.journal_id or Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._("No sales journal for the credit notes of the campaign %s.", self.campaign_id.display_name)
            )
        return journal

    def _prepare_credit_note_vals(self):
        self.ensure_one()
        journal = self._get_journal()
        account = self.campaign_id.account_id or journal.default_account_id
        if not account:
            raise UserError(self.env._("Set an account on the campaign %s.", self.campaign_id.display_name))
        return {
            "move_type": "out_refund",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "invoice_date": fields.Date.context_today(self),
            "currency_id": self.currency_id.id,
            "ref": self.name,
            "invoice_origin": self.campaign_id.name,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._(
                            "Campaign %(campaign)s: reimbursement of claim %(claim)s",
                            campaign=self.campaign_id.name,
                            claim=self.name,
                        ),
                        "quantity": 1.0,
                        "price_unit": self.reimbursed_amount,
                        "tax_ids": [Command.clear()],
                        "account_id": account.id,
                    }
                )
            ],
        }

    def _create_credit_notes(self):
        todo = self.filtered(lambda c: not c.move_id and c.reimbursed_amount > 0)
        if not todo:
            return self.env["account.move"]
        moves = self.env["account.move"].sudo().create([c.sudo()._prepare_credit_note_vals() for c in todo])
        for claim, move in zip(todo, moves, strict=True):
            claim.move_id = move
        if self.env["rebate.settlement"]._rebate_may_post_credit_notes():
            moves.action_post()
        else:
            for claim in todo:
                claim.message_post(
                    body=self.env._(
                        "The credit note %s was created in draft: only a user with invoicing rights "
                        "(Invoicing / Billing) posts it.",
                        claim.move_id.display_name,
                    )
                )
        return moves

    def _add_to_settlements(self):
        """Link each claim to the dealer's draft settlement of the campaign's rebate policy for today
        (created when the dealer has none yet); the settlement adds the reimbursement to its net."""
        today = fields.Date.context_today(self)
        Settlement = self.env["rebate.settlement"].sudo()
        for (policy, partner), claims in self.grouped(lambda c: (c.campaign_id.rebate_policy_id, c.partner_id)).items():
            start, end = policy._get_period(today)
            if not start:
                raise UserError(self.env._("The rebate policy %s has no period today.", policy.display_name))
            settlement = Settlement.search(
                [
                    ("policy_id", "=", policy.id),
                    ("partner_id", "=", partner.id),
                    ("period_start", "=", start),
                ],
                limit=1,
            )
            if settlement and settlement.state != "draft":
                raise UserError(
                    self.env._(
                        "The settlement %s is no longer a draft: pay the claim as a credit note instead.",
                        settlement.display_name,
                    )
                )
            if not settlement:
                settlement = Settlement.create(
                    {
                        "policy_id": policy.id,
                        "partner_id": partner.id,
                        "period_start": start,
                        "period_end": end,
                    }
                )
            claims.sudo().write({"settlement_id": settlement.id})
        return True
