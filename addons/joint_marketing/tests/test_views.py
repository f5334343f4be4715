from odoo.tests import Form, tagged

from .common import JointMarketingCommon


@tagged("post_install", "-at_install")
class TestViews(JointMarketingCommon):
    def test_body_form(self):
        with Form(self.env["joint.marketing.body"]) as form:
            form.name = "Hangzhou body"
            form.territory_id = self.territory_hz
            form.dealer_id = self.dealer_a
        body = form.record
        self.assertEqual(body.state, "draft")
        self.assertEqual(body.distributor_count, 3)
        action = body.action_view_distributors()
        self.assertEqual(self.env["res.partner"].search(action["domain"]),
                         self.distributor_a1 | self.distributor_a2 | self.distributor_a3)
        for method in ("action_view_agreements", "action_view_retailers", "action_view_violations",
                       "action_view_alerts", "action_view_targets"):
            self.assertEqual(getattr(body, method)()["type"], "ir.actions.act_window")

    def test_target_form_and_wizard(self):
        with Form(self.env["channel.target"]) as form:
            form.territory_id = self.territory_hz
            form.year = 2025
            form.target_amount = 1200.0
            form.target_qty = 12.0
        root = form.record
        action = root.action_open_decompose()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.partner_method = "equal"
        wizard.month_method = "equal"
        result = wizard.save().action_apply()
        tree = self.env["channel.target"].search(result["domain"])
        self.assertEqual(len(tree.filtered(lambda n: n.level == "dealer" and not n.month)), 2)
        self.assertIn("2025", root.display_name)

    def test_agreement_sign_wizard_form(self):
        agreement = self._agreement()
        agreement.action_send()
        action = agreement.action_open_sign_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.signature = self.signature
        wizard.save().action_sign()
        self.assertTrue(agreement.manufacturer_signed_on)
        self.assertEqual(agreement.manufacturer_signed_by, self.env.user.name)

    def test_settings_min_market_capacity(self):
        self.env["res.config.settings"].create({"joint_marketing_min_market_capacity": 2000000.0}).execute()
        self.assertEqual(self.env["channel.territory"]._get_min_market_capacity(), 2000000.0)
        self.territory_hz.write({"market_capacity": 1500000.0, "growth_rate": 10.0})
        self.assertEqual(self.territory_hz.suggested_classification, "general")
