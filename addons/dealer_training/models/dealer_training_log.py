from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DealerTrainingLog(models.Model):
    _name = "dealer.training.log"
    _description = "Field Training"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "topic"

    topic = fields.Char(required=True, tracking=True)
    topic_type = fields.Selection(
        [
            ("sales_skills", "Sales Skills"),
            ("route_strategy", "Route-to-Market Strategy"),
            ("promotion", "Promotion Strategy"),
            ("segmentation", "Market Segmentation"),
            ("product", "Product Knowledge"),
            ("management", "Dealer Management"),
            ("other", "Other"),
        ],
        string="Subject",
        default="sales_skills",
        required=True,
        tracking=True,
    )
    dealer_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        tracking=True,
        domain=lambda self: [("channel_role", "!=", False), *self.env["res.partner"]._channel_entity_domain()],
    )
    attendee_ids = fields.Many2many(
        "res.partner",
        string="Attendees",
        domain="[('commercial_partner_id', '=', dealer_id), ('is_company', '=', False)]",
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count", store=True)
    duration = fields.Float(string="Duration (hours)", default=1.0, tracking=True)
    notes = fields.Html(groups="base.group_user", help="Internal notes of the trainer, never shown to the dealer.")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", default=lambda self: self.env.user, required=True, index=True, tracking=True
    )
    date = fields.Date(default=fields.Date.context_today, required=True, index=True, tracking=True)
    channel_tier_id = fields.Many2one(related="dealer_id.channel_tier_id", string="Tier", store=True)
    channel_territory_id = fields.Many2one(related="dealer_id.channel_territory_id", string="Territory", store=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _sql_constraints = [
        ("duration_positive", "CHECK(duration >= 0)", "The duration of a training cannot be negative."),
    ]

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for log in self:
            log.attendee_count = len(log.attendee_ids)

    @api.constrains("dealer_id", "attendee_ids")
    def _check_attendees(self):
        for log in self:
            strangers = log.attendee_ids.filtered(lambda p, dealer=log.dealer_id: p.commercial_partner_id != dealer)
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(names)s do not work for %(dealer)s.",
                        names=", ".join(strangers.mapped("name")),
                        dealer=log.dealer_id.name,
                    )
                )

    @api.onchange("dealer_id")
    def _onchange_dealer_id(self):
        self.attendee_ids = self.attendee_ids.filtered(lambda p: p.commercial_partner_id == self.dealer_id)

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        logs._update_dealer_visit()
        return logs

    def _update_dealer_visit(self):
        """Training in the field happens during a visit: keep the dealer's last visit date current."""
        latest = {}
        for log in self:
            dealer = log.dealer_id.commercial_partner_id
            if not dealer.last_visit_date or dealer.last_visit_date < log.date:
                latest[dealer] = max(latest.get(dealer, log.date), log.date)
        for dealer, date in latest.items():
            dealer.sudo().write({"last_visit_date": date})
