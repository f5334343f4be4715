from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import float_round

from odoo.addons.channel_base.controllers.portal import ChannelPortal
from odoo.addons.channel_base.controllers.uploads import ANY_IMAGE

MAX_PROOFS = 10
MAX_PROOF_MB = 10


class JointMarketingCampaignPortal(ChannelPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        user = request.env.user
        member = bool(self._channel_partner()) and not user._is_internal()
        # Sent to channel members only: their entry always shows (0 once all is read), others never see it.
        if "channel_announcement_unread_count" in counters and member and user._channel_portal_can("read"):
            values["channel_announcement_unread_count"] = self._announcement_unread_count()
        if "channel_campaign_count" in counters:
            values["channel_campaign_count"] = (
                request.env["channel.campaign"].sudo().search_count(self._campaign_domain(self._channel_partner()))
                if member and user._channel_portal_can("claim")
                else 0
            )
        if "channel_meeting_count" in counters:
            values["channel_meeting_count"] = (
                request.env["event.event"].sudo().search_count(request.env["event.event"]._channel_portal_domain(user))
                if member and user._channel_portal_can("read")
                else 0
            )
        return values

    def _campaign_member(self, action="read"):
        """The prelude of the announcement, campaign and meeting pages (channel members' portal users
        only): ``(member, None)`` or ``(None, the "not allowed" page)``."""
        return self._channel_portal_member(action, portal_only=True)

    # ------------------------------------------------------------------
    # Announcements
    # ------------------------------------------------------------------
    def _announcement_domain(self):
        return request.env["channel.announcement"].sudo()._get_portal_domain(request.env.user)

    def _announcement_unread_count(self):
        announcement_ids = request.env["channel.announcement"].sudo()._search(self._announcement_domain())
        announcement_ids = list(announcement_ids)
        read = (
            request.env["channel.announcement.receipt"]
            .sudo()
            .search_count(
                [
                    ("announcement_id", "in", announcement_ids),
                    ("user_id", "=", request.env.user.id),
                ]
            )
        )
        return len(announcement_ids) - read

    @http.route(
        ["/my/channel/announcements", "/my/channel/announcements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_channel_announcements(self, page=1, **kw):
        _member, refused = self._campaign_member("read")
        if refused:
            return refused
        values = self._prepare_announcements_values(page)
        return request.render("joint_marketing.portal_my_channel_announcements", values)

    def _prepare_announcements_values(self, page=1):
        """The values of the announcement list: the user's audience, with what the user already read."""
        Announcement_sudo = request.env["channel.announcement"].sudo()
        domain = self._announcement_domain()
        announcements_sudo, pager = self._channel_page_of(Announcement_sudo, domain, "/my/channel/announcements", page)
        read_ids = set(
            request.env["channel.announcement.receipt"]
            .sudo()
            .search(
                [
                    ("announcement_id", "in", announcements_sudo.ids),
                    ("user_id", "=", request.env.user.id),
                ]
            )
            .announcement_id.ids
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_announcements",
                "announcements": announcements_sudo,
                "read_ids": read_ids,
                "pager": pager,
                "default_url": "/my/channel/announcements",
            }
        )
        return values

    @http.route(["/my/channel/announcements/<int:announcement_id>"], type="http", auth="user", website=True)
    def portal_my_channel_announcement(self, announcement_id, **kw):
        """An announcement of the user's audience; opening it records the read receipt (once).
        Anything else (draft, expired, outside the audience, missing) is not found."""
        user = request.env.user
        if user._is_internal() or not self._channel_partner() or not user._channel_portal_can("read"):
            raise request.not_found()
        announcement_sudo = request.env["channel.announcement"].sudo().search(
            expression.AND([self._announcement_domain(), [("id", "=", announcement_id)]]),
            limit=1,
        )
        if not announcement_sudo:
            raise request.not_found()
        receipt_sudo = announcement_sudo._mark_read(user)
        values = self._prepare_announcement_values(announcement_sudo, receipt_sudo)
        return request.render("joint_marketing.portal_my_channel_announcement", values)

    def _prepare_announcement_values(self, announcement_sudo, receipt_sudo):
        """The values of one announcement's page; its attachments get access tokens for the download links."""
        announcement_sudo._portal_ensure_token()
        attachments_sudo = announcement_sudo.attachment_ids
        attachments_sudo.generate_access_token()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_announcement",
                "announcement": announcement_sudo,
                "receipt": receipt_sudo,
                "attachments": attachments_sudo,
                "token": announcement_sudo.access_token,
            }
        )
        return values

    # ------------------------------------------------------------------
    # Campaigns and claims
    # ------------------------------------------------------------------
    def _campaign_domain(self, partner):
        """Campaigns ``partner`` may claim for: approved or running, of its territory (or above) and
        listing it (or listing nobody)."""
        partner_sudo = partner.sudo()
        ancestor_ids = [
            int(part) for part in (partner_sudo.channel_territory_id.parent_path or "").split("/") if part
        ]
        return [
            ("state", "in", ("approved", "running")),
            "|",
            ("territory_id", "=", False),
            ("territory_id", "in", ancestor_ids),
            "|",
            ("partner_ids", "=", False),
            ("partner_ids", "in", partner_sudo.ids),
        ]

    @staticmethod
    def _campaign_proof_limits():
        params_sudo = request.env["ir.config_parameter"].sudo()

        def read(key, default):
            try:
                return max(int(params_sudo.get_param(key, default)), 1)
            except (TypeError, ValueError):
                return default

        return (
            read("joint_marketing.claim_max_proofs", MAX_PROOFS),
            read("joint_marketing.claim_max_proof_mb", MAX_PROOF_MB) * 1024 * 1024,
        )

    def _campaign_read_proofs(self, files):
        """[(name, content, mimetype)] of the uploaded proofs (images that decode or PDF files), or an
        error message."""
        max_count, max_size = self._campaign_proof_limits()

        def not_a_proof(name):
            return request.env._("The file %s is neither an image nor a PDF.", name)

        return self._channel_read_uploads(
            files,
            max_count,
            max_size,
            {ANY_IMAGE, "application/pdf"},
            required=True,
            messages={
                "missing": lambda: request.env._("Add at least one proof (photo or PDF)."),
                "count": lambda count: request.env._("Send at most %s files.", count),
                "empty": not_a_proof,
                "type": not_a_proof,
            },
        )

    def _campaign_values(self, partner, error=None, success=False):
        """The values of the campaign page (kept for callers; see :meth:`_prepare_campaigns_values`)."""
        return self._prepare_campaigns_values(partner, error=error, success=success)

    def _prepare_campaigns_values(self, partner, error=None, success=False):
        """The values of the campaign page: the campaigns ``partner`` may claim for and its claims."""
        campaigns_sudo = request.env["channel.campaign"].sudo().search(
            self._campaign_domain(partner), order="date_end, id"
        )
        claims_sudo = (
            request.env["channel.campaign.claim"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id)],
                limit=100,
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_campaigns",
                "campaigns": campaigns_sudo,
                "claims": claims_sudo,
                "error": error,
                "success": success,
            }
        )
        return values

    def _campaign_render(self, partner, error=None, success=False):
        return request.render(
            "joint_marketing.portal_my_channel_campaigns",
            self._campaign_values(partner, error=error, success=success),
        )

    @http.route(["/my/channel/campaigns"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_channel_campaigns(self, **kw):
        partner, refused = self._campaign_member("claim")
        if refused:
            return refused
        return self._campaign_render(partner, success=bool(kw.get("success")))

    def _campaign_claim_campaign(self, partner, campaign_ref):
        """The campaign ``partner`` may claim for that a posted id designates (sudo), or an empty recordset."""
        Campaign_sudo = request.env["channel.campaign"].sudo()
        try:
            campaign_id = int(campaign_ref or 0)
        except ValueError:
            return Campaign_sudo
        return Campaign_sudo.search(
            expression.AND([self._campaign_domain(partner), [("id", "=", campaign_id)]]),
            limit=1,
        )

    def _campaign_claim_amount(self, campaign_sudo, amount):
        """The amount spent as typed, rounded to the campaign's currency; 0.0 when it is not a number."""
        try:
            return float_round(float(amount or 0), precision_rounding=campaign_sudo.currency_id.rounding)
        except ValueError:
            return 0.0

    def _campaign_create_claim(self, partner, campaign_sudo, spent, note, proofs):
        """Create the claim with its proofs [(name, content, mimetype)] and submit it for review, all or
        nothing; UserError/ValidationError when refused. The dealer is the session's company, the
        reimbursement is computed by the claim."""
        with request.env.cr.savepoint():
            claim_sudo = (
                request.env["channel.campaign.claim"]
                .sudo()
                .create(
                    {
                        "campaign_id": campaign_sudo.id,
                        "partner_id": partner.id,
                        "amount": spent,
                        "note": (note or "").strip()[:2000],
                    }
                )
            )
            attachments_sudo = self._channel_attach_uploads(claim_sudo, proofs)
            claim_sudo.attachment_ids = [fields.Command.set(attachments_sudo.ids)]
            claim_sudo.action_submit()
        return claim_sudo

    @http.route(["/my/channel/campaigns/claim"], type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_campaign_claim(self, campaign_id=None, amount=None, note=None, **kw):
        """File a claim: only the campaign, the amount spent, a description and the proofs come from
        the request; the dealer is the session's company, the reimbursement is computed, the claim is
        submitted for review."""
        partner, refused = self._campaign_member("claim")
        if refused:
            return refused
        campaign_sudo = self._campaign_claim_campaign(partner, campaign_id)
        if not campaign_sudo:
            return self._campaign_render(partner, error=request.env._("Choose one of your campaigns."))
        spent = self._campaign_claim_amount(campaign_sudo, amount)
        if spent <= 0:
            return self._campaign_render(partner, error=request.env._("Enter the amount you spent."))
        files = [upload for upload in request.httprequest.files.getlist("proofs") if upload and upload.filename]
        proofs, error = self._campaign_read_proofs(files)
        if error:
            return self._campaign_render(partner, error=error)
        try:
            claim_sudo = self._campaign_create_claim(partner, campaign_sudo, spent, note, proofs)
        except (UserError, ValidationError) as error:
            return self._campaign_render(partner, error=error.args[0])
        claim_sudo.message_post(
            body=request.env._("Claim submitted from the portal."), author_id=request.env.user.partner_id.id
        )
        return request.redirect("/my/channel/campaigns?success=1")

    # ------------------------------------------------------------------
    # Meetings
    # ------------------------------------------------------------------
    @http.route(["/my/channel/meetings"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_channel_meetings(self, **kw):
        _member, refused = self._campaign_member("read")
        if refused:
            return refused
        values = self._prepare_meetings_values(error=kw.get("error"), success=kw.get("success"))
        return request.render("joint_marketing.portal_my_channel_meetings", values)

    def _prepare_meetings_values(self, error=None, success=None):
        """The values of the meeting page: the meetings offered to the user and its registrations."""
        user = request.env.user
        Event_sudo = request.env["event.event"].sudo()
        meetings_sudo = Event_sudo.search(Event_sudo._channel_portal_domain(user), order="date_begin")
        registrations_sudo = (
            request.env["event.registration"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", user.partner_id.id),
                    ("channel_meeting", "=", True),
                    ("state", "!=", "cancel"),
                ]
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_meetings",
                "meetings": meetings_sudo,
                "registered_ids": set(registrations_sudo.event_id.ids),
                "history": registrations_sudo.sorted(lambda r: r.event_id.date_begin, reverse=True),
                "error": request.env._("Registrations for this meeting are closed.") if error else None,
                "success": bool(success),
            }
        )
        return values

    @http.route(
        ["/my/channel/meetings/<int:event_id>/register"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_channel_meeting_register(self, event_id, **kw):
        user = request.env.user
        if user._is_internal() or not self._channel_partner() or not user._channel_portal_can("read"):
            raise request.not_found()
        Event_sudo = request.env["event.event"].sudo()
        event_sudo = Event_sudo.search(
            expression.AND([Event_sudo._channel_portal_domain(user), [("id", "=", event_id)]]), limit=1
        )
        if not event_sudo:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                event_sudo._channel_register(user)
        except (UserError, ValidationError):
            return request.redirect("/my/channel/meetings?error=closed")
        return request.redirect("/my/channel/meetings?success=1")
