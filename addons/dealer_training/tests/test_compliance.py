from datetime import timedelta

from odoo.tests import tagged

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingCompliance(DealerTrainingCommon):
    def test_compliance_percentage(self):
        # Dealer A: owner 3 items + sales 1 item
        self.assertEqual(self.dealer_a.training_required_count, 4)
        self.assertEqual(self.dealer_a.training_compliance, 0.0)
        self.complete_course(self.sales_a, self.course_profit)
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.training_compliance, 25.0)
        self.complete_course(self.owner_a, self.course_profit)
        self.pass_certification(self.owner_a)
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.training_compliance, 75.0)
        self.assertEqual(self.dealer_a.training_expiring_count, 0)
        self.assertEqual(self.owner_a.training_compliance, 75.0, "Contacts show their company's figures")

    def test_overdue_and_expiring_counts(self):
        self.pass_certification(self.owner_a)
        statuses = self.statuses(self.owner_a)
        statuses.filtered("survey_id").sudo().write({"expiry_date": self.today + timedelta(days=10)})
        self.statuses(self.sales_a).write({"due_date": self.today - timedelta(days=2)})
        self.env["dealer.training.status"]._cron_refresh_states()
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.training_overdue_count, 1)
        self.assertEqual(self.dealer_a.training_expiring_count, 1)

    def test_compliant_flag(self):
        self.env["ir.config_parameter"].sudo().set_param("dealer_training.compliance_threshold", 50)
        self.assertFalse(self.dealer_a.training_compliant)
        self.complete_course(self.sales_a, self.course_profit)
        self.complete_course(self.owner_a, self.course_profit)
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.training_compliance, 50.0)
        self.assertTrue(self.dealer_a.training_compliant)
        Partner = self.env["res.partner"]
        dealers = [("id", "in", (self.dealer_a | self.dealer_b).ids)]
        compliant = Partner.search([("training_compliant", "=", True), *dealers])
        self.assertEqual(compliant, self.dealer_a)
        not_compliant = Partner.search([("training_compliant", "=", False), *dealers])
        self.assertEqual(not_compliant, self.dealer_b)

    def test_report_by_territory_and_tier(self):
        self.complete_course(self.sales_a, self.course_profit)
        groups = self.env["dealer.training.status"]._read_group(
            [("dealer_id", "in", (self.dealer_a | self.dealer_b).ids)],
            ["channel_territory_id", "channel_tier_id"],
            ["compliance_score:avg", "__count"],
        )
        by_tier = {tier: (score, count) for _territory, tier, score, count in groups}
        self.assertEqual(by_tier[self.tier_gold], (25.0, 4))
        self.assertEqual(by_tier[self.tier_silver], (0.0, 2))
