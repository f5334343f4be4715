from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import JointMarketingCommon


@tagged("post_install", "-at_install")
class TestAgreementRules(JointMarketingCommon):
    def test_one_year_rule(self):
        with self.assertRaisesRegex(ValidationError, "at least one year"):
            self._agreement(date_end=date(2025, 12, 30))
        agreement = self._agreement(date_end=date(2025, 12, 31))
        self.assertEqual(agreement.state, "draft")
        with self.assertRaisesRegex(ValidationError, "2026-02-27"):
            self._agreement(date_start=date(2025, 2, 28), date_end=date(2026, 2, 26))
        # A leap day start: one year later is the 28th of February, minus one day.
        self.assertTrue(self._agreement(date_start=date(2024, 2, 29), date_end=date(2025, 2, 27),
                                        territory_id=self.territory_js.id, dealer_id=self.dealer_c.id))
        with self.assertRaises(ValidationError):
            agreement.date_end = date(2025, 6, 30)

    def test_form_defaults_from_template(self):
        template = self.env.ref("joint_marketing.channel_agreement_template_comprehensive")
        with Form(self.env["channel.agreement"]) as form:
            form.dealer_id = self.dealer_a
            form.template_id = template
            form.date_start = date(2025, 3, 1)
        agreement = form.record
        self.assertEqual(agreement.territory_id, self.territory_hz)
        self.assertEqual(agreement.date_end, date(2026, 2, 28))
        self.assertEqual(agreement.margin_dealer, template.margin_dealer)
        self.assertEqual(agreement.dealer_duties, template.dealer_duties)
        self.assertTrue(agreement.name.startswith("AGR/"))

    def test_distributor_must_belong_to_dealer(self):
        with self.assertRaisesRegex(ValidationError, "not a sub-distributor"):
            self._agreement(distributor_id=self.distributor_c1.id)


