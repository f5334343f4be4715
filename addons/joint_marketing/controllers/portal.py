import binascii

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.channel_base.controllers.portal import ChannelPortal


class JointMarketingPortal(ChannelPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_agreement_count" in counters:
            Agreement = request.env["channel.agreement"]
            values["channel_agreement_count"] = (
                Agreement.search_count([]) if self._channel_partner() and Agreement.has_access("read") else 0
            )
        if "channel_target_count" in counters:
            Target = request.env["channel.target"]
            values["channel_target_count"] = (
                Target.search_count([("period_type", "=", "year")])
                if self._channel_partner() and Target.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _agreement_member(self, action="read"):
        """The prelude of the agreement and target pages: ``(dealer or distributor, None)`` or
        ``(None, the "not allowed" page)``."""
        return self._channel_portal_member(action, roles=("dealer", "distributor"))

    def _agreement_partner(self):
        partner = self._channel_partner()
        if not partner or partner.channel_role not in ("dealer", "distributor"):
            raise AccessError(request.env._("Only dealers and distributors have agreements."))
        return partner

    def _agreement_check_access(self, agreement_id):
        """The agreement as the user sees it (record rules applied), or an AccessError/MissingError."""
        return self._document_check_access("channel.agreement", agreement_id).with_env(request.env)

    def _prepare_agreement_values(self, agreement, partner):
        agreement_sudo = agreement.sudo()
        party = agreement_sudo._get_partner_party(partner)
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_agreement",
            "agreement": agreement_sudo,
            "party": party,
            "party_labels": agreement_sudo._get_party_labels(),
            "can_sign": bool(party) and agreement_sudo._can_be_signed_by(party),
            "copy_attachments": agreement_sudo.copy_attachment_ids,
        })
        return values

    # ------------------------------------------------------------------
    # Agreements
    # ------------------------------------------------------------------
    @http.route(["/my/channel/agreements", "/my/channel/agreements/page/<int:page>"], type="http", auth="user",
                website=True)
    def portal_my_channel_agreements(self, page=1, **kw):
        partner, refused = self._agreement_member()
        if refused:
            return refused
        values = self._prepare_agreements_values(partner, page)
        return request.render("joint_marketing.portal_my_channel_agreements", values)

    def _prepare_agreements_values(self, partner, page=1):
        """The values of the agreement list (record rules: the user's company's agreements)."""
        Agreement = request.env["channel.agreement"]
        agreements, pager = self._channel_page_of(
            Agreement, [], "/my/channel/agreements", page, order="date_start desc, id desc"
        )
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_agreements",
            "channel_partner": partner,
            "agreements": agreements,
            "pager": pager,
            "default_url": "/my/channel/agreements",
        })
        return values

    @http.route(["/my/channel/agreements/<int:agreement_id>"], type="http", auth="user", website=True)
    def portal_my_channel_agreement(self, agreement_id, report_type=None, download=False, **kw):
        partner, refused = self._agreement_member()
        if refused:
            return refused
        try:
            agreement_sudo = self._document_check_access("channel.agreement", agreement_id)
        except (AccessError, MissingError):
            return request.redirect("/my/channel/agreements")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(model=agreement_sudo, report_type=report_type,
                                     report_ref="joint_marketing.action_report_channel_agreement", download=download)
        return request.render("joint_marketing.portal_my_channel_agreement",
                              self._prepare_agreement_values(agreement_sudo, partner))

    @http.route(["/my/channel/agreements/<int:agreement_id>/sign"], type="json", auth="user", website=True)
    def portal_channel_agreement_sign(self, agreement_id, name=None, signature=None, **kw):
        """Records the signature of the user's company as the party it is in the agreement (dealer or
        distributor; never another party, never the manufacturer). Only name and drawing come from
        the request."""
        partner = self._channel_partner()
        if not partner:
            return {"error": request.env._("Only dealers and distributors sign agreements.")}
        try:
            agreement_sudo = self._document_check_access("channel.agreement", agreement_id)
        except (AccessError, MissingError):
            return {"error": request.env._("This agreement does not exist or is not yours.")}
        party = agreement_sudo._get_partner_party(partner)
        if not party:
            return {"error": request.env._("Your company is not a party to this agreement.")}
        if not agreement_sudo._can_be_signed_by(party):
            return {"error": request.env._("This agreement is not awaiting your signature.")}
        if not (name or "").strip():
            return {"error": request.env._("Enter the name of the person signing.")}
        if not signature:
            return {"error": request.env._("The signature is missing.")}
        try:
            with request.env.cr.savepoint():
                agreement_sudo.with_context(mail_create_nosubscribe=True)._sign(party, name, signature)
        except ValidationError:
            # e.g. another dealer's exclusivity: its details are not the signer's business.
            return {
                "error": request.env._(
                    "This agreement cannot be signed at the moment; please contact the manufacturer."
                )
            }
        except UserError as error:
            return {"error": error.args[0]}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("The signature could not be read; draw it again.")}
        return {"force_refresh": True, "redirect_url": f"/my/channel/agreements/{agreement_sudo.id}?signed=1"}

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    @http.route(["/my/channel/targets"], type="http", auth="user", website=True)
    def portal_my_channel_targets(self, year=None, **kw):
        partner, refused = self._agreement_member()
        if refused:
            return refused
        return request.render("joint_marketing.portal_my_channel_targets", self._prepare_targets_values(partner, year))

    def _prepare_targets_values(self, partner, year=None):
        """The values of the target page for ``year`` (the current one when missing or not a number)."""
        today = fields.Date.context_today(request.env.user)
        try:
            year = int(year) if year else today.year
        except ValueError:
            year = today.year
        Target = request.env["channel.target"]
        yearly = Target.search([("year", "=", year), ("period_type", "=", "year")],
                               order="level_sequence, partner_id, categ_id, id")
        monthly = Target.search([("year", "=", year), ("period_type", "=", "month"), ("parent_id", "in", yearly.ids)],
                                order="month")
        months_by_parent = {}
        for node in monthly:
            months_by_parent.setdefault(node.parent_id.id, []).append(node)
        years = sorted({year, today.year} | {y for (y,) in Target._read_group([], ["year"])}, reverse=True)
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_targets",
            "channel_partner": partner,
            "year": year,
            "years": years,
            "targets": yearly,
            "months_by_parent": months_by_parent,
        })
        return values
