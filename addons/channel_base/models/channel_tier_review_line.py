from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

DIRECTIONS = [
    ("upgrade", "Upgrade"),
    ("downgrade", "Downgrade"),
]
LINE_STATES = [
    ("proposed", "Proposed"),
    ("applied", "Applied"),
    ("dismissed", "Dismissed"),
]


class ChannelTierReviewLine(models.Model):
    """A proposed tier change of one dealer in a tier review, with the figures behind it (modules
    that add criteria add their figures: see ``_prepare_review_line_vals``)."""

    _name = "channel.tier.review.line"
    _description = "Dealer Tier Review Proposal"
    _order = "review_id desc, direction desc, partner_id, id"
    _rec_name = "partner_id"

    review_id = fields.Many2one("channel.tier.review", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True, readonly=True)
    territory_id = fields.Many2one(
        "channel.territory", string="Territory", index=True, readonly=True, help="The dealer's territory at the review."
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, help="The dealer's salesperson at the review."
    )
    current_tier_id = fields.Many2one("channel.tier", string="Current Tier", index=True, readonly=True)
    proposed_tier_id = fields.Many2one(
        "channel.tier", string="Proposed Tier", index=True, readonly=True, help="Empty: the dealer meets no tier."
    )
    direction = fields.Selection(DIRECTIONS, required=True, index=True, readonly=True)
    state = fields.Selection(LINE_STATES, default="proposed", required=True, index=True, readonly=True)
    apply_reason = fields.Text(string="Reason", readonly=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decision_date = fields.Datetime(string="Decided on", readonly=True)

    _sql_constraints = [
        ("partner_uniq", "unique(review_id, partner_id)", "A dealer has one proposal per tier review."),
    ]

    @api.model
    def _prepare_review_line_vals(self, review, dealer, assessment, direction):
        """The values of the proposal of ``dealer`` in ``review``. ``assessment`` is the dealer's value
        of ``res.partner._channel_tier_assessment()`` (figures, gaps, proposed tier). Modules with
        criteria override this, call ``super()`` and add the figures they store on the line."""
        return {
            "review_id": review.id,
            "partner_id": dealer.id,
            "territory_id": dealer.channel_territory_id.id,
            "user_id": dealer.user_id.id,
            "current_tier_id": dealer.channel_tier_id.id,
            "proposed_tier_id": assessment["tier"].id,
            "direction": direction,
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_apply_wizard(self):
        proposed = self.filtered(lambda line: line.state == "proposed")
        if not proposed:
            raise UserError(self.env._("Select proposals still to decide."))
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_base.channel_tier_apply_wizard_action")
        action["context"] = {"default_line_ids": proposed.ids}
        return action

    def action_dismiss(self):
        self._check_proposed()
        self.write({"state": "dismissed", "decided_by_id": self.env.uid, "decision_date": fields.Datetime.now()})
        return True

    def action_reset(self):
        """Back to a proposal: a dismissed line can be applied after all."""
        dismissed = self.filtered(lambda line: line.state == "dismissed")
        dismissed.write({"state": "proposed", "decided_by_id": False, "decision_date": False})
        return True

    # ------------------------------------------------------------------
    # Applying
    # ------------------------------------------------------------------
    def _check_proposed(self):
        decided = self.filtered(lambda line: line.state != "proposed")
        if decided:
            raise UserError(
                self.env._(
                    "These proposals are already decided: %s.",
                    ", ".join(decided[:5].partner_id.mapped("display_name")),
                )
            )

    def _check_applicable(self, reason):
        """Refuse the whole application before anything is written."""
        if not self:
            raise UserError(self.env._("Select at least one proposal to apply."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the tier changes: it is kept in each dealer's chatter."))
        self._check_proposed()
        seen = defaultdict(int)
        for line in self:
            seen[line.partner_id.id] += 1
        twice = self.partner_id.filtered(lambda partner: seen[partner.id] > 1)
        if twice:
            raise UserError(
                self.env._(
                    "Several proposals change the tier of %s: apply one of them.",
                    ", ".join(twice[:5].mapped("display_name")),
                )
            )
        moved = self.filtered(lambda line: line.partner_id.channel_tier_id != line.current_tier_id)
        if moved:
            raise UserError(
                self.env._(
                    "The tier of %s changed since the review: run the tier review again.",
                    ", ".join(moved[:5].partner_id.mapped("display_name")),
                )
            )

    def _apply(self, reason):
        """Give the dealers their proposed tier, keep the change and its reason in each dealer's
        chatter and in the review's. Everything is checked first: nothing is written when one
        proposal cannot be applied."""
        self._check_applicable(reason)
        reason = reason.strip()
        by_tier = defaultdict(list)
        for line in self:
            by_tier[line.proposed_tier_id].append(line.partner_id.id)
        Partner = self.env["res.partner"]
        for tier, partner_ids in by_tier.items():
            Partner.browse(partner_ids).write({"channel_tier_id": tier.id or False})
        no_tier = self.env._("no tier")
        bodies = {
            line.partner_id.id: self.env._(
                "Tier changed from %(old)s to %(new)s (%(review)s). Reason: %(reason)s",
                old=line.current_tier_id.name or no_tier,
                new=line.proposed_tier_id.name or no_tier,
                review=line.review_id.display_name,
                reason=reason,
            )
            for line in self
        }
        self.partner_id._message_log_batch(bodies=bodies, message_type="comment")
        self.write({
            "state": "applied",
            "apply_reason": reason,
            "decided_by_id": self.env.uid,
            "decision_date": fields.Datetime.now(),
        })
        for review in self.review_id:
            count = len(self.filtered(lambda line, review=review: line.review_id == review))
            review.message_post(
                body=self.env._("%(count)s tier changes applied. Reason: %(reason)s", count=count, reason=reason)
            )
        return True
