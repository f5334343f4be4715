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

    def test_campaign_and_announcement_forms(self):
        with Form(self.env["channel.campaign"]) as form:
            form.name = "Trade show"
            form.campaign_type = "trade_show"
            form.date_start = "2025-04-01"
            form.date_end = "2025-04-03"
            form.budget = 300.0
        campaign = form.record
        self.assertEqual(campaign.amount_left, 300.0)
        self.assertEqual(campaign.action_view_claims()["type"], "ir.actions.act_window")
        with Form(self.env["channel.campaign.claim"]) as form:
            form.campaign_id = campaign
            form.partner_id = self.dealer_a
            form.amount = 100.0
        self.assertEqual(form.record.reimbursed_amount, 50.0)
        with Form(self.env["channel.announcement"]) as form:
            form.name = "Hello"
            form.territory_ids.add(self.territory_hz)
        announcement = form.record
        announcement.action_publish()
        for method in ("action_view_readers", "action_view_unread", "action_view_funnel"):
            self.assertEqual(getattr(announcement, method)()["type"], "ir.actions.act_window")
        action = self.env.ref("joint_marketing.channel_announcement_funnel_server_action").run()
        self.assertEqual(action["res_model"], "channel.announcement.funnel")

    def test_meeting_lead_and_partner_forms(self):
        with Form(self.env["event.event"].with_context(default_channel_meeting=True)) as form:
            form.name = "Conference"
            form.date_begin = "2030-01-01 08:00:00"
            form.date_end = "2030-01-01 18:00:00"
            form.territory_ids.add(self.territory_zj)
        self.assertTrue(form.record.channel_meeting)
        with Form(self.env["crm.lead"].with_context(default_channel_recruitment=True)) as form:
            form.name = "Candidate"
            form.channel_territory_id = self.territory_hz
            form.channel_qual_capital = True
        self.assertEqual(form.record.channel_qualification_score, 20)
        with Form(self.dealer_a) as form:
            form.name = form.name
        self.assertEqual(self.dealer_a.action_view_channel_meetings()["res_model"], "event.registration")
