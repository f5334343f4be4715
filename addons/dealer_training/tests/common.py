from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.channel_base.tests.common import ChannelBaseCommon


class DealerTrainingCommon(ChannelBaseCommon):
    """Two dealers (Gold and Silver) with staff, five courses, a certification, a session and two curricula."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True,
                                       no_reset_password=True))
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        # tests never depend on curricula already in the database (demo data)
        cls.env["dealer.training.requirement"].search([]).action_archive()
        Partner = cls.env["res.partner"]
        cls.tier_gold = cls.env["channel.tier"].create({"name": "Gold", "code": "DT-GOLD"})
        cls.tier_silver = cls.env["channel.tier"].create({"name": "Silver", "code": "DT-SILVER"})
        cls.territory = cls.env["channel.territory"].create({"name": "Zhejiang", "code": "DT-ZJ"})
        cls.dealer_a = Partner.create({
            "name": "Dealer A", "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": cls.tier_gold.id, "channel_territory_id": cls.territory.id,
        })
        cls.dealer_b = Partner.create({
            "name": "Dealer B", "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": cls.tier_silver.id, "channel_territory_id": cls.territory.id,
        })
        Course = cls.env["slide.channel"]
        cls.course_profit, cls.course_channel, cls.course_people, cls.course_stock, cls.course_finance = (
            Course.create([
                {"name": name, "channel_type": "training", "visibility": "members", "enroll": "invite",
                 "is_published": True}
                for name in ("Profitability", "Channel management", "People", "Inventory", "Finance")
            ])
        )
        cls.env["slide.slide"].create([
            {"name": f"{course.name} lesson", "channel_id": course.id, "slide_category": "article",
             "html_content": "<p>Lesson</p>", "is_published": True}
            for course in (cls.course_profit, cls.course_finance)
        ])
        cls.survey = cls.env["survey.survey"].create({
            "title": "Dealer certification",
            "access_mode": "public",
            "users_login_required": True,
            "scoring_type": "scoring_with_answers",
            "certification": True,
            "scoring_success_min": 50.0,
        })
        cls.question = cls.env["survey.question"].create({
            "title": "What drives a dealer's profit?",
            "question_type": "simple_choice",
            "survey_id": cls.survey.id,
            "suggested_answer_ids": [
                Command.create({"value": "Turnover and margin", "is_correct": True, "answer_score": 1.0}),
                Command.create({"value": "Luck", "answer_score": 0.0}),
            ],
        })
        cls.event = cls.env["event.event"].create({
            "name": "Dealer meeting",
            "date_begin": fields.Datetime.now() - timedelta(days=1),
            "date_end": fields.Datetime.now() - timedelta(hours=20),
            "training_channel_ids": [Command.link(cls.course_people.id)],
        })
        Requirement = cls.env["dealer.training.requirement"]
        cls.req_all = Requirement.create({
            "name": "Everyone: profitability",
            "slide_channel_ids": [Command.link(cls.course_profit.id)],
            "due_days": 30,
        })
        cls.req_gold_owner = Requirement.create({
            "name": "Gold owners",
            "tier_ids": [Command.link(cls.tier_gold.id)],
            "job_role": "owner",
            "slide_channel_ids": [Command.link(cls.course_finance.id)],
            "survey_ids": [Command.link(cls.survey.id)],
            "due_days": 60,
            "validity_months": 12,
        })
        cls.owner_a = Partner.create({"name": "Owner A", "parent_id": cls.dealer_a.id, "channel_job_role": "owner",
                                      "email": "owner.a@example.com"})
        cls.sales_a = Partner.create({"name": "Sales A", "parent_id": cls.dealer_a.id, "channel_job_role": "sales",
                                      "email": "sales.a@example.com"})
        cls.owner_b = Partner.create({"name": "Owner B", "parent_id": cls.dealer_b.id, "channel_job_role": "owner",
                                      "email": "owner.b@example.com"})
        cls.sales_b = Partner.create({"name": "Sales B", "parent_id": cls.dealer_b.id, "channel_job_role": "sales",
                                      "email": "sales.b@example.com"})
        cls.user_owner_a = cls._new_portal_user("dt_owner_a", cls.owner_a)
        cls.user_sales_a = cls._new_portal_user("dt_sales_a", cls.sales_a)
        cls.user_owner_b = cls._new_portal_user("dt_owner_b", cls.owner_b)
        cls.user_manager = new_test_user(
            cls.env, login="dt_manager", password="dt_manager", name="Channel Manager",
            groups="channel_base.group_channel_manager",
        )
        cls.user_regional = new_test_user(
            cls.env, login="dt_regional", password="dt_regional", name="Regional Staff",
            groups="channel_base.group_channel_user",
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def statuses(self, partner, **filters):
        domain = [("partner_id", "=", partner.id)]
        for field, value in filters.items():
            domain.append((field, "=", value.id if hasattr(value, "id") else value))
        return self.env["dealer.training.status"].search(domain)

    def pass_certification(self, partner, correct=True):
        user_input = self.survey.sudo()._create_answer(partner=partner, check_attempts=False)
        answer = self.question.suggested_answer_ids.filtered(lambda a: a.is_correct == correct)[:1]
        self.env["survey.user_input.line"].create({
            "user_input_id": user_input.id,
            "survey_id": self.survey.id,
            "question_id": self.question.id,
            "answer_type": "suggestion",
            "suggested_answer_id": answer.id,
        })
        user_input._mark_done()
        return user_input

    def complete_course(self, partner, course):
        membership = self.env["slide.channel.partner"].sudo().search(
            [("partner_id", "=", partner.id), ("channel_id", "=", course.id)]
        )
        self.env["slide.slide.partner"].sudo().create([
            {"slide_id": slide.id, "channel_id": course.id, "partner_id": partner.id, "completed": True}
            for slide in course.slide_ids
        ])
        membership._recompute_completion()
        return membership
