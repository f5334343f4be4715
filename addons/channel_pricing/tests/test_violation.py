from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestViolation(ChannelPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("channel_pricing.penalty_price", "300")
        params.set_param("channel_pricing.penalty_cross_territory", "2000")
        cls.Violation = cls.env["channel.violation"]

    def _violation(self, violation_type="price", **vals):
        return self.Violation.create({
            "violation_type": violation_type,
            "partner_id": self.dealer_hz.id,
            "territory_id": self.territory_nj.id,
            "product_id": self.product_tea.id,
            **vals,
        })

    def test_penalty_defaults_from_settings(self):
        self.assertEqual(self._violation("price").penalty_amount, 300.0)
        self.assertEqual(self._violation("cross_territory").penalty_amount, 2000.0)
        self.assertEqual(self._violation("price", penalty_amount=50.0).penalty_amount, 50.0)
        settings = self.env["res.config.settings"].create({"channel_penalty_price": 123.0})
        settings.execute()
        self.assertEqual(self._violation("price").penalty_amount, 123.0)

    def test_workflow_and_activity(self):
        violation = self._violation()
        self.assertEqual(violation.state, "draft")
        self.assertTrue(violation.name.startswith("VIOL/"))
        violation.action_confirm()
        self.assertEqual(violation.state, "confirmed")
        activity = violation.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.activity_type_id, self.env.ref("channel_pricing.mail_activity_type_violation"))
        with self.assertRaises(UserError):
            violation.action_confirm()
        violation.action_dismiss()
        self.assertEqual(violation.state, "dismissed")
        self.assertFalse(violation.activity_ids)
        violation.action_draft()
        self.assertEqual(violation.state, "draft")

    def test_chatter_tracks_state(self):
        violation = self._violation()
        self.env.flush_all()
        self.env.cr.precommit.run()  # records created without tracking are only tracked afterwards
        violation = violation.with_context(tracking_disable=False)
        messages_before = len(violation.message_ids)
        violation.action_confirm()
        self.env.flush_all()
        self.env.cr.precommit.run()
        violation.invalidate_recordset(["message_ids"])
        self.assertGreater(len(violation.message_ids), messages_before)
        self.assertIn("state", violation.message_ids.tracking_value_ids.field_id.mapped("name"))

    def test_penalize_and_dismiss_rules(self):
        violation = self._violation()
        with self.assertRaises(UserError):
            violation.action_penalize()
        violation.action_confirm()
        violation.action_penalize()
        self.assertEqual(violation.state, "penalized")
        with self.assertRaises(UserError):
            violation.action_dismiss()
        with self.assertRaises(UserError):
            violation.unlink()

    def test_penalty_bad_input(self):
        with self.assertRaises(ValidationError):
            self._violation(penalty_amount=-1.0)
        violation = self._violation(penalty_amount=100.0)
        with self.assertRaises(ValidationError):
            violation.penalty_deducted_amount = 150.0

    def test_undeducted_and_deduction(self):
        old = self._violation(penalty_amount=100.0, date="2026-01-10")
        new = self._violation("cross_territory", penalty_amount=500.0, date="2026-03-10")
        draft = self._violation(penalty_amount=70.0)
        other = self._violation(penalty_amount=80.0, partner_id=self.dealer_nj.id)
        (old | new | other).action_confirm()
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.dealer_hz.id})
        undeducted = contact._channel_get_undeducted_violations()
        self.assertEqual(undeducted, old | new)
        self.assertNotIn(draft, undeducted)

        deducted = undeducted._channel_deduct_penalties(250.0)
        self.assertAlmostEqual(deducted, 250.0)
        self.assertEqual(old.state, "penalized")
        self.assertAlmostEqual(old.penalty_deducted_amount, 100.0)
        self.assertAlmostEqual(old.penalty_residual, 0.0)
        self.assertEqual(new.state, "confirmed")
        self.assertAlmostEqual(new.penalty_deducted_amount, 150.0)
        self.assertAlmostEqual(new.penalty_residual, 350.0)
        self.assertEqual(self.dealer_hz._channel_get_undeducted_violations(), new)

        deducted = self.dealer_hz._channel_get_undeducted_violations()._channel_deduct_penalties(1000.0)
        self.assertAlmostEqual(deducted, 350.0)
        self.assertEqual(new.state, "penalized")
        self.assertFalse(self.dealer_hz._channel_get_undeducted_violations())
        self.assertEqual(self.Violation.browse()._channel_deduct_penalties(10.0), 0.0)

    def test_smart_button(self):
        self._violation()
        self._violation("cross_territory")
        self.assertEqual(self.dealer_hz.channel_violation_count, 2)
        action = self.dealer_hz.action_view_channel_violations()
        self.assertEqual(self.Violation.search(action["domain"]), self.dealer_hz.channel_violation_ids)
