import base64
import io

from PIL import Image

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import float_round

from odoo.addons.channel_base.controllers.portal import ChannelPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MAX_PROOFS = 10
MAX_PROOF_MB = 10
PDF_SIGNATURE = b"%PDF-"


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
        if request.env.user._is_internal() or not self._channel_partner():
            return request.redirect("/my")
        if refused := self._channel_portal_refused("read"):
            return refused
        Announcement = request.env["channel.announcement"].sudo()
        domain = self._announcement_domain()
        count = Announcement.search_count(domain)
        pager = portal_pager(url="/my/channel/announcements", total=count, page=page, step=self._items_per_page)
        announcements = Announcement.search(domain, limit=self._items_per_page, offset=pager["offset"])
        read_ids = set(
            request.env["channel.announcement.receipt"]
            .sudo()
            .search(
                [
                    ("announcement_id", "in", announcements.ids),
                    ("user_id", "=", request.env.user.id),
                ]
            )
            .announcement_id.ids
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_announcements",
                "announcements": announcements,
                "read_ids": read_ids,
                "pager": pager,
                "default_url": "/my/channel/announcements",
            }
        )
        return request.render("joint_marketing.portal_my_channel_announcements", values)

    @http.route(["/my/channel/announcements/<int:announcement_id>"], type="http", auth="user", website=True)
    def portal_my_channel_announcement(self, announcement_id, **kw):
        """An announcement of the user's audience; opening it records the read receipt (once).
        Anything else (draft, expired, outside the audience, missing) is not found."""
        user = request.env.user
        if user._is_internal() or not self._channel_partner() or not user._channel_portal_can("read"):
            raise request.not_found()
        Announcement = request.env["channel.announcement"].sudo()
        announcement = Announcement.search(
            expression.AND([self._announcement_domain(), [("id", "=", announcement_id)]]),
            limit=1,
        )
        if not announcement:
            raise request.not_found()
        receipt = announcement._mark_read(user)
        announcement._portal_ensure_token()
        attachments = announcement.attachment_ids
        attachments.generate_access_token()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_announcement",
                "announcement": announcement,
                "receipt": receipt,
                "attachments": attachments,
                "token": announcement.access_token,
            }
        )
        return request.render("joint_marketing.portal_my_channel_announcement", values)

    # ------------------------------------------------------------------
    # Campaigns and claims
    # ------------------------------------------------------------------
    def _campaign_domain(self, partner):
        """Campaigns ``partner`` may claim for: approved or running, of its territory (or above) and
        listing it (or listing nobody)."""
        partner = partner.sudo()
        ancestor_ids = [int(part) for part in (partner.channel_territory_id.parent_path or "").split("/") if part]
        return [
            ("state", "in", ("approved", "running")),
            "|",
            ("territory_id", "=", False),
            ("territory_id", "in", ancestor_ids),
            "|",
            ("partner_ids", "=", False),
            ("partner_ids", "in", partner.ids),
        ]

    @staticmethod
    def _campaign_proof_limits():
        params = request.env["ir.config_parameter"].sudo()

        def read(key, default):
            try:
                return max(int(params.get_param(key, default)), 1)
            except (TypeError, ValueError):
                return default

        return (
            read("joint_marketing.claim_max_proofs", MAX_PROOFS),
            read("joint_marketing.claim_max_proof_mb", MAX_PROOF_MB) * 1024 * 1024,
        )

    @staticmethod
    def _campaign_proof_mimetype(content):
        """The mimetype of ``content`` read from the content itself: an image Pillow decodes, or a
        PDF by its signature; None for anything else."""
        if content.startswith(PDF_SIGNATURE):
            return "application/pdf"
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                return Image.MIME.get(image.format)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return None

    def _campaign_read_proofs(self, files):
        """[(name, content, mimetype)] of the uploaded proofs, or an error message."""
        max_count, max_size = self._campaign_proof_limits()
        if not files:
            return None, request.env._("Add at least one proof (photo or PDF).")
        if len(files) > max_count:
            return None, request.env._("Send at most %s files.", max_count)
        result = []
        for upload in files:
            content = upload.read(max_size + 1)
            if len(content) > max_size:
                return None, request.env._(
                    "The file %(name)s is larger than %(size)s MB.", name=upload.filename, size=max_size // 1048576
                )
            mimetype = self._campaign_proof_mimetype(content)
            if not mimetype:
                return None, request.env._("The file %s is neither an image nor a PDF.", upload.filename)
            result.append((upload.filename, content, mimetype))
        return result, None

    def _campaign_values(self, partner, error=None, success=False):
        Campaign = request.env["channel.campaign"].sudo()
        campaigns = Campaign.search(self._campaign_domain(partner), order="date_end, id")
        claims = (
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
                "campaigns": campaigns,
                "claims": claims,
                "error": error,
                "success": success,
            }
        )
        return values

    @http.route(["/my/channel/campaigns"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_channel_campaigns(self, **kw):
        partner = self._channel_partner()
        if request.env.user._is_internal() or not partner:
            return request.redirect("/my")
        if refused := self._channel_portal_refused("claim"):
            return refused
        return request.render(
            "joint_marketing.portal_my_channel_campaigns",
            self._campaign_values(partner, success=bool(kw.get("success"))),
        )

    @http.route(["/my/channel/campaigns/claim"], type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_campaign_claim(self, campaign_id=None, amount=None, note=None, **kw):
        """File a claim: only the campaign, the amount spent, a description and the proofs come from
        the request; the dealer is the session's company, the reimbursement is computed, the claim is
        submitted for review."""
        partner = self._channel_partner()
        if request.env.user._is_internal() or not partner:
            return request.redirect("/my")
        if refused := self._channel_portal_refused("claim"):
            return refused
        Campaign = request.env["channel.campaign"].sudo()
        try:
            campaign = Campaign.search(
                expression.AND(
                    [
                        self._campaign_domain(partner),
                        [("id", "=", int(campaign_id or 0))],
                    ]
                ),
                limit=1,
            )
        except ValueError:
            campaign = Campaign
        if not campaign:
            return request.render(
                "joint_marketing.portal_my_channel_campaigns",
                self._campaign_values(partner, error=request.env._("Choose one of your campaigns.")),
            )
        try:
            spent = float_round(float(amount or 0), precision_rounding=campaign.currency_id.rounding)
        except ValueError:
            spent = 0.0
        if spent <= 0:
            return request.render(
                "joint_marketing.portal_my_channel_campaigns",
                self._campaign_values(partner, error=request.env._("Enter the amount you spent.")),
            )
        files = [upload for upload in request.httprequest.files.getlist("proofs") if upload and upload.filename]
        proofs, error = self._campaign_read_proofs(files)
        if error:
            return request.render(
                "joint_marketing.portal_my_channel_campaigns", self._campaign_values(partner, error=error)
            )
        try:
            with request.env.cr.savepoint():
                claim = (
                    request.env["channel.campaign.claim"]
                    .sudo()
                    .create(
                        {
                            "campaign_id": campaign.id,
                            "partner_id": partner.id,
                            "amount": spent,
                            "note": (note or "").strip()[:2000],
                        }
                    )
                )
                attachments = (
                    request.env["ir.attachment"]
                    .sudo()
                    .create(
                        [
                            {
                                "name": name,
                                "datas": base64.b64encode(content),
                                "mimetype": mimetype,
                                "res_model": "channel.campaign.claim",
                                "res_id": claim.id,
                                "public": False,
                            }
                            for name, content, mimetype in proofs
                        ]
                    )
                )
                claim.attachment_ids = [fields.Command.set(attachments.ids)]
                claim.action_submit()
        except (UserError, ValidationError) as error:
            return request.render(
                "joint_marketing.portal_my_channel_campaigns", self._campaign_values(partner, error=error.args[0])
            )
        claim.message_post(
            body=request.env._("Claim submitted from the portal."), author_id=request.env.user.partner_id.id
        )
        return request.redirect("/my/channel/campaigns?success=1")

    # ------------------------------------------------------------------
    # Meetings
    # ------------------------------------------------------------------
    @http.route(["/my/channel/meetings"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_channel_meetings(self, **kw):
        user = request.env.user
        if user._is_internal() or not self._channel_partner():
            return request.redirect("/my")
        if refused := self._channel_portal_refused("read"):
            return refused
        Event = request.env["event.event"].sudo()
        meetings = Event.search(Event._channel_portal_domain(user), order="date_begin")
        registrations = (
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
                "meetings": meetings,
                "registered_ids": set(registrations.event_id.ids),
                "history": registrations.sorted(lambda r: r.event_id.date_begin, reverse=True),
                "error": request.env._("Registrations for this meeting are closed.") if kw.get("error") else None,
                "success": bool(kw.get("success")),
            }
        )
        return request.render("joint_marketing.portal_my_channel_meetings", values)

    @http.route(
        ["/my/channel/meetings/<int:event_id>/register"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_channel_meeting_register(self, event_id, **kw):
        user = request.env.user
        if user._is_internal() or not self._channel_partner() or not user._channel_portal_can("read"):
            raise request.not_found()
        Event = request.env["event.event"].sudo()
        event = Event.search(expression.AND([Event._channel_portal_domain(user), [("id", "=", event_id)]]), limit=1)
        if not event:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                event._channel_register(user)
        except (UserError, ValidationError):
            return request.redirect("/my/channel/meetings?error=closed")
        return request.redirect("/my/channel/meetings?success=1")
