from collections import OrderedDict

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.channel_base.controllers.portal import ChannelPortal

from ..models.res_partner import JOB_ROLES


class DealerTrainingPortal(ChannelPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _training_member(self, action="read"):
        """The prelude of the training pages: ``(channel member company, None)`` or ``(None, the "not
        allowed" page)``."""
        return self._channel_portal_member(action)

    def _training_owner_member(self):
        """The prelude of the staff pages: ``(company whose staff the user manages, None)``, or ``(None,
        the "not allowed" page)`` when the user is not its owner."""
        company, refused = self._training_member()
        if refused:
            return None, refused
        if not request.env.user.partner_id._is_channel_owner():
            return None, self._channel_portal_refused_page(
                request.env._("Only the owner of %s can manage its staff.", company.name)
            )
        return company, None

    def _training_company(self):
        """The channel member company of the logged-in user, or raise 403."""
        company = self._channel_partner()
        if not company:
            raise Forbidden(request.env._("Your company is not a member of the channel network."))
        return company

    def _training_owner_company(self):
        """The company whose staff the logged-in user manages, or raise 403 when not its owner."""
        company, refused = self._training_owner_member()
        if refused:
            raise Forbidden()
        return company

    def _training_staff_of(self, company, staff_id):
        """A staff member of ``company`` (sudo) from an id in the request, never another company's contact."""
        staff_sudo = request.env["res.partner"].sudo().search(
            [("id", "=", int(staff_id)), ("commercial_partner_id", "=", company.id), ("is_company", "=", False)],
            limit=1,
        )
        if not staff_sudo:
            raise NotFound()
        return staff_sudo

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        if "training_status_count" in counters:
            # record rules: the owner counts its company's items, anyone else their own
            values["training_status_count"] = (
                request.env["dealer.training.status"].search_count([]) if self._channel_partner() else 0
            )
        if "training_material_count" in counters:
            values["training_material_count"] = (
                request.env["slide.channel"].search_count(self._materials_domain()) if self._channel_partner() else 0
            )
        if "training_staff_count" in counters:
            company = self._channel_partner()
            values["training_staff_count"] = (
                request.env["res.partner"].sudo().search_count(
                    [("commercial_partner_id", "=", company.id), ("is_company", "=", False),
                     ("channel_job_role", "!=", False)]
                )
                if company and partner._is_channel_owner()
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Staff
    # ------------------------------------------------------------------
    def _prepare_staff_values(self, company, **kw):
        staff_sudo = request.env["res.partner"].sudo().search(
            [("commercial_partner_id", "=", company.id), ("is_company", "=", False), ("type", "=", "contact")],
            order="name",
        )
        progress = {}
        for person, state, count in request.env["dealer.training.status"].sudo()._read_group(
            [("partner_id", "in", staff_sudo.ids)], ["partner_id", "state"], ["__count"]
        ):
            done, total = progress.get(person.id, (0, 0))
            progress[person.id] = (done + (count if state == "done" else 0), total + count)
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_staff",
            "training_progress": progress,
            "channel_partner": company,
            "staff": staff_sudo,
            "job_roles": JOB_ROLES,
            "me": request.env.user.partner_id,
            "error": kw.get("error"),
            "success": kw.get("success"),
            "form": kw.get("form") or {},
        })
        return values

    def _invite_staff(self, company, name, email, job_role):
        """Create (or reuse) the contact and grant it portal access; all or nothing."""
        name = (name or "").strip()
        normalized = email_normalize(email or "")
        if not name:
            raise ValidationError(request.env._("Enter the name of the person to invite."))
        if not normalized:
            raise ValidationError(request.env._("%s is not a valid email address.", email or ""))
        if job_role not in dict(JOB_ROLES):
            raise ValidationError(request.env._("Choose a job role."))
        Partner_sudo = request.env["res.partner"].sudo()
        with request.env.cr.savepoint():
            staff_sudo = Partner_sudo.search(
                [("commercial_partner_id", "=", company.id), ("is_company", "=", False),
                 ("email_normalized", "=", normalized)],
                limit=1,
            )
            if staff_sudo:
                staff_sudo.write({"channel_job_role": job_role})
            else:
                staff_sudo = Partner_sudo.create({
                    "name": name,
                    "email": normalized,
                    "parent_id": company.id,
                    "type": "contact",
                    "channel_job_role": job_role,
                })
            self._grant_portal_access(staff_sudo)
        return staff_sudo

    def _grant_portal_access(self, staff_sudo):
        if staff_sudo.user_ids.filtered(lambda u: not u.share):
            raise ValidationError(request.env._("%s is an internal user.", staff_sudo.name))
        if staff_sudo.user_ids.filtered(lambda u: u.active and u._is_portal()):
            return
        wizard_sudo = request.env["portal.wizard"].sudo().create({"partner_ids": [(6, 0, staff_sudo.ids)]})
        wizard_sudo.user_ids.action_grant_access()

    @http.route("/my/channel/staff", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_channel_staff(self, **kw):
        company, refused = self._training_owner_member()
        if refused:
            return refused
        if request.httprequest.method == "POST":
            form = {key: kw.get(key) for key in ("name", "email", "job_role")}
            try:
                staff_sudo = self._invite_staff(company, form["name"], form["email"], form["job_role"])
            except (UserError, ValidationError, AccessError) as error:
                return request.render(
                    "dealer_training.portal_my_channel_staff",
                    self._prepare_staff_values(company, error=str(error), form=form),
                )
            success = request.env._("%s is invited to the portal.", staff_sudo.name)
            return request.render(
                "dealer_training.portal_my_channel_staff", self._prepare_staff_values(company, success=success)
            )
        return request.render("dealer_training.portal_my_channel_staff", self._prepare_staff_values(company))

    @http.route("/my/channel/staff/<int:staff_id>/role", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_channel_staff_role(self, staff_id, job_role=None, **kw):
        company, refused = self._training_owner_member()
        if refused:
            return refused
        staff_sudo = self._training_staff_of(company, staff_id)
        if staff_sudo == request.env.user.partner_id:
            return request.render(
                "dealer_training.portal_my_channel_staff",
                self._prepare_staff_values(company, error=request.env._("You cannot change your own role.")),
            )
        if job_role not in dict(JOB_ROLES) and job_role:
            raise NotFound()
        staff_sudo.write({"channel_job_role": job_role or False})
        return request.redirect("/my/channel/staff")

    @http.route("/my/channel/staff/<int:staff_id>/revoke", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_channel_staff_revoke(self, staff_id, **kw):
        company, refused = self._training_owner_member()
        if refused:
            return refused
        staff_sudo = self._training_staff_of(company, staff_id)
        if staff_sudo == request.env.user.partner_id:
            return request.render(
                "dealer_training.portal_my_channel_staff",
                self._prepare_staff_values(company, error=request.env._("You cannot revoke your own access.")),
            )
        if staff_sudo.user_ids.filtered(lambda u: u._is_portal()):
            wizard_sudo = request.env["portal.wizard"].sudo().create({"partner_ids": [(6, 0, staff_sudo.ids)]})
            wizard_sudo.user_ids.action_revoke_access()
        return request.redirect("/my/channel/staff")

    @http.route("/my/channel/staff/<int:staff_id>/invite", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_channel_staff_invite(self, staff_id, **kw):
        company, refused = self._training_owner_member()
        if refused:
            return refused
        staff_sudo = self._training_staff_of(company, staff_id)
        try:
            with request.env.cr.savepoint():
                if not staff_sudo.email:
                    raise ValidationError(request.env._("%s has no email address.", staff_sudo.name))
                self._grant_portal_access(staff_sudo)
        except (UserError, ValidationError) as error:
            return request.render(
                "dealer_training.portal_my_channel_staff", self._prepare_staff_values(company, error=str(error))
            )
        return request.redirect("/my/channel/staff")

    # ------------------------------------------------------------------
    # Training
    # ------------------------------------------------------------------
    def _training_matrix(self, statuses):
        """Rows (staff) × columns (requirement item) with the status in each cell."""
        columns = OrderedDict()
        rows = OrderedDict()
        cells = {}
        for status in statuses.sorted(lambda s: (
            s.requirement_id.sequence,
            s.requirement_id.id,
            s.item_type != "course",
            (s.slide_channel_id or s.survey_id).id,
        )):
            column = (status.requirement_id.id, status.item_key)
            columns.setdefault(column, status)
        for status in statuses.sorted(lambda s: (s.partner_id.name or "", s.partner_id.id)):
            rows.setdefault(status.partner_id.id, status.partner_id)
            cells[(status.partner_id.id, (status.requirement_id.id, status.item_key))] = status
        return {"columns": columns, "rows": rows, "cells": cells}

    @http.route("/my/channel/training", type="http", auth="user", website=True)
    def portal_my_channel_training(self, **kw):
        company, refused = self._training_member()
        if refused:
            return refused
        return request.render("dealer_training.portal_my_channel_training", self._prepare_training_values(company))

    def _prepare_training_values(self, company):
        """The values of the training page: the user's own statuses and certificates, and for the
        company's owner the staff matrix, the log and the compliance figures (records found with the
        user's rights, then read as superuser to show the names of courses and surveys)."""
        partner = request.env.user.partner_id
        Status = request.env["dealer.training.status"]
        own_sudo = Status.search([("partner_id", "=", partner.id)]).sudo()
        values = self._prepare_portal_layout_values()
        is_owner = partner._is_channel_owner()
        values.update({
            "page_name": "channel_training",
            "channel_partner": company,
            "is_owner": is_owner,
            "own_statuses": own_sudo,
            "certificates": own_sudo.filtered(lambda s: s.survey_id and s.done_date),
        })
        if is_owner:
            statuses_sudo = Status.search([("dealer_id", "=", company.id)]).sudo()
            logs_sudo = request.env["dealer.training.log"].search([("dealer_id", "=", company.id)], limit=20).sudo()
            values.update({
                "matrix": self._training_matrix(statuses_sudo),
                "logs": logs_sudo,
                "compliance": company.sudo(),
            })
        return values

    @http.route(
        "/my/channel/training/certification/<int:survey_id>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_channel_certification(self, survey_id, **kw):
        """Start (or resume) a required certification, whatever the survey's access mode (POST with a
        CSRF token: starting creates the attempt)."""
        _company, refused = self._training_member()
        if refused:
            return refused
        partner = request.env.user.partner_id
        status = request.env["dealer.training.status"].search(
            [("partner_id", "=", partner.id), ("survey_id", "=", int(survey_id))], limit=1
        )
        if not status:
            raise NotFound()
        survey_sudo = status.sudo().survey_id
        answer_sudo = request.env["survey.user_input"].sudo().search(
            [("survey_id", "=", survey_sudo.id), ("partner_id", "=", partner.id), ("state", "!=", "done"),
             ("test_entry", "=", False)],
            order="id desc",
            limit=1,
        )
        if not answer_sudo:
            try:
                answer_sudo = survey_sudo._create_answer(user=request.env.user, check_attempts=True)
            except UserError:
                return request.redirect(survey_sudo.get_start_url())
        return request.redirect(answer_sudo.get_start_url())

    # ------------------------------------------------------------------
    # Materials zone
    # ------------------------------------------------------------------
    def _materials_domain(self):
        """Published dealer materials: flagged as such, or documentation restricted to dealer tiers."""
        return [
            ("is_published", "=", True),
            "|",
            ("dealer_material", "=", True),
            "&", ("channel_type", "=", "documentation"), ("dealer_tier_ids", "!=", False),
        ]

    @http.route("/my/channel/materials", type="http", auth="user", website=True)
    def portal_my_channel_materials(self, **kw):
        company, refused = self._training_member()
        if refused:
            return refused
        return request.render("dealer_training.portal_my_channel_materials", self._prepare_materials_values(company))

    def _prepare_materials_values(self, company):
        """The values of the materials zone: the courses the record rules let the user's tier see, and
        their published documents."""
        channels = request.env["slide.channel"].search(self._materials_domain())
        documents_sudo = request.env["slide.slide"].sudo().search(
            [("channel_id", "in", channels.ids), ("is_published", "=", True), ("is_category", "=", False)],
            order="channel_id, sequence, id",
        )
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "channel_materials",
            "channel_partner": company,
            "material_channels": channels.sudo(),
            "documents_by_channel": {
                c.id: documents_sudo.filtered(lambda d, c=c: d.channel_id == c) for c in channels
            },
        })
        return values

    @http.route(
        "/my/channel/materials/<int:slide_id>/download", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_channel_material_download(self, slide_id, **kw):
        """Download a material (POST with a CSRF token: it counts the download and may enrol the user in
        the course)."""
        _company, refused = self._training_member()
        if refused:
            return refused
        slide_sudo = request.env["slide.slide"].sudo().browse(slide_id).exists()
        if not slide_sudo or not slide_sudo.is_published or slide_sudo.is_category:
            raise NotFound()
        # the user must see the course (tier restriction included) in the materials zone
        if not request.env["slide.channel"].search_count(
            self._materials_domain() + [("id", "=", slide_sudo.channel_id.id)]
        ):
            raise NotFound()
        slide_sudo._register_download()
        if slide_sudo.binary_content:
            stream = request.env["ir.binary"]._get_stream_from(slide_sudo, "binary_content")
            return stream.get_response(as_attachment=True)
        if slide_sudo.url:
            return request.redirect(slide_sudo.url, local=False)
        # an article or a video is read on the course page: the dealer joins the course to see it
        partner = request.env.user.partner_id
        if partner not in slide_sudo.channel_id.partner_ids:
            slide_sudo.channel_id._action_add_members(partner)
        return request.redirect(slide_sudo.website_url)
