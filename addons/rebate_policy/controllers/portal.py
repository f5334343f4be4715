from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from odoo.addons.channel_base.controllers.portal import ChannelPortal
from odoo.addons.channel_base.controllers.uploads import ANY_IMAGE
from odoo.addons.channel_orders.controllers.portal import ChannelOrderPortal

# Defaults of the settings rebate_policy.claim_max_photos / claim_max_photo_mb.
MAX_PHOTOS = 10
MAX_PHOTO_MB = 5


class RebateOrderPortal(ChannelOrderPortal):
    def _channel_remove_product_line(self, order, product_ref):
        """Rebate and promotion lines are never removed by the dealer: removing the product of such a
        line is refused; removing an ordered product recomputes its promotions."""
        try:
            product_id = int(product_ref)
        except ValueError:
            product_id = 0
        lines = order.order_line.filtered(lambda line: line.product_id.id == product_id)
        if lines and all(line.rebate_settlement_id or line.reward_id for line in lines):
            raise Forbidden(
                request.env._("Rebate and promotion lines are applied by the manufacturer and cannot be removed.")
            )
        result = super()._channel_remove_product_line(order, product_ref)
        # super() removed the ordered lines and any promotion line of the same product: promotions are
        # recomputed from what is left.
        order.sudo()._rebate_apply_promotions()
        return result


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
    def _rebate_member(self, action="read"):
        """The prelude of the rebate pages: ``(channel member, None)`` or ``(None, the "not allowed" page)``."""
        return self._channel_portal_member(action)

    def _rebate_partner(self):
        """The channel member of the logged-in user; AccessError for anyone else (the pages use
        :meth:`_rebate_member`)."""
        partner = self._channel_partner()
        if not partner:
            raise AccessError(request.env._("Your company is not a member of the channel network."))
        return partner

    def _rebate_claim_policies(self, partner):
        """The display reward policies ``partner`` may claim for (sudo)."""
        return request.env["rebate.policy"].sudo()._get_partner_policies(partner).filtered("display_reward")

    @staticmethod
    def _rebate_claim_limits():
        """(most photos per claim, largest photo in bytes), from the settings."""
        params_sudo = request.env["ir.config_parameter"].sudo()

        def read(key, default):
            try:
                return max(int(params_sudo.get_param(key, default)), 1)
            except (TypeError, ValueError):
                return default

        return (
            read("rebate_policy.claim_max_photos", MAX_PHOTOS),
            read("rebate_policy.claim_max_photo_mb", MAX_PHOTO_MB) * 1024 * 1024,
        )

    def _rebate_read_photos(self, photos):
        """[(name, content, mimetype)] of the uploaded photos (images that decode), or an error message."""
        max_photos, max_size = self._rebate_claim_limits()

        def not_an_image(name):
            return request.env._("The file %s is not an image.", name)

        return self._channel_read_uploads(
            photos,
            max_photos,
            max_size,
            {ANY_IMAGE},
            required=True,
            messages={
                "missing": lambda: request.env._("Add at least one photo of the display."),
                "count": lambda count: request.env._("Send at most %s photos.", count),
                "size": lambda name, size: request.env._(
                    "The photo %(name)s is larger than %(size)s MB.", name=name, size=size
                ),
                "empty": not_an_image,
                "type": not_an_image,
            },
        )

    def _rebate_progress_message(self, progress):
        """The sentence a dealer reads: how much is still missing to reach the next rate."""
        policy = progress["policy"]
        if policy.computation == "flat":
            return request.env._("Rebate rate: %s%%", self._channel_format_number(progress["rate"], 2))
        if not progress["next_threshold"]:
            return request.env._("Highest rate reached: %s%%", self._channel_format_number(progress["rate"], 2))
        rate = self._channel_format_number(progress["next_rate"], 2)
        if policy.base == "qty":
            return request.env._(
                "%(missing)s units more to reach %(rate)s%%",
                missing=self._channel_format_number(progress["missing"], 2),
                rate=rate,
            )
        return request.env._(
            "%(missing)s more to reach %(rate)s%%",
            missing=self._channel_format_amount(progress["missing"], policy.currency_id),
            rate=rate,
        )

    def _rebate_progress_values(self, partner):
        policies_sudo = request.env["rebate.policy"].sudo()._get_partner_policies(partner)
        today = fields.Date.context_today(request.env.user)
        progress_list = policies_sudo._get_partner_progress_list(partner, today)
        for progress in progress_list:
            progress["message"] = self._rebate_progress_message(progress)
        return progress_list

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route(["/my/channel/rebates"], type="http", auth="user", website=True)
    def portal_my_rebates(self, **kw):
        partner, refused = self._rebate_member("read")
        if refused:
            return refused
        values = self._prepare_rebates_values(partner, success=kw.get("success"))
        return request.render("rebate_policy.portal_my_rebates", values)

    def _prepare_rebates_values(self, partner, success=None):
        """The values of the rebate page: progress per policy, settlements and display claims (read
        with the user's rights)."""
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
            "claim_policies": self._rebate_claim_policies(partner),
            "format_amount": self._channel_format_amount,
            "format_number": self._channel_format_number,
            "success": success,
        })
        return values

    @http.route(["/my/channel/rebates/claim/new"], type="http", auth="user", website=True)
    def portal_rebate_claim_new(self, error=None, **kw):
        partner, refused = self._rebate_member("claim")
        if refused:
            return refused
        values = self._prepare_rebate_claim_new_values(partner, error)
        return request.render("rebate_policy.portal_rebate_claim_new", values)

    def _prepare_rebate_claim_new_values(self, partner, error=None):
        """The values of the new display claim form (``error``: why the last submission was refused)."""
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_rebate_claim",
            "channel_partner": partner,
            "claim": False,
            "policies": self._rebate_claim_policies(partner),
            "error": error,
            "today": fields.Date.context_today(request.env.user),
        })
        return values

    def _rebate_claim_policy(self, partner, policy_ref):
        """The display reward policy of ``partner`` a posted id designates (sudo), or an empty recordset."""
        policies_sudo = self._rebate_claim_policies(partner)
        try:
            return policies_sudo.filtered(lambda p: p.id == int(policy_ref or 0))
        except ValueError:
            return policies_sudo.browse()

    def _rebate_claim_date(self, date):
        """The display date typed by the dealer (today when empty); ValueError when it is not a date."""
        return fields.Date.to_date(date) if date else fields.Date.context_today(request.env.user)

    def _rebate_create_claim(self, partner, policy_sudo, claim_date, display_standard, note):
        """Create the display claim as superuser with what the portal decides (dealer, state, amount,
        reviewer and settlement are never taken from the request); ValidationError when refused."""
        with request.env.cr.savepoint():
            return request.env["rebate.display.claim"].sudo().create({
                "partner_id": partner.id,
                "policy_id": policy_sudo.id,
                "date": claim_date,
                "display_standard": (display_standard or "").strip()[:2000] or policy_sudo.display_standard,
                "note": (note or "").strip()[:2000],
            })

    def _rebate_attach_claim_photos(self, claim_sudo, photos):
        """Attach the photos [(name, content, mimetype)] to the claim, each with an access token for the
        dealer's own pages, and log the submission in its chatter."""
        attachments_sudo = self._channel_attach_uploads(claim_sudo, photos, access_token=True)
        claim_sudo.photo_ids = [fields.Command.set(attachments_sudo.ids)]
        claim_sudo.message_post(
            body=request.env._("Display claim submitted from the portal."),
            author_id=request.env.user.partner_id.id,
        )

    @http.route(["/my/channel/rebates/claim/submit"], type="http", auth="user", methods=["POST"], website=True)
    def portal_rebate_claim_submit(self, policy_id=None, date=None, display_standard=None, note=None, **kw):
        partner, refused = self._rebate_member("claim")
        if refused:
            return refused
        policy_sudo = self._rebate_claim_policy(partner, policy_id)
        if not policy_sudo:
            return self.portal_rebate_claim_new(error=request.env._("Choose one of your display reward policies."))
        photos = request.httprequest.files.getlist("photos")
        photos, error = self._rebate_read_photos([photo for photo in photos if photo and photo.filename])
        if error:
            return self.portal_rebate_claim_new(error=error)
        try:
            claim_date = self._rebate_claim_date(date)
        except ValueError:
            return self.portal_rebate_claim_new(error=request.env._("The display date is not a valid date."))
        try:
            claim_sudo = self._rebate_create_claim(partner, policy_sudo, claim_date, display_standard, note)
        except ValidationError as error:
            return self.portal_rebate_claim_new(error=error.args[0])
        self._rebate_attach_claim_photos(claim_sudo, photos)
        return request.redirect("/my/channel/rebates?success=1")

    @http.route(["/my/channel/rebates/claim/<int:claim_id>"], type="http", auth="user", website=True)
    def portal_rebate_claim(self, claim_id, **kw):
        _partner, refused = self._rebate_member("read")
        if refused:
            return refused
        try:
            # record rules: a dealer reads its own company's claims only
            claim_sudo = self._document_check_access("rebate.display.claim", claim_id)
        except (AccessError, MissingError):
            return request.redirect("/my/channel/rebates")
        return request.render("rebate_policy.portal_rebate_claim", self._prepare_rebate_claim_values(claim_sudo))

    def _prepare_rebate_claim_values(self, claim_sudo):
        """The values of one display claim's page (the claim read after the record rules allowed it)."""
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_rebate_claim",
            "claim": claim_sudo,
            "photos": claim_sudo.photo_ids,
        })
        return values
