from odoo import api, fields, models
from odoo.exceptions import UserError

from .channel_audience import audience_role_fields

_channel_roles, _job_roles = audience_role_fields("event_event")

MEETING_TYPES = [
    ("annual", "Annual Dealer Meeting"),
    ("conference", "Dealer Conference"),
    ("regional", "Regional Meeting"),
    ("recruitment", "Recruitment Meeting"),
]


class EventEvent(models.Model):
    _name = "event.event"
    _inherit = ["event.event", "channel.audience.mixin"]

    channel_meeting = fields.Boolean(string="Channel Meeting", index=True,
                                     help="A meeting of the manufacturer with channel members.")
    channel_meeting_type = fields.Selection(MEETING_TYPES, string="Meeting Type")
    channel_roles = _channel_roles
    job_roles = _job_roles
    channel_invited_user_ids = fields.Many2many(
        "res.users", relation="event_event_channel_invited_user_rel", column1="event_id", column2="user_id",
        string="Invited Users", readonly=True, copy=False,
    )
    channel_invited_count = fields.Integer(compute="_compute_channel_invited_count", string="Invited")

    @api.depends("channel_invited_user_ids")
    def _compute_channel_invited_count(self):
        for event in self:
            event.channel_invited_count = len(event.channel_invited_user_ids)

    def action_channel_invite(self):
        """Email an invitation to every user of the audience not invited yet."""
        self.env["res.users"]._channel_check_internal_caller()
        template = self.env.ref("joint_marketing.mail_template_meeting_invitation")
        for event in self:
            if not event.channel_meeting:
                raise UserError(self.env._("%s is not a channel meeting.", event.display_name))
            users = (event._get_audience_users() - event.channel_invited_user_ids).filtered(
                lambda u: u.partner_id.email
            )
            event._audience_send_mail(template, users)
            event.sudo().channel_invited_user_ids = [(4, user.id) for user in users]
            event.message_post(body=self.env._("Invitation sent to %s user(s).", len(users)))
        return True

    @api.model
    def _channel_portal_domain(self, user):
        """Upcoming channel meetings whose audience contains ``user``."""
        return [
            ("channel_meeting", "=", True), ("date_end", ">=", fields.Datetime.now()),
            *self._get_user_audience_domain(user),
        ]

    def _channel_register(self, user):
        """Register ``user``'s contact for this meeting (once); returns the registration."""
        self.ensure_one()
        Registration = self.env["event.registration"].sudo()
        contact = user.partner_id
        existing = Registration.search([
            ("event_id", "=", self.id), ("partner_id", "=", contact.id), ("state", "!=", "cancel"),
        ], limit=1)
        if existing:
            return existing
        if not self.event_registrations_open:
            raise UserError(self.env._("Registrations for %s are closed.", self.name))
        return Registration.create({
            "event_id": self.id, "partner_id": contact.id, "name": contact.name, "email": contact.email,
            "phone": contact.phone,
        })


class EventRegistration(models.Model):
    _inherit = "event.registration"

    channel_member_id = fields.Many2one(
        "res.partner", compute="_compute_channel_member_id", store=True, index=True, string="Channel Member",
        help="The channel member company of the attendee.",
    )
    channel_meeting = fields.Boolean(related="event_id.channel_meeting", store=True)

    @api.depends("partner_id.commercial_partner_id")
    def _compute_channel_member_id(self):
        for registration in self:
            company = registration.partner_id.commercial_partner_id
            registration.channel_member_id = company if company.channel_role else False
