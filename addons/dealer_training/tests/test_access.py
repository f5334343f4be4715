from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingAccess(DealerTrainingCommon):
    def test_owner_sees_only_own_staff(self):
        Status = self.env["dealer.training.status"].with_user(self.user_owner_a)
        visible = Status.search([])
        self.assertEqual(visible.partner_id, self.owner_a | self.sales_a)
        self.assertEqual(visible.dealer_id, self.dealer_a)
        other = self.statuses(self.owner_b)
        with self.assertRaises(AccessError):
            other.with_user(self.user_owner_a).read(["state"])

    def test_staff_see_only_their_own(self):
        visible = self.env["dealer.training.status"].with_user(self.user_sales_a).search([])
        self.assertEqual(visible.partner_id, self.sales_a)
        with self.assertRaises(AccessError):
            self.statuses(self.owner_a).with_user(self.user_sales_a).read(["state"])

    def test_role_change_updates_access(self):
        self.sales_a.channel_job_role = "owner"
        visible = self.env["dealer.training.status"].with_user(self.user_sales_a).search([])
        self.assertEqual(visible.partner_id, self.owner_a | self.sales_a)

    def test_portal_cannot_write(self):
        status = self.statuses(self.sales_a)
        with self.assertRaises(AccessError):
            status.with_user(self.user_sales_a).write({"due_date": False})
        with self.assertRaises(AccessError):
            self.req_all.with_user(self.user_owner_a).write({"due_days": 1})

    def test_field_training_portal_access(self):
        log_a = self.env["dealer.training.log"].create({"dealer_id": self.dealer_a.id, "topic": "A training"})
        log_b = self.env["dealer.training.log"].create({"dealer_id": self.dealer_b.id, "topic": "B training"})
        visible = self.env["dealer.training.log"].with_user(self.user_owner_a).search([])
        self.assertEqual(visible, log_a)
        with self.assertRaises(AccessError):
            log_b.with_user(self.user_owner_a).read(["topic"])

    def test_regional_staff_read_statuses(self):
        statuses = self.env["dealer.training.status"].with_user(self.user_regional).search([
            ("dealer_id", "in", (self.dealer_a | self.dealer_b).ids)
        ])
        self.assertEqual(len(statuses), 6)
        with self.assertRaises(AccessError):
            statuses[0].with_user(self.user_regional).write({"due_date": False})
