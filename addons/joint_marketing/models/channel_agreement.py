import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.image import base64_to_image

_logger = logging.getLogger(__name__)

AGREEMENT_TYPES = [
    ("comprehensive", "Comprehensive"),
    ("terminal_fill", "Terminal Fill"),
]
AGREEMENT_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent for Signature"),
    ("signed", "Signed"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
]
# The parties who sign an agreement; each has <party>_signature, _signed_by and _signed_on fields.
PARTIES = ("manufacturer", "dealer", "distributor")
REMINDER_DAYS = 60


class ChannelAgreement(models.Model):
    _name = "channel.agreement"
    _description = "Channel Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one(
        "res.company", string="Manufacturer", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True, index=True,
        help="Receives the expiry reminder.",
    )
    dealer_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True, tracking=True,
        domain=lambda self: [("channel_role", "=", "dealer"), *self.env["res.partner"]._channel_entity_domain()],
    )
    distributor_id = fields.Many2one(
        "res.partner", string="Distributor", index=True, tracking=True,
        domain="[('channel_role', '=', 'distributor'), ('channel_parent_id', '=', dealer_id)]",
        help="Leave empty for a bilateral agreement between the manufacturer and the dealer.",
    )
    is_tripartite = fields.Boolean(compute="_compute_is_tripartite", string="Tripartite")
    territory_id = fields.Many2one("channel.territory", string="Territory", required=True, index=True, tracking=True)
    body_id = fields.Many2one("joint.marketing.body", string="Joint-marketing Body", index=True, tracking=True)
    template_id = fields.Many2one("channel.agreement.template", string="Template")
    agreement_type = fields.Selection(AGREEMENT_TYPES, string="Type", required=True, default="comprehensive",
                                      tracking=True)
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True,
                           help="An agreement lasts at least one year.")
    exclusive = fields.Boolean(
        default=True, tracking=True,
        help="The dealer is the only dealer of the territory (and of its sub-territories) for the agreement's dates.",
    )
    policy_ids = fields.Many2many("rebate.policy", string="Rebate Policies")
    passdown_ids = fields.One2many("channel.agreement.passdown", "agreement_id", string="Incentives Passed Down")
    manufacturer_duties = fields.Text(string="Manufacturer's Responsibilities")
    dealer_duties = fields.Text(string="Dealer's Responsibilities")
    distributor_duties = fields.Text(string="Distributor's Responsibilities")
    margin_dealer = fields.Float(string="Dealer Margin (%)", digits=(16, 2), tracking=True,
                                 help="Gross margin guaranteed to the dealer on the manufacturer's list prices.")
    margin_distributor = fields.Float(string="Distributor Margin (%)", digits=(16, 2), tracking=True,
                                      help="Gross margin the dealer guarantees to the distributor.")
    note = fields.Html(string="Other Terms")
    state = fields.Selection(AGREEMENT_STATES, default="draft", required=True, copy=False, index=True, tracking=True)
    manufacturer_signature = fields.Image(max_width=1024, max_height=1024, copy=False, readonly=True)
    manufacturer_signed_by = fields.Char(copy=False, readonly=True)
    manufacturer_signed_on = fields.Datetime(copy=False, readonly=True)
    manufacturer_user_id = fields.Many2one("res.users", string="Signed for the Manufacturer by", copy=False,
                                           readonly=True)
    dealer_signature = fields.Image(max_width=1024, max_height=1024, copy=False, readonly=True)
    dealer_signed_by = fields.Char(copy=False, readonly=True)
    dealer_signed_on = fields.Datetime(copy=False, readonly=True)
    distributor_signature = fields.Image(max_width=1024, max_height=1024, copy=False, readonly=True)
    distributor_signed_by = fields.Char(copy=False, readonly=True)
    distributor_signed_on = fields.Datetime(copy=False, readonly=True)
    signature_count = fields.Integer(compute="_compute_signature_count", string="Signatures")
    copy_attachment_ids = fields.Many2many(
        "ir.attachment", string="Signed Copies", copy=False, readonly=True,
        relation="channel_agreement_copy_attachment_rel",
    )
    expiry_reminded = fields.Boolean(copy=False, readonly=True)
    days_to_expiry = fields.Integer(compute="_compute_days_to_expiry")

    @api.depends("distributor_id")
    def _compute_is_tripartite(self):
        for agreement in self:
            agreement.is_tripartite = bool(agreement.distributor_id)

    @api.depends(*[f"{party}_signed_on" for party in PARTIES])
    def _compute_signature_count(self):
        for agreement in self:
            agreement.signature_count = sum(1 for party in PARTIES if agreement[f"{party}_signed_on"])

    @api.depends("date_end")
    def _compute_days_to_expiry(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.days_to_expiry = (agreement.date_end - today).days if agreement.date_end else 0

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for agreement in self:
            agreement.access_url = f"/my/channel/agreements/{agreement.id}"
        return res

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_one_year(self):
        for agreement in self:
            minimum = agreement.date_start + relativedelta(years=1) - timedelta(days=1)
            if agreement.date_end < minimum:
                raise ValidationError(self.env._(
                    "The agreement %(name)s must last at least one year: it cannot end before %(date)s.",
                    name=agreement.display_name,
                    date=fields.Date.to_string(minimum),
                ))

    @api.constrains("dealer_id", "distributor_id")
    def _check_parties(self):
        for agreement in self:
            if agreement.dealer_id.channel_role != "dealer":
                raise ValidationError(self.env._("%s is not a dealer.", agreement.dealer_id.display_name))
            distributor = agreement.distributor_id
            if distributor and (distributor.channel_role != "distributor"
                                or distributor.channel_parent_id != agreement.dealer_id):
                raise ValidationError(self.env._(
                    "%(distributor)s is not a sub-distributor of %(dealer)s.",
                    distributor=distributor.display_name,
                    dealer=agreement.dealer_id.display_name,
                ))

    @api.constrains("policy_ids", "passdown_ids")
    def _check_passdown(self):
        for agreement in self:
            totals = {}
            for line in agreement.passdown_ids:
                if line.policy_id not in agreement.policy_ids:
                    raise ValidationError(
                        self.env._(
                            "The policy %(policy)s is not part of the agreement %(agreement)s.",
                            policy=line.policy_id.display_name,
                            agreement=agreement.display_name,
                        )
                    )
                totals[line.policy_id] = totals.get(line.policy_id, 0.0) + line.share
            for policy, total in totals.items():
                if total > 100.0 + 1e-6:
                    raise ValidationError(
                        self.env._(
                            "The shares of %(policy)s passed down in %(agreement)s exceed 100%%.",
                            policy=policy.display_name,
                            agreement=agreement.display_name,
                        )
                    )

    @api.constrains("state", "date_start", "date_end", "territory_id", "exclusive", "dealer_id")
    def _check_exclusivity(self):
        for agreement in self.filtered(lambda a: a.exclusive and a.state in ("signed", "active")):
            conflict = self.sudo().search(agreement._get_exclusivity_conflict_domain(), limit=1)
            if conflict:
                raise ValidationError(self.env._(
                    "%(agreement)s conflicts with the exclusive agreement %(conflict)s of %(dealer)s "
                    "(%(territory)s, %(start)s - %(end)s): their territories and dates overlap.",
                    agreement=agreement.display_name,
                    conflict=conflict.display_name,
                    dealer=conflict.dealer_id.display_name,
                    territory=conflict.territory_id.display_name,
                    start=fields.Date.to_string(conflict.date_start),
                    end=fields.Date.to_string(conflict.date_end),
                ))

    def _get_exclusivity_conflict_domain(self):
        """Exclusive agreements of other dealers in force on an overlapping territory and period."""
        self.ensure_one()
        return [
            ("id", "!=", self.id),
            ("company_id", "=", self.company_id.id),
            ("exclusive", "=", True),
            ("state", "in", ("signed", "active")),
            ("dealer_id", "!=", self.dealer_id.id),
            ("date_start", "<=", self.date_end),
            ("date_end", ">=", self.date_start),
            "|",
            ("territory_id", "child_of", self.territory_id.id),
            ("territory_id", "parent_of", self.territory_id.id),
        ]

    # ------------------------------------------------------------------
    # Onchanges and CRUD
    # ------------------------------------------------------------------
    @api.onchange("template_id")
    def _onchange_template_id(self):
        template = self.template_id
        if template:
            self.agreement_type = template.agreement_type
            self.manufacturer_duties = template.manufacturer_duties
            self.dealer_duties = template.dealer_duties
            self.distributor_duties = template.distributor_duties
            self.margin_dealer = template.margin_dealer
            self.margin_distributor = template.margin_distributor

    @api.onchange("dealer_id")
    def _onchange_dealer_id(self):
        if self.dealer_id and not self.territory_id:
            self.territory_id = self.dealer_id.channel_territory_id
        if self.distributor_id and self.distributor_id.channel_parent_id != self.dealer_id:
            self.distributor_id = False

    @api.onchange("date_start")
    def _onchange_date_start(self):
        if self.date_start and not self.date_end:
            self.date_end = self.date_start + relativedelta(years=1) - timedelta(days=1)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("channel.agreement") or "/"
            if vals.get("template_id"):
                template = self.env["channel.agreement.template"].browse(vals["template_id"])
                for field_name, value in template._get_agreement_values().items():
                    vals.setdefault(field_name, value)
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(agreement.state not in ("draft", "sent") for agreement in self):
            raise UserError(self.env._("Only agreements not yet signed can be deleted; terminate the others."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(
                    self.env._("Only draft agreements can be sent for signature (%s).", agreement.display_name)
                )
        self.write({"state": "sent"})
        for agreement in self:
            agreement._message_to_parties(self.env._("The agreement %s is ready for your signature in your portal.",
                                            agreement.name))
        return True

    def action_reset_draft(self):
        for agreement in self:
            if agreement.state != "sent":
                raise UserError(self.env._("Only agreements awaiting signatures can be reset to draft (%s).",
                                  agreement.display_name))
        vals = {"state": "draft"}
        for party in PARTIES:
            vals.update({f"{party}_signature": False, f"{party}_signed_by": False, f"{party}_signed_on": False})
        vals["manufacturer_user_id"] = False
        self.write(vals)
        return True

    def action_terminate(self):
        for agreement in self:
            if agreement.state not in ("signed", "active"):
                raise UserError(
                    self.env._("Only signed or active agreements can be terminated (%s).", agreement.display_name)
                )
        self.write({"state": "terminated"})
        return True

    def action_open_sign_wizard(self):
        self.ensure_one()
        if self.state != "sent":
            raise UserError(self.env._("The agreement must be sent for signature before the manufacturer signs it."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign for the Manufacturer"),
            "res_model": "channel.agreement.sign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agreement_id": self.id, "default_name": self.env.user.name},
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("joint_marketing.action_report_channel_agreement").report_action(self)

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------
    def _get_signing_parties(self):
        """The parties that must sign: the manufacturer and the dealer, and the distributor when set."""
        self.ensure_one()
        return [party for party in PARTIES if party != "distributor" or self.distributor_id]

    def _get_partner_party(self, partner):
        """Which party ``partner`` (a commercial partner) is in this agreement: 'dealer',
        'distributor' or None. The manufacturer never signs through the portal."""
        self.ensure_one()
        if partner and partner == self.dealer_id:
            return "dealer"
        if partner and self.distributor_id and partner == self.distributor_id:
            return "distributor"
        return None

    def _can_be_signed_by(self, party):
        self.ensure_one()
        return self.state == "sent" and party in self._get_signing_parties() and not self[f"{party}_signed_on"]

    @api.model
    def _check_signature_image(self, signature):
        """Refuses anything that is not an image (UserError)."""
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        base64_to_image(signature)

    def _sign(self, party, name, signature, signer=None):
        """Records ``party``'s signature (only that party's fields) and, once every party has signed,
        moves the agreement to ``signed``. Callers check who the party is before calling."""
        self.ensure_one()
        if party not in PARTIES:
            raise UserError(self.env._("Unknown party."))
        if not self._can_be_signed_by(party):
            raise UserError(self.env._("The agreement %s cannot be signed by this party now.", self.display_name))
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Enter the name of the person signing."))
        self._check_signature_image(signature)
        vals = {
            f"{party}_signature": signature,
            f"{party}_signed_by": name[:128],
            f"{party}_signed_on": fields.Datetime.now(),
        }
        if party == "manufacturer":
            vals["manufacturer_user_id"] = (signer or self.env.user).id
        self.write(vals)
        party_labels = self._get_party_labels()
        self.message_post(
            body=self.env._("Signed by %(name)s for the %(party)s.", name=name, party=party_labels[party])
        )
        self._check_fully_signed()
        return True

    @api.model
    def _get_party_labels(self):
        return {
            "manufacturer": self.env._("manufacturer"),
            "dealer": self.env._("dealer"),
            "distributor": self.env._("distributor"),
        }

    def _check_fully_signed(self):
        for agreement in self.filtered(lambda a: a.state == "sent"):
            if all(agreement[f"{party}_signed_on"] for party in agreement._get_signing_parties()):
                agreement.write({"state": "signed"})
                agreement._attach_signed_copies()

    def _get_copy_name(self, party):
        labels = {
            "manufacturer": self.env._("Manufacturer's copy"),
            "dealer": self.env._("Dealer's copy"),
            "distributor": self.env._("Distributor's copy"),
        }
        return f"{self.name} - {labels[party]}"

    def _attach_signed_copies(self):
        """One copy of the signed agreement (PDF with every signature) per party, posted in the chatter."""
        report = self.env.ref("joint_marketing.action_report_channel_agreement").sudo()
        Attachment = self.env["ir.attachment"].sudo()
        for agreement in self:
            try:
                content, report_type = report._render_qweb_pdf(report.report_name, res_ids=agreement.ids)
            except UserError as error:
                # No PDF engine on this server: keep the signed copies as HTML rather than refuse the signature.
                _logger.warning("Signed copies of %s kept as HTML: %s", agreement.name, error)
                content, report_type = report._render_qweb_html(report.report_name, agreement.ids)
            extension = "pdf" if report_type == "pdf" else "html"
            mimetype = "application/pdf" if report_type == "pdf" else "text/html"
            attachments = Attachment.create([
                {
                    "name": f"{agreement._get_copy_name(party)}.{extension}",
                    "raw": content,
                    "mimetype": mimetype,
                    "res_model": agreement._name,
                    "res_id": agreement.id,
                }
                for party in agreement._get_signing_parties()
            ])
            agreement.sudo().copy_attachment_ids = [Command.set(attachments.ids)]
            agreement.sudo().message_post(
                body=self.env._("The agreement is signed by every party; one copy for each is attached."),
                attachment_ids=attachments.ids,
            )

    def _message_to_parties(self, body):
        self.ensure_one()
        partners = self.dealer_id | self.distributor_id
        contacts = (partners.child_ids | partners).filtered(lambda p: p.user_ids)
        self.message_post(body=body, partner_ids=contacts.ids, message_type="notification",
                          subtype_xmlid="mail.mt_comment")

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_states(self):
        """Activates signed agreements whose start date is reached, expires the ended ones and reminds
        the responsible users of agreements that expire within 60 days."""
        today = fields.Date.context_today(self)
        expired = self.search([("state", "in", ("signed", "active")), ("date_end", "<", today)])
        expired.write({"state": "expired"})
        starting = self.search([("state", "=", "signed"), ("date_start", "<=", today), ("date_end", ">=", today)])
        starting.write({"state": "active"})
        expiring = self.search([
            ("state", "=", "active"),
            ("expiry_reminded", "=", False),
            ("date_end", "<=", today + timedelta(days=REMINDER_DAYS)),
        ])
        expiring._schedule_expiry_reminders()
        return True

    def _schedule_expiry_reminders(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"]._channel_schedule(
            self,
            lambda agreement: {
                "activity_type_id": activity_type.id,
                "date_deadline": agreement.date_end - timedelta(days=30),
                "summary": self.env._(
                    "Agreement %(name)s expires on %(date)s: renew it with %(dealer)s.",
                    name=agreement.name,
                    date=fields.Date.to_string(agreement.date_end),
                    dealer=agreement.dealer_id.name,
                ),
                "user_id": (agreement.user_id or self.env.user).id,
            },
        )
        self.write({"expiry_reminded": True})

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Agreement %s", self.name)
