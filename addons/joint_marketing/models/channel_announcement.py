from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from .channel_audience import audience_role_fields

_channel_roles, _job_roles = audience_role_fields("channel_announcement")


class ChannelAnnouncement(models.Model):
    """The same message, unchanged, to every channel member of an audience, with read receipts."""

    _name = "channel.announcement"
    _description = "Channel Announcement"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin", "channel.audience.mixin"]
    _order = "pinned desc, date_publish desc, id desc"

    name = fields.Char(string="Title", required=True, tracking=True, translate=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", string="Author", default=lambda self: self.env.user)
    body = fields.Html(sanitize_attributes=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    channel_roles = _channel_roles
    job_roles = _job_roles
    date_publish = fields.Datetime(string="Published on", copy=False, tracking=True)
    date_expire = fields.Date(string="Expires on", tracking=True,
                              help="No longer shown in the portal after this day.")
    pinned = fields.Boolean(help="Shown first in the portal.", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        default="draft", required=True, copy=False, index=True, tracking=True,
    )
    campaign_id = fields.Many2one("channel.campaign", string="Campaign", index="btree_not_null")
    loyalty_program_id = fields.Many2one("loyalty.program", string="Promotion", index="btree_not_null")
    receipt_ids = fields.One2many("channel.announcement.receipt", "announcement_id", string="Receipts")
    read_count = fields.Integer(compute="_compute_read_stats", string="Readers")
    unread_count = fields.Integer(compute="_compute_read_stats", string="Non-readers")
    read_rate = fields.Float(compute="_compute_read_stats", string="Read Rate (%)", digits=(16, 1))

    @api.depends("receipt_ids", "tier_ids", "territory_ids", "channel_roles", "job_roles", "partner_ids")
    def _compute_read_stats(self):
        Users = self.env["res.users"].sudo()
        for announcement in self:
            if not announcement.id:
                announcement.read_count = announcement.unread_count = announcement.read_rate = 0
                continue
            audience = announcement._get_audience_domain()
            reached = Users.search_count(audience)
            read = Users.search_count(expression.AND([
                audience, [("id", "in", announcement.sudo().receipt_ids.user_id.ids)],
            ]))
            announcement.read_count = read
            announcement.unread_count = reached - read
            announcement.read_rate = read / reached * 100.0 if reached else 0.0

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for announcement in self:
            announcement.access_url = f"/my/channel/announcements/{announcement.id}"
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_publish(self):
        self.env["res.users"]._channel_check_internal_caller()
        for announcement in self:
            if announcement.state == "published":
                raise UserError(self.env._("%s is already published.", announcement.display_name))
        self.filtered(lambda a: not a.date_publish).write({"date_publish": fields.Datetime.now()})
        self.write({"state": "published"})
        return True

    def action_archive_announcement(self):
        self.env["res.users"]._channel_check_internal_caller()
        self.write({"state": "archived"})
        return True

    def action_reset_draft(self):
        self.env["res.users"]._channel_check_internal_caller()
        self.write({"state": "draft"})
        return True

    def _get_unread_users(self):
        """Users of the audience who have not read the announcement."""
        self.ensure_one()
        return self.env["res.users"].sudo().search(expression.AND([
            self._get_audience_domain(), [("id", "not in", self.sudo().receipt_ids.user_id.ids)],
        ]))

    def action_remind_unread(self):
        """Email the users of the audience who have not read the announcement yet (only them)."""
        self.env["res.users"]._channel_check_internal_caller()
        template = self.env.ref("joint_marketing.mail_template_announcement_reminder")
        for announcement in self:
            if announcement.state != "published":
                raise UserError(self.env._("Only published announcements have readers to remind (%s).",
                                  announcement.display_name))
            users = announcement._get_unread_users().filtered(lambda u: u.partner_id.email)
            announcement._audience_send_mail(template, users)
            announcement.message_post(body=self.env._("Reminder sent to %s user(s) who had not read it.", len(users)))
        return True

    def action_view_readers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Readers of %s", self.display_name),
            "res_model": "channel.announcement.receipt",
            "view_mode": "list",
            "domain": [("announcement_id", "=", self.id)],
        }

    def action_view_unread(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Non-readers of %s", self.display_name),
            "res_model": "res.users",
            "view_mode": "list",
            "views": [(self.env.ref("joint_marketing.res_users_view_list_announcement").id, "list")],
            "domain": [("id", "in", self._get_unread_users().ids)],
            "context": {"create": False},
        }

    def action_view_funnel(self):
        return self.env["channel.announcement.funnel"].action_open_funnel(self.ids)

    def _get_form_action(self):
        self.ensure_one()
        return self._get_records_action(context={})

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    @api.model
    def _get_portal_domain(self, user):
        """Announcements ``user`` sees in the portal: published, not expired, in its audience."""
        today = fields.Date.context_today(self)
        return expression.AND([
            [("state", "=", "published"), "|", ("date_expire", "=", False), ("date_expire", ">=", today)],
            self._get_user_audience_domain(user),
        ])

    def _mark_read(self, user):
        """Record that ``user`` has read this announcement (once; later openings change nothing)."""
        self.ensure_one()
        Receipt = self.env["channel.announcement.receipt"].sudo()
        self.env.cr.execute(SQL(
            """INSERT INTO channel_announcement_receipt
                   (announcement_id, user_id, partner_id, date_read, create_uid, create_date, write_uid, write_date)
               VALUES (%(a)s, %(u)s, %(p)s, NOW() AT TIME ZONE 'UTC', %(u)s, NOW() AT TIME ZONE 'UTC',
                       %(u)s, NOW() AT TIME ZONE 'UTC')
               ON CONFLICT (announcement_id, user_id) DO NOTHING""",
            a=self.id, u=user.id, p=user.partner_id.commercial_partner_id.id,
        ))
        Receipt.invalidate_model()
        self.invalidate_recordset(["receipt_ids"])
        return Receipt.search([("announcement_id", "=", self.id), ("user_id", "=", user.id)], limit=1)


class ChannelAnnouncementReceipt(models.Model):
    """One user has read one announcement."""

    _name = "channel.announcement.receipt"
    _description = "Announcement Read Receipt"
    _inherit = ["channel.portal.guard.mixin"]
    _order = "date_read desc, id desc"

    announcement_id = fields.Many2one("channel.announcement", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="User", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Member", index=True,
                                 help="The channel member company of the user.")
    contact_id = fields.Many2one(related="user_id.partner_id", string="Contact")
    territory_id = fields.Many2one(related="partner_id.channel_territory_id", store=True, string="Territory")
    date_read = fields.Datetime(string="Read on", required=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("announcement_user_uniq", "unique(announcement_id, user_id)", "A user reads an announcement once."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        Users = self.env["res.users"].sudo()
        for vals in vals_list:
            if vals.get("user_id") and not vals.get("partner_id"):
                vals["partner_id"] = Users.browse(vals["user_id"]).partner_id.commercial_partner_id.id
        return super().create(vals_list)
