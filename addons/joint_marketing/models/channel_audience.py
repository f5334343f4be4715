from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.osv import expression

from odoo.addons.channel_base.models.res_partner import CHANNEL_ROLES, JOB_ROLES

# Channel status of the member companies an audience reaches (the read-only 'read' portal action).
AUDIENCE_STATES = ("active", "suspended")


class ChannelAudienceRole(models.Model):
    """A channel role (dealer, sub-distributor, retailer) or a job role (owner, sales...) an audience
    can be restricted to; one record per value of ``CHANNEL_ROLES`` and ``JOB_ROLES``."""

    _name = "channel.audience.role"
    _description = "Audience Role"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    kind = fields.Selection([("channel", "Channel Role"), ("job", "Job Role")], required=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [("kind_code_uniq", "unique(kind, code)", "An audience role exists once per kind.")]

    @api.constrains("kind", "code")
    def _check_code(self):
        valid = {"channel": {code for code, _label in CHANNEL_ROLES}, "job": {code for code, _label in JOB_ROLES}}
        for role in self:
            if role.code not in valid[role.kind]:
                raise ValidationError(self.env._("%(code)s is not a known %(kind)s.", code=role.code,
                                        kind=dict(self._fields["kind"]._description_selection(self.env))[role.kind]))


def audience_role_fields(table):
    """The ``channel_roles`` and ``job_roles`` fields of an audience model whose table is ``table``."""
    return (
        fields.Many2many(
            "channel.audience.role", relation=f"{table}_channel_role_rel", column1="record_id", column2="role_id",
            string="Channel Roles", domain="[('kind', '=', 'channel')]",
            help="Dealers, sub-distributors, retailers. Empty: every role.",
        ),
        fields.Many2many(
            "channel.audience.role", relation=f"{table}_job_role_rel", column1="record_id", column2="role_id",
            string="Job Roles", domain="[('kind', '=', 'job')]",
            help="Staff with these job roles (and company logins without a job role). Empty: everybody.",
        ),
    )


class ChannelAudienceMixin(models.AbstractModel):
    """Who a message or a meeting reaches: the portal users of channel members, restricted by tier,
    territory (with its sub-territories), channel role, job role and member; every criterion left
    empty does not restrict (everyone in the channel when all are empty). Criteria combine with AND.

    The inheriting model declares ``channel_roles`` and ``job_roles`` (Many2many to
    ``channel.audience.role``) with its own relation tables: ``audience_role_fields()`` builds them."""

    _name = "channel.audience.mixin"
    _description = "Channel Audience"

    tier_ids = fields.Many2many("channel.tier", string="Tiers", help="Empty: every tier.")
    territory_ids = fields.Many2many(
        "channel.territory", string="Territories",
        help="Members of these territories and of their sub-territories. Empty: everywhere.",
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Members",
        domain="[('channel_role', '!=', False), ('is_company', '=', True)]",
        help="Only these channel members. Empty: every member matching the other criteria.",
    )
    audience_user_count = fields.Integer(compute="_compute_audience_user_count", string="Audience")

    def _get_audience_domain(self):
        """res.users domain of the audience: active portal users of channel members (active or
        suspended) matching every criterion set. Override to widen or narrow an audience."""
        self.ensure_one()
        record = self.sudo()
        company = "partner_id.commercial_partner_id"
        domain = [
            ("share", "=", True),
            (f"{company}.channel_role", "!=", False),
            (f"{company}.channel_state", "in", AUDIENCE_STATES),
        ]
        parts = [domain]
        if record.tier_ids:
            parts.append([(f"{company}.channel_tier_id", "in", record.tier_ids.ids)])
        if record.territory_ids:
            territories = self.env["channel.territory"].sudo().search([("id", "child_of", record.territory_ids.ids)])
            parts.append([(f"{company}.channel_territory_id", "in", territories.ids)])
        if record.channel_roles:
            parts.append([(f"{company}.channel_role", "in", record.channel_roles.mapped("code"))])
        if record.job_roles:
            parts.append([
                "|", ("partner_id.channel_job_role", "in", record.job_roles.mapped("code")),
                ("partner_id.channel_job_role", "=", False),
            ])
        if record.partner_ids:
            parts.append([(company, "in", record.partner_ids.commercial_partner_id.ids)])
        return expression.AND(parts)

    def _get_audience_users(self):
        """The portal users in the audience (as superuser)."""
        self.ensure_one()
        return self.env["res.users"].sudo().search(self._get_audience_domain())

    def _is_in_audience(self, user):
        self.ensure_one()
        return bool(self.env["res.users"].sudo().search_count(
            expression.AND([self._get_audience_domain(), [("id", "=", user.id)]]), limit=1,
        ))

    @api.model
    def _get_user_audience_domain(self, user):
        """Domain of the records of this model whose audience contains ``user`` (the reverse of
        ``_get_audience_domain``, one query for all records)."""
        user = user.sudo()
        contact = user.partner_id
        company = contact.commercial_partner_id
        if user._is_internal() or not company.channel_role or company.channel_state not in AUDIENCE_STATES:
            return expression.FALSE_DOMAIN
        ancestor_ids = [int(part) for part in (company.channel_territory_id.parent_path or "").split("/") if part]
        Role = self.env["channel.audience.role"].sudo()
        channel_role = Role.search([("kind", "=", "channel"), ("code", "=", company.channel_role)])
        if contact.channel_job_role:
            job_role = Role.search([("kind", "=", "job"), ("code", "=", contact.channel_job_role)])
            job_domain = ["|", ("job_roles", "=", False), ("job_roles", "in", job_role.ids)]
        else:
            # A company login without a job role is the company itself: every job-role audience reaches it.
            job_domain = []
        return expression.AND([
            ["|", ("tier_ids", "=", False), ("tier_ids", "in", company.channel_tier_id.ids)],
            ["|", ("territory_ids", "=", False), ("territory_ids", "in", ancestor_ids)],
            ["|", ("channel_roles", "=", False), ("channel_roles", "in", channel_role.ids)],
            job_domain,
            ["|", ("partner_ids", "=", False), ("partner_ids", "in", company.ids)],
        ])

    def _audience_send_mail(self, template, users):
        """Email ``template`` about this record to each of ``users`` (one mail each, so that nobody
        sees the others' addresses): rendered once per language, the mails created in one batch."""
        self.ensure_one()
        vals_list = []
        render_fields = ("subject", "body_html", "email_from", "reply_to", "auto_delete")
        for lang, lang_users in users.grouped(lambda u: u.lang or False).items():
            template_lang = template.sudo().with_context(lang=lang) if lang else template.sudo()
            values = template_lang._generate_template([self.id], render_fields)[self.id]
            vals_list += [
                {
                    "subject": values.get("subject"),
                    "body_html": values.get("body_html"),
                    "email_from": values.get("email_from") or self.env.company.email_formatted,
                    "reply_to": values.get("reply_to"),
                    "auto_delete": values.get("auto_delete", True),
                    "model": self._name,
                    "res_id": self.id,
                    "recipient_ids": [Command.link(user.partner_id.id)],
                }
                for user in lang_users
            ]
        return self.env["mail.mail"].sudo().create(vals_list)

    def _compute_audience_user_count(self):
        Users = self.env["res.users"].sudo()
        for record in self:
            record.audience_user_count = Users.search_count(record._get_audience_domain()) if record.id else 0
