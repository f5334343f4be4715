from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from odoo.addons.channel_base.controllers.portal import ChannelPortal

from ..models.channel_service_request import OPEN_STATES

MAX_FILES = 5
MAX_FILE_MB = 10
# What a dealer may attach to a request: photos, PDF, office documents and plain text.
ALLOWED_MIMETYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_SUBJECT = 200
MAX_DESCRIPTION = 5000


class ChannelServicePortal(ChannelPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _service_member(self):
        """The prelude of the service pages: ``(channel member company, None)`` or ``(None, the "not
        allowed" page)``. Prospects are welcome (technical service before a contract, seed 000)."""
        refusal = request.env.user._channel_service_refusal()
        if refusal:
            return None, self._channel_portal_refused_page(refusal)
        return self._channel_partner(), None

    def _service_types(self):
        """The request types the logged-in user may file (read with its rights): the active ones, only
        those open to prospects for a prospect."""
        domain = []
        if request.env.user._channel_service_is_prospect():
            domain = [("prospect_ok", "=", True)]
        return request.env["channel.service.type"].search(domain)

    def _service_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("Open"), "domain": [("state", "in", OPEN_STATES)]},
            "done": {"label": request.env._("Done"), "domain": [("state", "=", "done")]},
            "cancelled": {"label": request.env._("Cancelled"), "domain": [("state", "=", "cancelled")]},
        }

    def _service_format_hours(self, hours):
        """A response or resolution time as a dealer reads it: "4 h", "2 days"."""
        if not hours:
            return "-"
        if hours == 24:
            return request.env._("1 day")
        if hours > 24 and not hours % 24:
            return request.env._("%s days", self._channel_format_number(hours / 24, 1))
        return request.env._("%s h", self._channel_format_number(hours, 1))

    def _service_read_files(self, files):
        """[(name, content, mimetype)] of the uploaded files (none is fine), or an error message."""
        return self._channel_read_uploads(
            files,
            MAX_FILES,
            MAX_FILE_MB * 1024 * 1024,
            ALLOWED_MIMETYPES,
            messages={
                "type": lambda name: request.env._(
                    "The file %s is not a photo, a PDF, an office document or a text file.", name
                ),
            },
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_request_count" in counters:
            Request = request.env["channel.service.request"]
            values["service_request_count"] = (
                Request.search_count([("state", "in", OPEN_STATES)])
                if self._channel_partner() and Request.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------
    @http.route(
        ["/my/channel/requests", "/my/channel/requests/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_service_requests(self, page=1, filterby="all", **kw):
        member, refused = self._service_member()
        if refused:
            return refused
        values = self._prepare_service_requests_values(member, page, filterby)
        return request.render("channel_service.portal_my_service_requests", values)

    def _prepare_service_requests_values(self, member, page=1, filterby="all"):
        """The values of the request list: the member's requests (record rules), filtered and paged."""
        filters = self._service_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        domain = [("partner_id", "=", member.id)] + filters[filterby]["domain"]
        service_requests, pager = self._channel_page_of(
            request.env["channel.service.request"], domain, "/my/channel/requests", page,
            url_args={"filterby": filterby},
        )
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_requests",
            "channel_partner": member,
            "service_requests": service_requests,
            "pager": pager,
            "searchbar_filters": filters,
            "filterby": filterby,
            "default_url": "/my/channel/requests",
        })
        return values

    @http.route(["/my/channel/requests/new"], type="http", auth="user", website=True)
    def portal_service_request_new(self, error=None, **kw):
        member, refused = self._service_member()
        if refused:
            return refused
        values = self._prepare_service_request_new_values(member, error, kw)
        return request.render("channel_service.portal_service_request_new", values, status=400 if error else 200)

    def _prepare_service_request_new_values(self, member, error=None, posted=None):
        """The values of the new request form (``error``: why the last submission was refused, ``posted``:
        what was typed, to fill the form again)."""
        posted = posted or {}
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_request",
            "service_request": False,
            "channel_partner": member,
            "service_types": self._service_types(),
            "error": error,
            "posted": {key: posted.get(key) or "" for key in ("type_id", "subject", "description")},
            "attachment_hint": request.env._(
                "At most %(count)s files of %(size)s MB each: photos, PDF, office documents or text.",
                count=MAX_FILES,
                size=MAX_FILE_MB,
            ),
        })
        return values

    def _service_type_of(self, type_ref):
        """The type a posted id designates among those the user may file, or an empty recordset."""
        types = self._service_types()
        try:
            return types.filtered(lambda t: t.id == int(type_ref or 0))
        except (TypeError, ValueError):
            return types.browse()

    def _prepare_service_request_vals(self, member, service_type, subject, description):
        """Values of a request filed from the portal: partner, requester and type decided here, the
        responsible, state and deadlines by the model; only the subject and description are the dealer's."""
        return {
            "partner_id": member.id,
            "contact_partner_id": request.env.user.partner_id.id,
            "type_id": service_type.id,
            "subject": subject,
            "description": description,
        }

    def _service_create_request(self, member, service_type, subject, description, files):
        """Create the request as superuser, attach the files and log the submission in the chatter, the
        dealer following it. ValidationError when refused."""
        vals = self._prepare_service_request_vals(member, service_type, subject, description)
        with request.env.cr.savepoint():
            request_sudo = request.env["channel.service.request"].sudo().create(vals)
            attachments_sudo = self._channel_attach_uploads(request_sudo, files, access_token=True)
            request_sudo.message_subscribe(partner_ids=request.env.user.partner_id.ids)
            request_sudo.message_post(
                body=request.env._("Request submitted from the portal."),
                author_id=request.env.user.partner_id.id,
                attachment_ids=attachments_sudo.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request_sudo

    @http.route(["/my/channel/requests/submit"], type="http", auth="user", methods=["POST"], website=True)
    def portal_service_request_submit(self, type_id=None, subject=None, description=None, **kw):
        member, refused = self._service_member()
        if refused:
            return refused
        posted = {"type_id": type_id, "subject": subject, "description": description}
        service_type = self._service_type_of(type_id)
        if not service_type:
            return self.portal_service_request_new(error=request.env._("Choose the kind of request."), **posted)
        subject = (subject or "").strip()[:MAX_SUBJECT]
        if not subject:
            return self.portal_service_request_new(error=request.env._("Give your request a subject."), **posted)
        description = (description or "").strip()[:MAX_DESCRIPTION]
        files, error = self._service_read_files(request.httprequest.files.getlist("attachments"))
        if error:
            return self.portal_service_request_new(error=error, **posted)
        try:
            request_sudo = self._service_create_request(member, service_type, subject, description, files)
        except ValidationError as error:
            return self.portal_service_request_new(error=error.args[0], **posted)
        return request.redirect(f"/my/channel/requests/{request_sudo.id}?created=1")

    @http.route(["/my/channel/requests/<int:request_id>"], type="http", auth="user", website=True)
    def portal_service_request(self, request_id, access_token=None, created=None, **kw):
        _member, refused = self._service_member()
        if refused:
            return refused
        try:
            # record rules: a dealer reads its own company's requests only
            request_sudo = self._document_check_access("channel.service.request", request_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my/channel/requests")
        values = self._prepare_service_request_values(request_sudo, created=created)
        return request.render("channel_service.portal_service_request", values)

    def _prepare_service_request_values(self, request_sudo, created=None):
        """The values of one request's page (the request read after the record rules allowed it)."""
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_request",
            "service_request": request_sudo,
            "created": created,
            "created_message": request.env._(
                "Your request was sent to %s. You will be answered here.", request_sudo.type_id.name
            ),
            "format_hours": self._service_format_hours,
        })
        return values

    # ------------------------------------------------------------------
    # Contacts (业务衔接流程: who handles what)
    # ------------------------------------------------------------------
    @http.route(["/my/channel/contacts"], type="http", auth="user", website=True)
    def portal_my_service_contacts(self, **kw):
        member, refused = self._service_member()
        if refused:
            return refused
        values = self._prepare_service_contacts_values(member)
        return request.render("channel_service.portal_my_service_contacts", values)

    def _service_contact_row(self, service_type):
        """What the contacts page shows of a type (read as superuser: the responsible's name, phone and
        e-mail are the manufacturer's contact details, given to every dealer)."""
        type_sudo = service_type.sudo()
        user_sudo = type_sudo.user_id
        return {
            "type": type_sudo,
            "name": type_sudo.name,
            "description": type_sudo.description,
            "department": type_sudo.department,
            "responsible": user_sudo.name,
            "phone": type_sudo.phone or user_sudo.phone or user_sudo.mobile,
            "email": type_sudo.email or user_sudo.email,
            "response": self._service_format_hours(type_sudo.response_hours),
            "resolution": self._service_format_hours(type_sudo.resolution_hours),
        }

    def _prepare_service_contacts_values(self, member):
        salesperson_sudo = member.sudo().user_id
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_contacts",
            "channel_partner": member,
            "contacts": [self._service_contact_row(service_type) for service_type in self._service_types()],
            "salesperson": {
                "name": salesperson_sudo.name,
                "phone": salesperson_sudo.phone or salesperson_sudo.mobile,
                "email": salesperson_sudo.email,
            }
            if salesperson_sudo
            else None,
        })
        return values
