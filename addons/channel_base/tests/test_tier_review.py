from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTierReview(TransactionCase):
    """Earned tiers with a stand-in criterion (a "score" per dealer, see ``scored``): Gold needs 3,
    Silver 2, Standard nothing.

    Dealers: A Gold with 1 (downgrade to Standard), B Standard with 3 (upgrade to Gold), C Silver
    with 2 (stays), D without tier with 2 (upgrade to Silver), a suspended Standard dealer with 3 and a
    sub-distributor with 3 (neither is reviewed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        Tier = cls.env["channel.tier"]
        # tests never depend on the tiers or dealers already in the database (demo data)
        Tier.search([]).action_archive()
        cls.env["res.partner"].search([("channel_role", "=", "dealer")]).write({"channel_state": "terminated"})
        cls.gold, cls.silver, cls.standard = Tier.create([
            {"name": "Gold", "code": "TR-GOLD", "sequence": 1, "benefits": "<p>Best prices</p>"},
            {"name": "Silver", "code": "TR-SILVER", "sequence": 2, "benefits": "<p>Good prices</p>"},
            {"name": "Standard", "code": "TR-STD", "sequence": 3},
        ])
        cls.territory = cls.env["channel.territory"].create({"name": "Tier Land", "code": "TR-T"})
        Partner = cls.env["res.partner"]
        common = {"is_company": True, "channel_role": "dealer", "channel_state": "active",
                  "channel_territory_id": cls.territory.id}
        cls.dealer_a = Partner.create(dict(common, name="Tier Dealer A", channel_tier_id=cls.gold.id))
        cls.dealer_b = Partner.create(dict(common, name="Tier Dealer B", channel_tier_id=cls.standard.id))
        cls.dealer_c = Partner.create(dict(common, name="Tier Dealer C", channel_tier_id=cls.silver.id))
        cls.dealer_d = Partner.create(dict(common, name="Tier Dealer D"))
        cls.dealer_s = Partner.create(dict(common, name="Tier Dealer S", channel_tier_id=cls.standard.id,
                                           channel_state="suspended"))
        cls.distributor = Partner.create({
            "name": "Tier Distributor", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer_c.id, "channel_state": "active", "channel_tier_id": cls.standard.id,
        })
        cls.contact_a = Partner.create({"name": "Boss A", "parent_id": cls.dealer_a.id})
        cls.scores = {cls.dealer_a.id: 1, cls.dealer_b.id: 3, cls.dealer_c.id: 2, cls.dealer_d.id: 2,
                      cls.dealer_s.id: 3, cls.distributor.id: 3}
        cls.needed = {cls.gold.id: 3, cls.silver.id: 2}
        cls.manager = new_test_user(cls.env, login="tr_manager", name="Tier Manager",
                                    groups="channel_base.group_channel_manager")
        cls.regional = new_test_user(cls.env, login="tr_regional", name="Tier Regional",
                                     groups="channel_base.group_channel_user")

    @contextmanager
    def scored(self):
        """The stand-in criterion: the figures carry a score, a tier asks for a minimum score."""
        test = self
        Partner = self.env.registry["res.partner"]
        Tier = self.env.registry["channel.tier"]
        base_figures = Partner._channel_tier_figures
        base_gaps = Tier._channel_tier_gaps

        def figures(partners):
            result = base_figures(partners)
            for partner_id, values in result.items():
                values["score"] = test.scores.get(partner_id, 0)
            return result

        def gaps(tier, values):
            result = base_gaps(tier, values)
            needed = test.needed.get(tier.id, 0)
            if values.get("score", 0) < needed:
                result.append({"criterion": "score", "missing": needed - values["score"],
                               "label": f"{needed - values['score']} points to go"})
            return result

        with patch.object(Partner, "_channel_tier_figures", figures), patch.object(Tier, "_channel_tier_gaps", gaps):
            yield

    def _lines(self, review):
        return {line.partner_id: (line.current_tier_id, line.direction, line.proposed_tier_id, line.state)
                for line in review.line_ids}

    # ------------------------------------------------------------------
    # Proposal
    # ------------------------------------------------------------------
    def test_proposal_without_criteria(self):
        """A tier without criteria is met by everyone: everybody earns the highest tier."""
        self.assertEqual(self.dealer_a._channel_tier_proposal(), self.gold)
        proposals = (self.dealer_b | self.dealer_d)._channel_tier_proposal()
        self.assertEqual(proposals, {self.dealer_b.id: self.gold, self.dealer_d.id: self.gold})
        self.assertEqual(self.env["res.partner"]._channel_tier_proposal(), {})

    def test_proposal_ranks_by_sequence(self):
        with self.scored():
            self.assertEqual(self.dealer_a._channel_tier_proposal(), self.standard)
            self.assertEqual(self.dealer_b._channel_tier_proposal(), self.gold)
            # a contact gets its company's proposal
            self.assertEqual(self.contact_a._channel_tier_proposal(), self.standard)
            proposals = (self.dealer_a | self.dealer_b | self.dealer_c | self.dealer_d)._channel_tier_proposal()
            self.assertEqual(proposals, {
                self.dealer_a.id: self.standard, self.dealer_b.id: self.gold,
                self.dealer_c.id: self.silver, self.dealer_d.id: self.silver,
            })
            # Silver ranked first: Silver is the highest tier, the one B earns
            self.silver.sequence = 0
            self.assertEqual(self.dealer_b._channel_tier_proposal(), self.silver)
            # no tier met at all: an empty tier
            self.standard.action_archive()
            self.assertFalse(self.dealer_a._channel_tier_proposal())
            self.assertEqual(self.dealer_a._channel_tier_proposal()._name, "channel.tier")

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------
    def test_review_lines(self):
        with self.scored():
            review = self.env["channel.tier.review"].with_user(self.manager)._run_review(date=date(2026, 11, 17))
        self.assertEqual(review.date, date(2026, 11, 1))
        self.assertEqual(review.display_name, "Tier review 2026-11")
        self.assertEqual(self._lines(review), {
            self.dealer_a: (self.gold, "downgrade", self.standard, "proposed"),
            self.dealer_b: (self.standard, "upgrade", self.gold, "proposed"),
            self.dealer_d: (self.env["channel.tier"], "upgrade", self.silver, "proposed"),
        })
        line_a = review.line_ids.filtered(lambda line: line.partner_id == self.dealer_a)
        self.assertEqual(line_a.territory_id, self.territory)
        self.assertEqual((review.upgrade_count, review.downgrade_count, review.to_decide_count), (2, 1, 3))
        self.assertEqual(review.state, "open")

        # run again in the month: the same review, the same proposals
        first_ids = set(review.line_ids.ids)
        with self.scored():
            again = self.env["channel.tier.review"].with_user(self.manager)._run_review(date=date(2026, 11, 30))
        self.assertEqual(again, review)
        self.assertEqual(len(review.line_ids), 3)
        self.assertNotEqual(set(review.line_ids.ids), first_ids, "undecided proposals are recomputed")

        # A's score rises: its proposal goes; B is dismissed and stays dismissed
        review.line_ids.filtered(lambda line: line.partner_id == self.dealer_b).with_user(self.manager).action_dismiss()
        self.scores[self.dealer_a.id] = 3
        self.scores[self.dealer_b.id] = 1
        with self.scored():
            review._run_review(date=date(2026, 11, 30))
        self.assertEqual(self._lines(review), {
            self.dealer_b: (self.standard, "upgrade", self.gold, "dismissed"),
            self.dealer_d: (self.env["channel.tier"], "upgrade", self.silver, "proposed"),
        })

    def test_apply_wizard(self):
        with self.scored():
            review = self.env["channel.tier.review"]._run_review(date=date(2026, 11, 1))
        lines = review.line_ids.filtered(lambda line: line.partner_id in (self.dealer_a | self.dealer_b))
        action = review.with_user(self.manager).action_open_apply_wizard()
        self.assertEqual(set(action["context"]["default_line_ids"]), set(review.line_ids.ids))
        wizard_form = Form(self.env["channel.tier.apply.wizard"].with_user(self.manager).with_context(
            default_line_ids=lines.ids))
        wizard_form.reason = "Purchases of the year reviewed with the regional manager"
        wizard = wizard_form.save()
        wizard.action_apply()
        self.assertEqual(self.dealer_a.channel_tier_id, self.standard)
        self.assertEqual(self.dealer_b.channel_tier_id, self.gold)
        self.assertEqual(self.contact_a.channel_tier_id, self.standard, "the contacts follow their company")
        self.assertEqual(self.dealer_d.channel_tier_id, self.env["channel.tier"], "not selected: unchanged")
        self.assertEqual(set(lines.mapped("state")), {"applied"})
        self.assertEqual(lines[0].decided_by_id, self.manager)
        self.assertEqual(lines[0].apply_reason, "Purchases of the year reviewed with the regional manager")
        message = self.dealer_a.message_ids.filtered(lambda m: "reviewed with the regional manager" in m.body)
        self.assertEqual(len(message), 1)
        self.assertIn("Tier changed from Gold to Standard (Tier review 2026-11)", message.body)
        self.assertIn("Tier changed from Standard to Gold", self.dealer_b.message_ids[0].body)
        self.assertIn("2 tier changes applied", review.message_ids[0].body)
        self.assertEqual(review.state, "open", "D is still to decide")

        # applied lines stay as they are when the review runs again
        with self.scored():
            review._run_review(date=date(2026, 11, 1))
        self.assertEqual(self._lines(review)[self.dealer_a], (self.gold, "downgrade", self.standard, "applied"))

        # the last proposal: the review is done
        self.env["channel.tier.apply.wizard"].create({
            "line_ids": [(6, 0, review.line_ids.filtered(lambda line: line.state == "proposed").ids)],
            "reason": "Training done",
        }).action_apply()
        self.assertEqual(self.dealer_d.channel_tier_id, self.silver)
        self.assertIn("from no tier to Silver", self.dealer_d.message_ids[0].body)
        self.assertEqual(review.state, "done")

    def test_apply_refused_writes_nothing(self):
        with self.scored():
            review = self.env["channel.tier.review"]._run_review(date=date(2026, 11, 1))
        Wizard = self.env["channel.tier.apply.wizard"].with_user(self.manager)
        messages = self.env["mail.message"].search_count([])
        with self.assertRaisesRegex(UserError, "reason"):
            Wizard.create({"line_ids": [(6, 0, review.line_ids.ids)], "reason": "   "}).action_apply()
        with self.assertRaisesRegex(UserError, "at least one"):
            Wizard.create({"reason": "Nothing"}).action_apply()
        # B's tier changed by hand since the review: nobody's tier changes
        self.dealer_b.channel_tier_id = self.silver
        with self.assertRaisesRegex(UserError, "Tier Dealer B.*changed since the review"):
            Wizard.create({"line_ids": [(6, 0, review.line_ids.ids)], "reason": "Yearly review"}).action_apply()
        self.assertEqual(self.dealer_a.channel_tier_id, self.gold)
        self.assertEqual(self.dealer_d.channel_tier_id, self.env["channel.tier"])
        self.assertEqual(set(review.line_ids.mapped("state")), {"proposed"})
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        # a decided proposal cannot be applied
        line_a = review.line_ids.filtered(lambda line: line.partner_id == self.dealer_a)
        line_a.with_user(self.manager).action_dismiss()
        with self.assertRaisesRegex(UserError, "already decided"):
            Wizard.create({"line_ids": [(6, 0, line_a.ids)], "reason": "Yearly review"}).action_apply()
        self.assertEqual(self.dealer_a.channel_tier_id, self.gold)
        line_a.with_user(self.manager).action_reset()
        self.assertEqual(line_a.state, "proposed")

    def test_cron_and_button(self):
        with self.scored():
            self.env.ref("channel_base.ir_cron_tier_review").method_direct_trigger()
        review = self.env["channel.tier.review"].search([("date", "=", date.today().replace(day=1))])
        self.assertEqual(len(review.line_ids), 3)
        with self.scored():
            action = self.env["channel.tier.review"].with_user(self.manager).action_run_review()
        self.assertEqual((action["res_model"], action["res_id"]), ("channel.tier.review", review.id))
        self.assertEqual(len(review.line_ids), 3)

    def test_access(self):
        """Regional staff read the reviews and proposals but neither run nor apply them."""
        with self.scored():
            review = self.env["channel.tier.review"]._run_review(date=date(2026, 11, 1))
        as_regional = review.with_user(self.regional)
        self.assertEqual(as_regional.line_ids.partner_id, self.dealer_a | self.dealer_b | self.dealer_d)
        with self.assertRaises(AccessError):
            self.env["channel.tier.review"].with_user(self.regional).action_run_review()
        with self.assertRaises(AccessError):
            self.env["channel.tier.apply.wizard"].with_user(self.regional).create(
                {"line_ids": [(6, 0, review.line_ids.ids)], "reason": "Promote my dealers"}
            )
        with self.assertRaises(AccessError):
            as_regional.line_ids[0].action_dismiss()
        with self.assertRaises(AccessError):
            as_regional.line_ids[0].write({"proposed_tier_id": self.gold.id})
        self.assertEqual(self.dealer_a.channel_tier_id, self.gold)
        self.assertEqual(set(review.line_ids.mapped("state")), {"proposed"})

    # ------------------------------------------------------------------
    # Cockpit card
    # ------------------------------------------------------------------
    def test_cockpit_tier_card(self):
        with self.scored():
            card = self.dealer_c._channel_cockpit_tier_card()
            self.assertEqual((card["name"], card["tier"], card["next_tier"]), ("tier", self.silver, self.gold))
            self.assertEqual(str(card["benefits"]), "<p>Good prices</p>")
            self.assertEqual(str(card["next_benefits"]), "<p>Best prices</p>")
            self.assertEqual([gap["label"] for gap in card["gaps"]], ["1 points to go"])
            # no tier: the next one is the lowest, which it already meets
            card = self.dealer_d._channel_cockpit_tier_card()
            self.assertEqual((card["next_tier"], card["gaps"]), (self.standard, []))
            # the highest tier: nothing above
            card = self.dealer_a._channel_cockpit_tier_card()
            self.assertFalse(card["next_tier"])
            self.assertEqual(card["gaps"], [])
