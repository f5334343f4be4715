from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.channel_base.tests.common import ChannelTierCriteriaMixin

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTierTraining(ChannelTierCriteriaMixin, DealerTrainingCommon):
    """The training criteria on worked data.

    Gold needs 60 % compliance and the certification, Silver 50 %, Standard nothing. Dealer A (Gold):
    4 items (profitability for its owner and its salesman, finance and the certification for its Gold
    owner); the owner and the salesman finish profitability and the owner passes the certification:
    3 of 4 = 75 %, certified: Gold. Dealer B (Silver): 2 items (profitability), none done: 0 %:
    Standard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["channel.tier"]
        (Tier.search([]) - cls.tier_gold - cls.tier_silver).action_archive()
        cls.env["res.partner"].search(
            [("channel_role", "=", "dealer"), ("id", "not in", (cls.dealer_a | cls.dealer_b).ids)]
        ).write({"channel_state": "terminated"})
        cls.tier_gold.write({
            "sequence": 1, "min_training_compliance": 60.0,
            "required_certification_ids": [Command.set(cls.survey.ids)],
        })
        cls.tier_silver.write({"sequence": 2, "min_training_compliance": 50.0})
        cls.tier_standard = Tier.create({"name": "Standard", "code": "DT-STD", "sequence": 3})
        cls.complete_course(cls, cls.owner_a, cls.course_profit)
        cls.complete_course(cls, cls.sales_a, cls.course_profit)
        cls.attempt_a = cls.pass_certification(cls, cls.owner_a)

    def test_figures(self):
        figures = (self.dealer_a | self.dealer_b)._channel_tier_figures()
        self.assertEqual(figures[self.dealer_a.id]["training_compliance"], 75.0)
        self.assertEqual(figures[self.dealer_a.id]["certification_ids"], set(self.survey.ids))
        self.assertEqual(figures[self.dealer_b.id]["training_compliance"], 0.0)
        self.assertEqual(figures[self.dealer_b.id]["certification_ids"], set())
        # the same compliance as the partner form shows
        self.assertEqual(self.dealer_a.training_compliance, 75.0)

    def test_proposal(self):
        self.assertEqual(self.dealer_a._channel_tier_proposal(), self.tier_gold)
        self.assertEqual(
            (self.dealer_a | self.dealer_b)._channel_tier_proposal(),
            {self.dealer_a.id: self.tier_gold, self.dealer_b.id: self.tier_standard},
        )
        gaps = self.dealer_b._channel_tier_assessment()[self.dealer_b.id]["gaps"]
        self.assertEqual(
            [gap["criterion"] for gap in gaps[self.tier_gold.id]], ["training_compliance", "certifications"]
        )
        self.assertEqual(gaps[self.tier_gold.id][0]["label"], "Training compliance 0.0% of the 60.0% required")
        self.assertEqual(gaps[self.tier_gold.id][1]["missing"], self.survey)
        self.assertEqual(gaps[self.tier_gold.id][1]["label"], "Missing certifications: Dealer certification")
        # B finishes profitability for one of two staff: 50 %, Silver
        self.complete_course(self.owner_b, self.course_profit)
        self.assertEqual(self.dealer_b._channel_tier_proposal(), self.tier_silver)

    def test_certification_of_staff_or_company(self):
        """B's salesman passes the certification (not required from him): B holds it; so does the
        company itself when it passes it."""
        self.pass_certification(self.sales_b)
        self.assertEqual(self.dealer_b._channel_tier_figures()[self.dealer_b.id]["certification_ids"],
                         set(self.survey.ids))
        dealer_c = self.env["res.partner"].create({
            "name": "Dealer C", "is_company": True, "channel_role": "dealer", "channel_state": "active",
        })
        self.pass_certification(dealer_c)
        self.pass_certification(self.owner_b, correct=False)  # a failed attempt counts for nobody
        self.assertEqual(dealer_c._channel_tier_proposal(), self.tier_gold, "no staff: 100 %, certified")

    def test_expired_certification(self):
        """A's pass of 13 months ago has expired (valid 12 months): A is no longer certified."""
        long_ago = fields.Datetime.now() - relativedelta(months=13)
        self.attempt_a.end_datetime = long_ago
        status = self.statuses(self.owner_a, survey_id=self.survey)
        status.done_date = long_ago.date()
        self.assertEqual(status.state, "expired")
        figures = self.dealer_a._channel_tier_figures()[self.dealer_a.id]
        self.assertEqual(figures["certification_ids"], set())
        self.assertEqual(figures["training_compliance"], 50.0)
        self.assertEqual(self.dealer_a._channel_tier_proposal(), self.tier_silver)

    def test_proposal_query_count(self):
        """The proposals of many dealers cost the same queries as those of a few."""
        Partner = self.env["res.partner"]

        def new_dealers(count):
            dealers = Partner.create([
                {"name": f"Dealer {n}", "is_company": True, "channel_role": "dealer", "channel_state": "active",
                 "channel_tier_id": self.tier_silver.id}
                for n in range(count)
            ])
            staff = Partner.create([
                {"name": f"Staff {dealer.name}", "parent_id": dealer.id, "channel_job_role": "sales"}
                for dealer in dealers
            ])
            for person in staff:
                self.pass_certification(person)
            return dealers

        few = self.dealer_a | self.dealer_b | new_dealers(1)
        many = self.dealer_a | self.dealer_b | new_dealers(8)
        counts = []
        for dealers, proposals, count in self._tier_proposal_runs(few, many):
            counts.append(count)
            self.assertEqual(proposals[self.dealer_a.id], self.tier_gold)
            # the new dealers' staff did not finish profitability (0 %) but hold the certification
            self.assertEqual({proposals[dealer.id] for dealer in dealers[2:]}, {self.tier_standard})
        self.assertEqual(counts[0], counts[1], f"queries for 3 and for 10 dealers: {counts}")

    def test_review_lines(self):
        review = self.env["channel.tier.review"].with_user(self.user_manager)._run_review()
        (line,) = review.line_ids
        self.assertEqual(
            (line.partner_id, line.current_tier_id, line.direction, line.proposed_tier_id),
            (self.dealer_b, self.tier_silver, "downgrade", self.tier_standard),
        )
        self.assertEqual(line.training_compliance, 0.0)
        self.assertFalse(line.missing_certification_ids, "Silver requires no certification")
        # A loses its certification: downgrade to Silver, the certification is missing
        self.attempt_a.end_datetime = fields.Datetime.now() - relativedelta(months=13)
        self.statuses(self.owner_a, survey_id=self.survey).done_date = fields.Date.today() - relativedelta(months=13)
        review._run_review()
        line_a = review.line_ids.filtered(lambda line: line.partner_id == self.dealer_a)
        self.assertEqual((line_a.direction, line_a.proposed_tier_id), ("downgrade", self.tier_silver))
        self.assertEqual(line_a.missing_certification_ids, self.survey)
        self.assertEqual(line_a.training_compliance, 50.0)
        # the apply wizard: tier written, training statuses follow the new tier (no more Gold owner items)
        self.env["channel.tier.apply.wizard"].with_user(self.user_manager).create({
            "line_ids": [Command.set(line_a.ids)], "reason": "Certification expired",
        }).action_apply()
        self.assertEqual(self.dealer_a.channel_tier_id, self.tier_silver)
        self.assertIn("Reason: Certification expired", self.dealer_a.message_ids[0].body)
        self.assertFalse(self.statuses(self.owner_a, survey_id=self.survey))

    def test_cockpit_card(self):
        card = self.dealer_b.with_user(self.user_owner_b).sudo()._channel_cockpit_tier_card()
        self.assertEqual((card["tier"], card["next_tier"]), (self.tier_silver, self.tier_gold))
        self.assertEqual([gap["criterion"] for gap in card["gaps"]], ["training_compliance", "certifications"])
        cards = self.dealer_b.with_user(self.user_owner_b)._channel_cockpit_sorted_cards()
        self.assertEqual(cards[0]["next_tier"], self.tier_gold)
