"""A dealer's portal session is an API: tampering attempts over HTTP and JSON-RPC, each refused with
nothing saved.

Every attempt logs in as a portal user of a dealer (or of a sub-distributor, a suspended dealer, a
warehouse clerk), sends what a forging client would send (``/web/dataset/call_kw`` or a portal route)
and checks both the refusal and that the database holds exactly what it held before.
"""

import json
import re

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


class PortalSecurityCase(HttpCase):
    """Two dealers of one territory, each with a portal user, independent of demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.tier = cls.env["channel.tier"].create({"name": "Security Gold", "code": "SEC-GOLD"})
        cls.territory = cls.env["channel.territory"].create({"name": "Security Land", "code": "SEC-T"})
        common = {
            "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": cls.tier.id, "channel_territory_id": cls.territory.id,
        }
        cls.dealer_a = Partner.create(dict(common, name="Security Dealer A"))
        cls.dealer_b = Partner.create(dict(common, name="Security Dealer B"))
        cls.user_a = cls._channel_portal_user("sec_dealer_a", cls.dealer_a)
        cls.user_b = cls._channel_portal_user("sec_dealer_b", cls.dealer_b)

    @classmethod
    def _channel_portal_user(cls, login, company, **contact_vals):
        """A portal user (login = password) whose contact belongs to ``company``."""
        contact = cls.env["res.partner"].create(
            dict({"name": login, "parent_id": company.id, "email": f"{login}@example.com"}, **contact_vals)
        )
        return new_test_user(cls.env, login=login, password=login, groups="base.group_portal",
                             partner_id=contact.id)

    def _call_kw(self, model, method, args, kwargs=None):
        """Call a model method over JSON-RPC as the authenticated user; returns the JSON-RPC answer
        (``{"result": …}`` or ``{"error": …}``) without raising."""
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with mute_logger("odoo.http"):
            response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", json=payload)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRpcRefused(self, answer, msg=None):
        self.assertIn("error", answer, msg or f"JSON-RPC call accepted: {answer.get('result')!r}")

    def _count(self, model, domain=None):
        """Rows of ``model`` in the database (flushed, as superuser)."""
        self.env.flush_all()
        return self.env[model].sudo().with_context(active_test=False).search_count(domain or [])


@tagged("post_install", "-at_install")
class TestPortalSecurityBase(PortalSecurityCase):
    def test_portal_cannot_write_own_channel_fields(self):
        """A dealer cannot promote itself: its company's channel fields are not writable over RPC."""
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        gold_b = self.env["channel.tier"].create({"name": "Security Platinum", "code": "SEC-PLAT"})
        answer = self._call_kw("res.partner", "write", [[self.dealer_a.id], {"channel_tier_id": gold_b.id}])
        self.assertRpcRefused(answer)
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.channel_tier_id, self.tier)


