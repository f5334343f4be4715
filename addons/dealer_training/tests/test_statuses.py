from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from odoo.addons.dealer_training.models.dealer_training_status import DealerTrainingStatus

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingStatuses(DealerTrainingCommon):
    def test_new_staff_gets_statuses_and_enrolment(self):
        warehouse = self.env["res.partner"].create({
            "name": "Warehouse A", "parent_id": self.dealer_a.id, "channel_job_role": "warehouse",
        })
        statuses = self.statuses(warehouse)
        self.assertEqual(statuses.requirement_id, self.req_all, "Only the curriculum for every role applies")
        self.assertEqual(statuses.slide_channel_id, self.course_profit)
        self.assertEqual(statuses.state, "todo")
        self.assertEqual((statuses.due_date - self.today).days, 30)
        self.assertIn(warehouse, self.course_profit.partner_ids, "New staff are enrolled in the required course")

    def test_owner_of_gold_dealer_gets_owner_curriculum(self):
        statuses = self.statuses(self.owner_a)
        self.assertEqual(len(statuses), 3, "Profitability + finance course + certification")
        certification = statuses.filtered("survey_id")
        self.assertEqual(certification.item_type, "certification")
        self.assertEqual(certification.survey_id, self.survey)
        self.assertEqual(len(self.statuses(self.owner_b)), 1, "The Gold curriculum does not apply to Silver")

    def test_contact_without_role_is_not_staff(self):
        contact = self.env["res.partner"].create({"name": "Accountant", "parent_id": self.dealer_a.id})
        self.assertFalse(self.statuses(contact))
        contact.channel_job_role = "back_office"
        self.assertEqual(len(self.statuses(contact)), 1)

    def test_tier_change(self):
        self.assertEqual(len(self.statuses(self.owner_b)), 1)
        self.dealer_b.channel_tier_id = self.tier_gold
        statuses = self.statuses(self.owner_b)
        self.assertEqual(len(statuses), 3, "Upgrading to Gold applies the Gold owner curriculum")
        self.assertIn(self.owner_b, self.course_finance.partner_ids)
        self.assertEqual(statuses.channel_tier_id, self.tier_gold)
        # downgrade: the Gold items are archived, not lost
        self.dealer_b.channel_tier_id = self.tier_silver
        self.assertEqual(len(self.statuses(self.owner_b)), 1)
        archived = self.env["dealer.training.status"].with_context(active_test=False).search(
            [("partner_id", "=", self.owner_b.id), ("active", "=", False)]
        )
        self.assertEqual(len(archived), 2)
        self.dealer_b.channel_tier_id = self.tier_gold
        self.assertEqual(len(self.statuses(self.owner_b)), 3, "Upgrading again restores the archived items")

    def test_role_change(self):
        self.sales_a.channel_job_role = "owner"
        self.assertEqual(len(self.statuses(self.sales_a)), 3)
        self.sales_a.channel_job_role = False
        self.assertFalse(self.statuses(self.sales_a), "Someone who is no longer staff has no open items")

    def test_new_requirement_in_batches(self):
        staff = self.env["res.partner"].create([
            {"name": f"Sales {i}", "parent_id": self.dealer_b.id, "channel_job_role": "sales"} for i in range(25)
        ])
        calls = []
        original_create = DealerTrainingStatus.create

        def counting_create(records, vals_list):
            calls.append(len(vals_list))
            return original_create(records, vals_list)

        requirement = self.env["dealer.training.requirement"].create({
            "name": "Sales: people", "job_role": "sales", "tier_ids": [Command.link(self.tier_silver.id)],
            "slide_channel_ids": [Command.link(self.course_people.id)],
        })
        self.assertEqual(len(self.env["dealer.training.status"].search([("requirement_id", "=", requirement.id)])), 26)
        with patch.object(DealerTrainingStatus, "create", counting_create):
            self.env["dealer.training.status"].search([("requirement_id", "=", requirement.id)]).unlink()
            self.env["dealer.training.status"]._sync_statuses(requirements=requirement, batch_size=10)
        self.assertEqual(calls, [10, 10, 6], "One create per batch, not one per person")
        self.assertTrue(all(p in self.course_people.partner_ids for p in staff))

    def test_requirement_changes(self):
        self.req_all.slide_channel_ids = [Command.link(self.course_stock.id)]
        self.assertEqual(len(self.statuses(self.sales_a)), 2)
        self.req_all.active = False
        self.assertFalse(self.statuses(self.sales_a, requirement_id=self.req_all))
        self.req_all.active = True
        self.assertEqual(len(self.statuses(self.sales_a)), 2)

    def test_requirement_filled_later(self):
        # Limited to the test tier: other dealers of the database (demo ones) stay out of the count.
        requirement = self.env["dealer.training.requirement"].create({
            "name": "Back office", "job_role": "back_office", "tier_ids": [Command.set(self.tier_silver.ids)],
        })
        back_office = self.env["res.partner"].create({
            "name": "Back Office B", "parent_id": self.dealer_b.id, "channel_job_role": "back_office",
        })
        self.assertFalse(self.statuses(back_office, requirement_id=requirement))
        requirement.survey_ids = [Command.link(self.survey.id)]
        self.assertEqual(self.statuses(back_office, requirement_id=requirement).survey_id, self.survey)
        self.assertEqual(requirement.status_count, 1)

    def test_cron_creates_missing_statuses(self):
        self.env["dealer.training.status"].search([("partner_id", "=", self.sales_b.id)]).unlink()
        self.env["dealer.training.status"]._cron_refresh_states()
        self.assertEqual(len(self.statuses(self.sales_b)), 1)
