import base64

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools.misc import get_lang

from odoo.addons.channel_base.controllers.portal import ChannelPortal

MAX_PHOTOS = 10
MAX_PHOTO_SIZE = 10 * 1024 * 1024


class RebatePortal(ChannelPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "rebate_settlement_count" in counters:
            partner = self._channel_partner()
            values["rebate_settlement_count"] = (
                request.env["rebate.settlement"].search_count([("state", "in", ("confirmed", "settled"))])
                if partner and request.env["rebate.settlement"].has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _rebate_partner(self):
        partner = self._channel_partner()
        if not partner:
            raise AccessError(_("Your company is not a member of the channel network."))
        return partner

    @staticmethod
    def _rebate_format_number(value, digits=2):
        """A number with thousands separators and no useless trailing zeros (23,400 / 3.5)."""
        lang = request.env["res.lang"]._lang_get(get_lang(request.env).code)
        value = round(float(value or 0.0), digits)
        if value.is_integer():
            return lang.format("%.0f", value, grouping=True)
        formatted = lang.format(f"%.{digits}f", value, grouping=True)
        return formatted.rstrip("0") if lang.decimal_point in formatted else formatted

    def _rebate_format_amount(self, amount, currency):
        number = self._rebate_format_number(currency.round(amount), currency.decimal_places)
        if currency.position == "before":
            return f"{currency.symbol or ''}{number}"
        return f"{number}\N{NO-BREAK SPACE}{currency.symbol or ''}"

    def _rebate_progress_message(self, progress):
        """The sentence a dealer reads: how much is still missing to reach the next rate."""
        policy = progress["policy"]
        if policy.computation == "flat":
            return _("Rebate rate: %s%%", self._rebate_format_number(progress["rate"], 2))
        if not progress["next_threshold"]:
            return _("Highest rate reached: %s%%", self._rebate_format_number(progress["rate"], 2))
        rate = self._rebate_format_number(progress["next_rate"], 2)
        if policy.base == "qty":
            return _(
                "%(missing)s units more to reach %(rate)s%%",
                missing=self._rebate_format_number(progress["missing"], 2),
                rate=rate,
            )
        return _(
            "%(missing)s more to reach %(rate)s%%",
            missing=self._rebate_format_amount(progress["missing"], policy.currency_id),
            rate=rate,
        )

    def _rebate_progress_values(self, partner):
        policies = request.env["rebate.policy"].sudo()._get_partner_policies(partner)
        today = fields.Date.context_today(request.env.user)
        progress_list = []
        for policy in policies:
            progress = policy._get_partner_progress(partner, today)
            if progress:
                progress["message"] = self._rebate_progress_message(progress)
                progress_list.append(progress)
        return progress_list

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route(["/my/channel/rebates"], type="http", auth="user", website=True)
    def portal_my_rebates(self, **kw):
        partner = self._rebate_partner()
        settlements = request.env["rebate.settlement"].search(
            [("partner_id", "=", partner.id), ("state", "in", ("confirmed", "settled"))],
            order="period_start desc, id desc",
            limit=50,
        )
        claims = request.env["rebate.display.claim"].search(
            [("partner_id", "=", partner.id)], order="date desc, id desc", limit=50
        )
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_rebates",
            "channel_partner": partner,
            "progress_list": self._rebate_progress_values(partner),
            "settlements": settlements,
            "claims": claims,
            "claim_policies": request.env["rebate.policy"].sudo()._get_partner_policies(partner).filtered(
                "display_reward"
            ),
            "format_amount": self._rebate_format_amount,
            "format_number": self._rebate_format_number,
            "success": kw.get("success"),
        })
        return request.render("rebate_policy.portal_my_rebates", values)

    @http.route(["/my/channel/rebates/claim/new"], type="http", auth="user", website=True)
    def portal_rebate_claim_new(self, error=None, **kw):
        partner = self._rebate_partner()
        if refused := self._channel_portal_refused("claim"):
            return refused
        policies = request.env["rebate.policy"].sudo()._get_partner_policies(partner).filtered("display_reward")
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_rebate_claim",
            "channel_partner": partner,
            "claim": False,
            "policies": policies,
            "error": error,
            "today": fields.Date.context_today(request.env.user),
        })
        return request.render("rebate_policy.portal_rebate_claim_new", values)

    @http.route(["/my/channel/rebates/claim/submit"], type="http", auth="user", methods=["POST"], website=True)
    def portal_rebate_claim_submit(self, policy_id=None, date=None, display_standard=None, note=None, **kw):
        partner = self._rebate_partner()
        if refused := self._channel_portal_refused("claim"):
            return refused
        policies = request.env["rebate.policy"].sudo()._get_partner_policies(partner).filtered("display_reward")
        try:
            policy = policies.filtered(lambda p: p.id == int(policy_id or 0))
        except ValueError:
            policy = policies.browse()
        if not policy:
            return self.portal_rebate_claim_new(error=_("Choose one of your display reward policies."))
        photos = request.httprequest.files.getlist("photos")
        photos = [photo for photo in photos if photo and photo.filename]
        if not photos:
            return self.portal_rebate_claim_new(error=_("Add at least one photo of the display."))
        if len(photos) > MAX_PHOTOS:
            return self.portal_rebate_claim_new(error=_("Send at most %s photos.", MAX_PHOTOS))
        try:
            claim_date = fields.Date.to_date(date) if date else fields.Date.context_today(request.env.user)
        except ValueError:
            return self.portal_rebate_claim_new(error=_("The display date is not a valid date."))
        attachments_vals = []
        for photo in photos:
            content = photo.read()
            if len(content) > MAX_PHOTO_SIZE:
                return self.portal_rebate_claim_new(error=_("The photo %s is too large.", photo.filename))
            if not (photo.mimetype or "").startswith("image/"):
                return self.portal_rebate_claim_new(error=_("The file %s is not an image.", photo.filename))
            attachments_vals.append({
                "name": photo.filename,
                "datas": base64.b64encode(content),
                "res_model": "rebate.display.claim",
                "mimetype": photo.mimetype,
            })
        try:
            claim = request.env["rebate.display.claim"].create({
                "partner_id": partner.id,
                "policy_id": policy.id,
                "date": claim_date,
                "display_standard": (display_standard or "").strip() or policy.display_standard,
                "note": (note or "").strip(),
            })
        except ValidationError as error:
            request.env.cr.rollback()
            return self.portal_rebate_claim_new(error=error.args[0])
        # The claim belongs to the user's own company: its photos are attached to it.
        for vals in attachments_vals:
            vals["res_id"] = claim.id
        attachments = request.env["ir.attachment"].sudo().create(attachments_vals)
        claim.sudo().photo_ids = [fields.Command.set(attachments.ids)]
        claim.sudo().message_post(
            body=_("Display claim submitted from the portal."),
            author_id=request.env.user.partner_id.id,
        )
        return request.redirect("/my/channel/rebates?success=1")

    @http.route(["/my/channel/rebates/claim/<int:claim_id>"], type="http", auth="user", website=True)
    def portal_rebate_claim(self, claim_id, **kw):
        self._rebate_partner()
        try:
            claim = request.env["rebate.display.claim"].browse(claim_id)
            claim.check_access("read")
            claim.name  # noqa: B018 - raises MissingError on a deleted claim
        except (AccessError, MissingError):
            return request.redirect("/my/channel/rebates")
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_rebate_claim",
            "claim": claim,
            "photos": claim.sudo().photo_ids,
        })
        return request.render("rebate_policy.portal_rebate_claim", values)
