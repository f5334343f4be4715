from odoo import http
from odoo.http import request
from odoo.tools import float_repr
from odoo.tools.misc import get_lang

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .uploads import MAX_UPLOAD_NAME, Upload, upload_mimetype
from .xlsx import xlsx_response


class ChannelPortal(CustomerPortal):
    def _channel_partner(self):
        """The commercial partner of the logged-in user when it is a channel member, else None."""
        partner = request.env.user.partner_id.commercial_partner_id
        return partner if partner.channel_role else None

    def _channel_portal_refused(self, action):
        """A message page (HTTP 403) when the logged-in user may not do ``action`` in the channel
        portal ('order', 'receipt', 'statement', 'claim', 'read'), else None."""
        refusal = request.env.user._channel_portal_refusal(action)
        if not refusal:
            return None
        return self._channel_portal_refused_page(refusal)

    def _channel_portal_refused_page(self, refusal):
        """The "not allowed" page (HTTP 403) saying ``refusal`` (a translated sentence)."""
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "channel_refused", "channel_refusal": refusal})
        return request.render("channel_base.portal_channel_refused", values, status=403)

    def _channel_portal_member(self, action="read", roles=None, portal_only=False):
        """The prelude of every channel portal page: the channel member (commercial partner) of the
        logged-in user, checked for ``action`` (see ``res.users._channel_portal_refusal``) and, when
        ``roles`` is given, for its channel role.

        :return: ``(member, None)``, or ``(None, response)`` with the "not allowed" page (HTTP 403)
            that every channel page answers to a user who may not use it.
        """
        if refused := self._channel_portal_refused(action):
            return None, refused
        member = self._channel_partner()
        if (portal_only and request.env.user._is_internal()) or (roles and member.channel_role not in roles):
            return None, self._channel_portal_not_available()
        return member, None

    def _channel_portal_not_available(self):
        """The "not allowed" page for a channel member whose role has no such page."""
        return self._channel_portal_refused_page(request.env._("This page is not available to your company."))

    # ------------------------------------------------------------------
    # Numbers on portal pages and downloads
    # ------------------------------------------------------------------
    @staticmethod
    def _channel_format_number(value, digits=2):
        """A number as the dealer reads it: thousands separators of the user's language and no
        useless trailing zeros (23,400 / 3.5)."""
        lang = request.env["res.lang"]._lang_get(get_lang(request.env).code)
        value = round(float(value or 0.0), digits)
        if value.is_integer():
            return lang.format("%.0f", value, grouping=True)
        formatted = lang.format(f"%.{digits}f", value, grouping=True)
        return formatted.rstrip("0") if lang.decimal_point in formatted else formatted

    def _channel_format_amount(self, amount, currency):
        """An amount with the currency symbol on its side (see :meth:`_channel_format_number`)."""
        number = self._channel_format_number(currency.round(amount), currency.decimal_places)
        if currency.position == "before":
            return f"{currency.symbol or ''}{number}"
        return f"{number}\N{NO-BREAK SPACE}{currency.symbol or ''}"

    @staticmethod
    def _channel_format_qty(quantity):
        """A quantity as typed back into a form field: no separators, no trailing zeros (12 / 7.5)."""
        return float_repr(quantity, 3).rstrip("0").rstrip(".")

    def _channel_page_of(self, Model, domain, url, page=1, url_args=None, order=None):
        """Page ``page`` of a portal list at ``url``: the records of ``Model`` in ``domain`` (searched
        with ``Model``'s environment, in ``order``) and the pager, ``_items_per_page`` records a page.

        :return: ``(records, pager)``
        """
        pager = portal_pager(
            url=url, url_args=url_args, total=Model.search_count(domain), page=page, step=self._items_per_page
        )
        return Model.search(domain, order=order, limit=self._items_per_page, offset=pager["offset"]), pager

    def _channel_xlsx_response(self, content, filename):
        return xlsx_response(content, filename)

    # ------------------------------------------------------------------
    # Uploaded files (photos, proofs, attachments)
    # ------------------------------------------------------------------
    def _channel_upload_messages(self):
        """The default error messages of :meth:`_channel_read_uploads`, each a callable returning the
        translated sentence."""
        return {
            "missing": lambda: request.env._("Add at least one file."),
            "count": lambda count: request.env._("Attach at most %s files.", count),
            "size": lambda name, size: request.env._(
                "The file %(name)s is larger than %(size)s MB.", name=name, size=size
            ),
            "empty": lambda name: request.env._("The file %s is empty.", name),
            "type": lambda name: request.env._("The file %s is not of an accepted type.", name),
        }

    def _channel_read_uploads(self, files, max_count, max_size, mimetypes, required=False, messages=None):
        """Read and check the files a portal user uploaded, before anything is saved: all are
        accepted or none.

        :param files: the uploaded files (``request.httprequest.files.getlist(...)``); empty file
            inputs (no file name) are skipped
        :param int max_count: most files accepted
        :param int max_size: largest file accepted, in bytes (no more than ``max_size + 1`` bytes are read)
        :param mimetypes: the accepted types, read from each file's content (see
            :func:`~odoo.addons.channel_base.controllers.uploads.upload_mimetype`; ``ANY_IMAGE`` for
            any image that decodes)
        :param bool required: at least one file is needed
        :param dict messages: the caller's own error messages, callables returning the translated
            sentence: ``missing()``, ``count(count)``, ``size(name, size)`` (size in MB), ``empty(name)``,
            ``type(name)``; a message not given is the default one (:meth:`_channel_upload_messages`)
        :return: ``([Upload(name, content, mimetype)], None)``, or ``(None, the error message)``
        """
        messages = dict(self._channel_upload_messages(), **(messages or {}))
        files = [upload for upload in files if upload and upload.filename]
        if required and not files:
            return None, messages["missing"]()
        if len(files) > max_count:
            return None, messages["count"](max_count)
        uploads = []
        for upload in files:
            content = upload.read(max_size + 1)
            if len(content) > max_size:
                return None, messages["size"](upload.filename, self._channel_format_number(max_size / 1048576, 1))
            if not content:
                return None, messages["empty"](upload.filename)
            mimetype = upload_mimetype(content, mimetypes)
            if not mimetype:
                return None, messages["type"](upload.filename)
            uploads.append(Upload(upload.filename[:MAX_UPLOAD_NAME], content, mimetype))
        return uploads, None

    def _channel_attach_uploads(self, record_sudo, uploads, access_token=False):
        """Save ``uploads`` [(name, content, mimetype)] (see :meth:`_channel_read_uploads`) as private
        attachments of ``record_sudo``, as superuser: the record they belong to is the caller's,
        never one the request names. ``access_token``: give each a token for the portal's links.

        :return: the attachments (sudo)
        """
        attachments_sudo = request.env["ir.attachment"].sudo().create([
            {
                "name": name,
                "raw": content,
                "mimetype": mimetype,
                "res_model": record_sudo._name,
                "res_id": record_sudo.id,
                "public": False,
            }
            for name, content, mimetype in uploads
        ])
        if access_token:
            attachments_sudo.generate_access_token()
        return attachments_sudo

    def _channel_downstream_domain(self, partner):
        """Partners downstream of ``partner``: for a dealer its whole network (sub-distributors and
        their retailers), for a sub-distributor its retailers. Companies only, never ``partner``."""
        if partner.channel_role == "dealer":
            domain = [("channel_dealer_id", "=", partner.id)]
        else:
            domain = [("channel_parent_id", "=", partner.id)]
        return domain + [("id", "!=", partner.id)] + request.env["res.partner"]._channel_entity_domain()

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_partner_count" in counters:
            partner = self._channel_partner()
            values["channel_partner_count"] = (
                request.env["res.partner"].search_count(self._channel_downstream_domain(partner))
                if partner
                else 0
            )
        return values

    def _channel_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "distributor": {
                "label": request.env._("Sub-distributors"),
                "domain": [("channel_role", "=", "distributor")],
            },
            "retailer": {"label": request.env._("Retailers"), "domain": [("channel_role", "=", "retailer")]},
        }

    def _channel_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in name and city")},
            "name": {"input": "name", "label": request.env._("Search in name")},
            "city": {"input": "city", "label": request.env._("Search in city")},
        }

    def _channel_search_domain(self, search_in, search):
        if not search:
            return []
        if search_in == "name":
            return [("name", "ilike", search)]
        if search_in == "city":
            return [("city", "ilike", search)]
        return ["|", ("name", "ilike", search), ("city", "ilike", search)]

    @http.route(["/my/channel", "/my/channel/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_channel(self, page=1, filterby="all", search=None, search_in="all", **kw):
        # The entry of the channel area: a user outside the channel is sent back to the portal home.
        partner = self._channel_partner()
        if not partner:
            return request.redirect("/my")
        values = self._prepare_channel_network_values(partner, page, filterby, search, search_in)
        return request.render("channel_base.portal_my_channel", values)

    def _prepare_channel_network_values(self, partner, page=1, filterby="all", search=None, search_in="all"):
        """The values of the network page: the member's own tier, territory and salesperson, and its
        downstream partners (read with the user's rights), filtered, searched and paged."""
        filters = self._channel_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        inputs = self._channel_searchbar_inputs()
        search_in = search_in if search_in in inputs else "all"
        domain = (
            self._channel_downstream_domain(partner)
            + filters[filterby]["domain"]
            + self._channel_search_domain(search_in, search)
        )
        downstream, pager = self._channel_page_of(
            request.env["res.partner"],
            domain,
            "/my/channel",
            page,
            url_args={"filterby": filterby, "search": search, "search_in": search_in},
            order="channel_role, name",
        )
        # Tier, territory and salesperson are read for the user's own partner only.
        partner_sudo = partner.sudo()
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel",
            "channel_partner": partner,
            "channel_tier": partner_sudo.channel_tier_id,
            "channel_territory": partner_sudo.channel_territory_id,
            "channel_salesperson": partner_sudo.user_id,
            "channel_parent": partner_sudo.channel_parent_id,
            "downstream": downstream,
            "pager": pager,
            "searchbar_filters": filters,
            "filterby": filterby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
            "default_url": "/my/channel",
            "channel_cards": partner._channel_cockpit_sorted_cards(),
            # The formatters of the portal pages, for the cards' figures.
            "format_amount": self._channel_format_amount,
            "format_number": self._channel_format_number,
        })
        return values