@tagged("post_install", "-at_install")
class TestPortalSecurityTraining(PortalSecurityCase):
    """Dealer university: state changes by POST with a CSRF token only, superuser recomputations and the
    trainer's notes out of a portal session's reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_user = cls._channel_portal_user("sec_train_owner", cls.dealer_a, channel_job_role="owner")
        cls.owner = cls.owner_user.partner_id
        cls.survey = cls.env["survey.survey"].create({
            "title": "Security certification", "access_mode": "public", "users_login_required": True,
            "scoring_type": "scoring_with_answers", "certification": True, "scoring_success_min": 50.0,
        })
        cls.env["survey.question"].create({
            "title": "Security question", "question_type": "simple_choice", "survey_id": cls.survey.id,
            "suggested_answer_ids": [
                Command.create({"value": "Right", "is_correct": True, "answer_score": 1.0}),
                Command.create({"value": "Wrong", "answer_score": 0.0}),
            ],
        })
        cls.requirement = cls.env["dealer.training.requirement"].create({
            "name": "Security owners", "job_role": "owner", "tier_ids": [Command.link(cls.tier.id)],
            "survey_ids": [Command.link(cls.survey.id)],
        })
        cls.materials = cls.env["slide.channel"].create({
            "name": "Security materials", "channel_type": "documentation", "dealer_material": True,
            "visibility": "connected", "is_published": True,
        })
        cls.article = cls.env["slide.slide"].create({
            "name": "Security article", "channel_id": cls.materials.id, "slide_category": "article",
            "html_content": "<p>Shelf rules</p>", "is_published": True,
        })
        cls.log = cls.env["dealer.training.log"].create({
            "topic": "Security field training", "dealer_id": cls.dealer_a.id,
            "attendee_ids": [Command.link(cls.owner.id)], "notes": "<p>Owner resists the new price list</p>",
        })

    def _call_kw(self, model, method, args, kwargs=None):
        """JSON-RPC ``call_kw`` as the authenticated user (the JSON body sent by hand: this Odoo's
        ``url_open`` takes no ``json=``); returns the answer without raising."""
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _answers(self):
        domain = [("survey_id", "=", self.survey.id), ("partner_id", "=", self.owner.id)]
        return self._count("survey.user_input", domain)

    def _members(self):
        domain = [("channel_id", "=", self.materials.id), ("partner_id", "=", self.owner.id)]
        return self._count("slide.channel.partner", domain)

    def test_training_state_changes_refuse_get(self):
        """GET on the certification start and on a material download changes nothing."""
        self.authenticate("sec_train_owner", "sec_train_owner")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/channel/training/certification/{self.survey.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(self._answers(), 0, "no attempt started by a GET")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/channel/materials/{self.article.id}/download", allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self.article.invalidate_recordset()
        self.assertEqual(self.article.download_count, 0, "no download counted by a GET")
        self.assertEqual(self._members(), 0, "no enrolment by a GET")
        # the training page offers them as forms with a CSRF token
        page = self.url_open("/my/channel/training")
        self.assertEqual(page.status_code, 200)
        form = re.search(
            rf'<form method="post"[^>]*action="/my/channel/training/certification/{self.survey.id}">\s*'
            r'<input type="hidden" name="csrf_token"',
            page.text,
        )
        self.assertTrue(form, "the certification starts from a POST form with a CSRF token")

    def test_training_posts_without_csrf_refused(self):
        """A forged POST (no CSRF token) starts nothing, counts nothing and enrols no one."""
        self.authenticate("sec_train_owner", "sec_train_owner")
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/channel/training/certification/{self.survey.id}", data={"forged": "1"}, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._answers(), 0)
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/channel/materials/{self.article.id}/download", data={"forged": "1"}, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.article.invalidate_recordset()
        self.assertEqual(self.article.download_count, 0)
        self.assertEqual(self._members(), 0)
        # with the token, the same POST is served (the control)
        response = self.url_open(
            f"/my/channel/training/certification/{self.survey.id}",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn("/survey/start/", response.headers.get("Location", ""))
        self.assertEqual(self._answers(), 1)

    def test_training_superuser_recomputations_refused(self):
        """action_apply and action_refresh recompute as superuser: a portal session gets AccessError."""
        Status = self.env["dealer.training.status"]
        own = Status.search([("partner_id", "=", self.owner.id), ("requirement_id", "=", self.requirement.id)])
        self.assertEqual(len(own), 1)
        own.unlink()
        self.authenticate("sec_train_owner", "sec_train_owner")
        answer = self._call_kw("dealer.training.requirement", "action_apply", [[self.requirement.id]])
        self.assertRpcRefused(answer)
        self.assertIn("AccessError", answer["error"]["data"]["name"])
        self.assertEqual(self._count("dealer.training.status", [("requirement_id", "=", self.requirement.id),
                                                                ("partner_id", "=", self.owner.id)]), 0)
        status = Status.search([("requirement_id", "=", self.requirement.id)], limit=1)
        if status:
            status.write({"done_date": False})
            before = (status.state, status.write_date)
            answer = self._call_kw("dealer.training.status", "action_refresh", [[status.id]])
            self.assertRpcRefused(answer)
            answer = self._call_kw("dealer.training.status", "action_mark_done", [[status.id]])
            self.assertRpcRefused(answer)
            status.invalidate_recordset()
            self.assertEqual((status.state, status.write_date), before)
            self.assertFalse(status.done_date)

    def test_training_log_notes_not_readable(self):
        """The trainer's notes stay internal: read, search_read and web_read of them are refused."""
        self.authenticate("sec_train_owner", "sec_train_owner")
        answer = self._call_kw("dealer.training.log", "read", [[self.log.id], ["topic"]])
        self.assertEqual(answer.get("result", [{}])[0].get("topic"), "Security field training",
                         "the owner sees its company's training")
        for method, args, kwargs in (
            ("read", [[self.log.id], ["notes"]], {}),
            ("search_read", [[("id", "=", self.log.id)]], {"fields": ["notes"]}),
            ("web_read", [[self.log.id]], {"specification": {"notes": {}}}),
        ):
            answer = self._call_kw("dealer.training.log", method, args, kwargs)
            self.assertRpcRefused(answer, f"{method} returned the notes")
            self.assertNotIn("resists", str(answer))
        answer = self._call_kw("dealer.training.log", "read", [[self.log.id]])
        self.assertNotIn("resists", str(answer), "all readable fields, notes left out")
        answer = self._call_kw("dealer.training.log", "write", [[self.log.id], {"notes": "<p>forged</p>"}])
        self.assertRpcRefused(answer)
        self.log.invalidate_recordset()
        self.assertIn("resists", str(self.log.notes))
