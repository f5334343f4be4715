from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

VIOLATION_TYPES = [
    ("price", "Price Violation"),
    ("cross_territory", "Cross-territory Selling"),
]
PENALTY_PARAMS = {
    "price": "channel_pricing.penalty_price",
    "cross_territory": "channel_pricing.penalty_cross_territory",
}


class ChannelViolation(models.Model):
    _name = "channel.violation"
    _description = "Channel Violation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    violation_type = fields.Selection(VIOLATION_TYPES, string="Type", required=True, index=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Offender", index=True, tracking=True,
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
        help="The channel partner held responsible. Assign it by hand when the inspection could not find it.",
    )
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    offender_territory_id = fields.Many2one(
        related="partner_id.channel_territory_id", string="Offender's Territory"
    )
    product_id = fields.Many2one("product.product", string="Product", index=True, tracking=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", index=True)
    territory_id = fields.Many2one(
        "channel.territory", string="Found In", required=True, index=True, tracking=True,
        help="Territory where the violation was found.",
    )
    inspection_line_id = fields.Many2one("channel.inspection.line", string="Inspection Line", index=True, readonly=True)
    inspection_id = fields.Many2one(
        related="inspection_line_id.inspection_id", store=True, index=True, string="Inspection"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    observed_price = fields.Monetary()
    floor_price = fields.Monetary()
    description = fields.Html()
    attachment_ids = fields.Many2many(
        "ir.attachment", "channel_violation_attachment_rel", "violation_id", "attachment_id", string="Evidence"
    )
    state = fields.Selection(
        [
            ("draft", "Reported"),
            ("confirmed", "Confirmed"),
            ("penalized", "Penalized"),
            ("dismissed", "Dismissed"),
        ],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    penalty_amount = fields.Monetary(
        compute="_compute_penalty_amount", store=True, readonly=False, precompute=True, tracking=True,
        help="Defaulted per violation type from the Channel settings.",
    )
    penalty_deducted_amount = fields.Monetary(
        string="Penalty Deducted", copy=False, tracking=True, help="Already deducted, e.g. from rebates."
    )
    penalty_residual = fields.Monetary(
        string="Penalty Due", compute="_compute_penalty_residual", store=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("violation_type")
    def _compute_penalty_amount(self):
        params = self.env["ir.config_parameter"].sudo()
        for violation in self:
            param = PENALTY_PARAMS.get(violation.violation_type)
            violation.penalty_amount = float(params.get_param(param, 0.0) or 0.0) if param else 0.0

    @api.depends("penalty_amount", "penalty_deducted_amount")
    def _compute_penalty_residual(self):
        for violation in self:
            violation.penalty_residual = violation.penalty_amount - violation.penalty_deducted_amount

    @api.constrains("penalty_amount", "penalty_deducted_amount")
    def _check_penalty(self):
        for violation in self:
            if violation.penalty_amount < 0 or violation.penalty_deducted_amount < 0:
                raise ValidationError(self.env._("The penalty of %s cannot be negative.", violation.name))
            if violation.currency_id.compare_amounts(violation.penalty_deducted_amount, violation.penalty_amount) > 0:
                raise ValidationError(
                    self.env._("More than the penalty of %s would be deducted.", violation.name)
                )

    @api.constrains("observed_price")
    def _check_observed_price(self):
        for violation in self:
            if violation.observed_price < 0:
                raise ValidationError(self.env._("The observed price of %s cannot be negative.", violation.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("channel.violation") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if any(violation.state in ("confirmed", "penalized") for violation in self):
            raise UserError(self.env._("Confirmed or penalized violations cannot be deleted; dismiss them instead."))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_confirm(self):
        not_draft = self.filtered(lambda v: v.state != "draft")
        if not_draft:
            raise UserError(
                self.env._("Only reported violations can be confirmed (%s).", ", ".join(not_draft.mapped("name")))
            )
        no_offender = self.filtered(lambda v: not v.partner_id)
        if no_offender:
            raise UserError(
                self.env._("Assign the offender of %s before confirming.", ", ".join(no_offender.mapped("name")))
            )
        self.write({"state": "confirmed"})
        self._schedule_follow_up_activities()
        return True

    def action_dismiss(self):
        invalid = self.filtered(lambda v: v.state not in ("draft", "confirmed") or v.penalty_deducted_amount)
        if invalid:
            raise UserError(
                self.env._("Violations already penalized cannot be dismissed (%s).", ", ".join(invalid.mapped("name")))
            )
        self.activity_unlink(["channel_pricing.mail_activity_type_violation"])
        self.write({"state": "dismissed"})
        return True

    def action_draft(self):
        invalid = self.filtered(lambda v: v.state != "dismissed")
        if invalid:
            raise UserError(
                self.env._("Only dismissed violations can be reopened (%s).", ", ".join(invalid.mapped("name")))
            )
        self.write({"state": "draft"})
        return True

    def action_penalize(self):
        """Mark confirmed violations as penalized (penalty settled outside rebates)."""
        invalid = self.filtered(lambda v: v.state != "confirmed")
        if invalid:
            raise UserError(
                self.env._("Only confirmed violations can be penalized (%s).", ", ".join(invalid.mapped("name")))
            )
        self.write({"state": "penalized"})
        self.activity_feedback(["channel_pricing.mail_activity_type_violation"])
        return True

    def _get_follow_up_user(self):
        """The partner's follow-up user, searched from the territory where the violation was found."""
        self.ensure_one()
        return self.partner_id._channel_responsible_user(territory=self.territory_id)

    def _schedule_follow_up_activities(self):
        activity_type = self.env.ref("channel_pricing.mail_activity_type_violation")
        type_names = dict(self._fields["violation_type"]._description_selection(self.env))
        return self.env["mail.activity"]._channel_schedule(
            self,
            lambda violation: {
                "activity_type_id": activity_type.id,
                "summary": activity_type.summary or activity_type.name,
                "user_id": violation._get_follow_up_user().id,
                "note": self.env._(
                    "%(type)s confirmed for %(partner)s: follow up with the partner.",
                    type=type_names[violation.violation_type],
                    partner=violation.partner_id.display_name,
                ),
            },
        )

    # ------------------------------------------------------------------
    # Penalties
    # ------------------------------------------------------------------
    def _channel_deduct_penalties(self, amount):
        """Deduct up to ``amount`` from the residual penalties of these violations, oldest first.

        Fully deducted violations become ``penalized``.

        :return: the amount actually deducted
        """
        remaining = amount
        deducted_total = 0.0
        for violation in self.sorted(lambda v: (v.date, v.id)):
            currency = violation.currency_id
            if currency.compare_amounts(remaining, 0.0) <= 0:
                break
            if violation.state != "confirmed" or currency.compare_amounts(violation.penalty_residual, 0.0) <= 0:
                continue
            deduction = currency.round(min(remaining, violation.penalty_residual))
            vals = {"penalty_deducted_amount": violation.penalty_deducted_amount + deduction}
            if currency.compare_amounts(violation.penalty_residual - deduction, 0.0) <= 0:
                vals["state"] = "penalized"
            violation.write(vals)
            if vals.get("state") == "penalized":
                violation.activity_feedback(["channel_pricing.mail_activity_type_violation"])
            remaining -= deduction
            deducted_total += deduction
        return self.env.company.currency_id.round(deducted_total)