@tagged("post_install", "-at_install")
class TestExclusivity(JointMarketingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signed = cls._agreement()
        cls.signed.write({"state": "signed"})

    def _other(self, **vals):
        values = {"dealer_id": self.dealer_d.id}
        values.update(vals)
        return self._agreement(**values)

    def assertConflict(self, agreement, state="signed"):
        with self.assertRaises(ValidationError) as error:
            agreement.write({"state": state})
        self.assertIn(self.signed.name, str(error.exception))

    def test_same_territory(self):
        self.assertConflict(self._other())

    def test_same_territory_active(self):
        self.assertConflict(self._other(), state="active")

    def test_ancestor_territory(self):
        self.assertConflict(self._other(territory_id=self.territory_zj.id))

    def test_descendant_territory(self):
        self.assertConflict(self._other(territory_id=self.territory_xh.id))

    def test_disjoint_territory(self):
        other = self._other(territory_id=self.territory_js.id)
        other.write({"state": "signed"})
        self.assertEqual(other.state, "signed")

    def test_overlapping_dates(self):
        self.assertConflict(self._other(date_start=date(2025, 7, 1), date_end=date(2026, 6, 30)))

    def test_touching_dates_share_a_day(self):
        self.assertConflict(self._other(date_start=date(2025, 12, 31), date_end=date(2026, 12, 30)))

    def test_adjacent_dates(self):
        other = self._other(date_start=date(2026, 1, 1), date_end=date(2026, 12, 31))
        other.write({"state": "signed"})
        self.assertEqual(other.state, "signed")

    def test_disjoint_dates(self):
        other = self._other(date_start=date(2027, 1, 1), date_end=date(2027, 12, 31))
        other.write({"state": "active"})
        self.assertEqual(other.state, "active")

    def test_same_dealer_allowed(self):
        renewal = self._agreement(distributor_id=self.distributor_a1.id)
        renewal.write({"state": "signed"})
        self.assertEqual(renewal.state, "signed")

    def test_draft_and_sent_allowed(self):
        other = self._other()
        self.assertEqual(other.state, "draft")
        other.action_send()
        self.assertEqual(other.state, "sent")

    def test_non_exclusive_allowed_until_made_exclusive(self):
        other = self._other(exclusive=False)
        other.write({"state": "signed"})
        with self.assertRaisesRegex(ValidationError, self.signed.name):
            other.exclusive = True

    def test_change_of_dates_or_territory_checked(self):
        other = self._other(territory_id=self.territory_js.id, date_start=date(2026, 1, 1), date_end=date(2026, 12, 31))
        other.write({"state": "signed"})
        other.territory_id = self.territory_xh  # other dates: allowed
        with self.assertRaisesRegex(ValidationError, self.signed.name):
            other.date_start = date(2025, 6, 1)
        other.date_start = date(2026, 1, 1)
        self.assertEqual(other.territory_id, self.territory_xh)

    def test_signing_reaches_signed_checked(self):
        other = self._other()
        other.action_send()
        other._sign("manufacturer", "Manager", self.signature)
        with self.assertRaisesRegex(ValidationError, self.signed.name):
            other._sign("dealer", "Dealer D", self.signature)

    def test_cron_activation_checked_and_terminated_frees(self):
        self.signed.action_terminate()
        other = self._other()
        other.write({"state": "signed"})
        self.assertEqual(other.state, "signed")


@tagged("post_install", "-at_install")
class TestSigningAndCron(JointMarketingCommon):
    def test_sign_order_and_copies(self):
        agreement = self._agreement(distributor_id=self.distributor_a1.id)
        with self.assertRaises(UserError):
            agreement._sign("dealer", "Too early", self.signature)
        agreement.action_send()
        agreement._sign("dealer", "Boss A", self.signature)
        agreement._sign("distributor", "Boss A1", self.signature)
        self.assertEqual(agreement.state, "sent")
        self.assertFalse(agreement.copy_attachment_ids)
        wizard = self.env["channel.agreement.sign"].create({
            "agreement_id": agreement.id, "name": "Factory Manager", "signature": self.signature,
        })
        wizard.action_sign()
        self.assertEqual(agreement.state, "signed")
        self.assertEqual(agreement.manufacturer_user_id, self.env.user)
        self.assertEqual(agreement.signature_count, 3)
        copies = agreement.copy_attachment_ids
        self.assertEqual(len(copies), 3)
        self.assertEqual(set(copies.mapped("res_model")), {"channel.agreement"})
        self.assertEqual(set(copies.mapped("res_id")), {agreement.id})
        names = " ".join(copies.mapped("name"))
        for label in ("Manufacturer's copy", "Dealer's copy", "Distributor's copy"):
            self.assertIn(label, names)
        content = copies[0].raw.decode()
        self.assertIn("Boss A1", content)
        self.assertIn("Factory Manager", content)
        message = agreement.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(message.attachment_ids, copies)
        with self.assertRaises(UserError):
            agreement._sign("dealer", "Again", self.signature)

    def test_bilateral_two_copies(self):
        agreement = self._sign_all(self._agreement())
        self.assertEqual(agreement.state, "signed")
        self.assertEqual(len(agreement.copy_attachment_ids), 2)

    def test_invalid_signature(self):
        agreement = self._agreement()
        agreement.action_send()
        with self.assertRaises(UserError):
            agreement._sign("dealer", "Boss", "bm90IGFuIGltYWdl")
        with self.assertRaises(UserError):
            agreement._sign("dealer", " ", self.signature)
        self.assertFalse(agreement.dealer_signed_on)

    def test_reset_draft_clears_signatures(self):
        agreement = self._agreement(distributor_id=self.distributor_a1.id)
        agreement.action_send()
        agreement._sign("dealer", "Boss", self.signature)
        agreement.action_reset_draft()
        self.assertFalse(agreement.dealer_signed_on)
        self.assertFalse(agreement.dealer_signature)

    def test_cron_states_and_reminders(self):
        today = fields.Date.context_today(self.env.user)
        starting = self._sign_all(self._agreement(date_start=today - timedelta(days=10),
                                                  date_end=today + timedelta(days=400)))
        ending = self._sign_all(self._agreement(dealer_id=self.dealer_c.id, territory_id=self.territory_js.id,
                                                date_start=today - timedelta(days=500),
                                                date_end=today - timedelta(days=1)))
        expiring = self._agreement(dealer_id=self.dealer_d.id, territory_id=self.territory_xh.id, exclusive=False,
                                   date_start=today - timedelta(days=320), date_end=today + timedelta(days=45))
        expiring.write({"state": "active"})
        future = self._sign_all(self._agreement(dealer_id=self.dealer_b.id, exclusive=False,
                                                date_start=today + timedelta(days=5),
                                                date_end=today + timedelta(days=400)))
        Agreement = self.env["channel.agreement"]
        Agreement._cron_update_states()
        self.assertEqual(starting.state, "active")
        self.assertEqual(ending.state, "expired")
        self.assertEqual(future.state, "signed")
        self.assertEqual(expiring.state, "active")
        self.assertTrue(expiring.expiry_reminded)
        self.assertEqual(len(expiring.activity_ids), 1)
        self.assertFalse(starting.activity_ids)
        Agreement._cron_update_states()
        self.assertEqual(len(expiring.activity_ids), 1, "the reminder is sent once")

    def test_delete_only_unsigned(self):
        agreement = self._sign_all(self._agreement())
        with self.assertRaises(UserError):
            agreement.unlink()
        draft = self._agreement(dealer_id=self.dealer_c.id, territory_id=self.territory_js.id)
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_pdf_report_renders_signatures(self):
        agreement = self._sign_all(self._agreement(distributor_id=self.distributor_a1.id))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "joint_marketing.action_report_channel_agreement", agreement.ids)[0].decode()
        self.assertEqual(html.count("o_agreement_signature"), 3)
        self.assertIn("distributor signer", html)


@tagged("post_install", "-at_install")
class TestPassdown(JointMarketingCommon):
    def test_settlement_shows_share_owed(self):
        policy = self._policy()
        agreement = self._agreement(distributor_id=self.distributor_a1.id, policy_ids=[(6, 0, policy.ids)],
                                    passdown_ids=[
                                        (0, 0, {"policy_id": policy.id, "distributor_id": self.distributor_a1.id,
                                                "share": 30}),
                                        (0, 0, {"policy_id": policy.id, "distributor_id": self.distributor_a2.id,
                                                "share": 10}),
                                    ])
        settlement = self.env["rebate.settlement"].create({
            "policy_id": policy.id, "partner_id": self.dealer_a.id,
            "period_start": self.q1_start, "period_end": self.q1_end, "gross_amount": 1000.0,
        })
        self.assertFalse(settlement.passdown_ids, "an unsigned agreement owes nothing")
        self._sign_all(agreement)
        settlement.invalidate_recordset()
        self.assertEqual(len(settlement.passdown_ids), 2)
        self.assertAlmostEqual(settlement.passdown_amount, 400.0)
        self.assertEqual(settlement._get_passdown_amounts(), {
            (settlement.id, self.distributor_a1.id): 300.0, (settlement.id, self.distributor_a2.id): 100.0,
        })
        self.assertIn("JM Distributor A1", settlement.passdown_summary)
        other = self.env["rebate.settlement"].create({
            "policy_id": policy.id, "partner_id": self.dealer_b.id,
            "period_start": self.q1_start, "period_end": self.q1_end, "gross_amount": 1000.0,
        })
        self.assertFalse(other.passdown_ids)

    def test_shares_limited(self):
        policy = self._policy()
        with self.assertRaisesRegex(ValidationError, "exceed"):
            self._agreement(policy_ids=[(6, 0, policy.ids)], passdown_ids=[
                (0, 0, {"policy_id": policy.id, "distributor_id": self.distributor_a1.id, "share": 60}),
                (0, 0, {"policy_id": policy.id, "distributor_id": self.distributor_a2.id, "share": 50}),
            ])
        other_policy = self._policy(name="Other")
        with self.assertRaisesRegex(ValidationError, "not part of the agreement"):
            self._agreement(policy_ids=[(6, 0, policy.ids)], passdown_ids=[
                (0, 0, {"policy_id": other_policy.id, "distributor_id": self.distributor_a1.id, "share": 10}),
            ])
        with self.assertRaisesRegex(ValidationError, "not a sub-distributor"):
            self._agreement(policy_ids=[(6, 0, policy.ids)], passdown_ids=[
                (0, 0, {"policy_id": policy.id, "distributor_id": self.distributor_c1.id, "share": 10}),
            ])


@tagged("post_install", "-at_install")
class TestBodyAndTerritory(JointMarketingCommon):
    def test_suitability_and_classification(self):
        self.env["ir.config_parameter"].set_param("joint_marketing.min_market_capacity", 1000000)
        territory = self.territory_hz
        territory.market_capacity = 500000
        self.assertEqual(territory.suggested_classification, "general")
        issues = territory._get_suitability_issues()[territory.id]
        self.assertEqual(len(issues), 2, issues)  # capacity, no route; no violation yet
        route = self.env["channel.delivery.route"].create({"name": "Hangzhou weekly", "weekday": 1,
                                                           "interval_weeks": 2})
        self.dealer_a.channel_route_id = route
        self.env["channel.violation"].create({
            "violation_type": "cross_territory", "partner_id": self.dealer_c.id,
            "territory_id": self.territory_xh.id, "product_id": self.product_drink.id,
        })
        territory.write({"market_capacity": 6000000, "growth_rate": 6})
        territory.invalidate_recordset()
        self.assertEqual(territory.suggested_classification, "key")
        issues = territory._get_suitability_issues()[territory.id]
        self.assertEqual(len(issues), 1, issues)
        self.assertIn("cross-territory", issues[0])
        self.assertFalse(territory.suitable_for_body)
        route.write({"interval_weeks": 3})
        self.assertEqual(len(territory._get_suitability_issues()[territory.id]), 2)
        territory.action_apply_suggested_classification()
        self.assertEqual(territory.classification, "key")

    def test_body_founded_by_signed_agreement(self):
        body = self.env["joint.marketing.body"].create({
            "name": "Hangzhou body", "territory_id": self.territory_hz.id, "dealer_id": self.dealer_a.id,
        })
        agreement = self._agreement(distributor_id=self.distributor_a1.id, body_id=body.id)
        with self.assertRaisesRegex(UserError, "signed agreement"):
            body.action_found()
        self._sign_all(agreement)
        body.action_found()
        self.assertEqual(body.state, "active")
        self.assertEqual(body.agreement_count, 1)
        # A1 and A3 in Hangzhou, A2 in Xihu (below it): all three count.
        self.assertEqual(body.distributor_count, 3)
        self.assertEqual(body.retailer_count, 0)
