from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestFieldTraining(DealerTrainingCommon):
    def test_log_training_during_visit(self):
        Log = self.env["dealer.training.log"].with_user(self.user_regional)
        with Form(Log) as form:
            form.dealer_id = self.dealer_a
            form.topic = "Promotion execution"
            form.topic_type = "promotion"
            form.duration = 1.5
            form.attendee_ids.add(self.owner_a)
            form.attendee_ids.add(self.sales_a)
            form.notes = "<p>Display standards reviewed</p>"
        log = form.record
        self.assertEqual(log.user_id, self.user_regional)
        self.assertEqual(log.attendee_count, 2)
        self.assertEqual(log.date, self.today)
        self.assertEqual(self.dealer_a.last_visit_date, self.today, "A field training is a visit")
        self.assertEqual(self.dealer_a.training_log_count, 1)
        self.assertIn(log, self.dealer_a.training_log_ids, "It shows in the dealer's training history")

    def test_attendees_belong_to_the_dealer(self):
        with self.assertRaises(ValidationError):
            self.env["dealer.training.log"].create({
                "dealer_id": self.dealer_a.id, "topic": "Route strategy",
                "attendee_ids": [Command.link(self.sales_b.id)],
            })

    def test_older_log_keeps_last_visit(self):
        self.dealer_a.last_visit_date = self.today
        self.env["dealer.training.log"].create({
            "dealer_id": self.dealer_a.id, "topic": "Old training", "date": self.today - timedelta(days=20),
        })
        self.assertEqual(self.dealer_a.last_visit_date, self.today)

    def test_regional_staff_edit_only_their_logs(self):
        log = self.env["dealer.training.log"].with_user(self.user_manager).create({
            "dealer_id": self.dealer_a.id, "topic": "Market segmentation",
        })
        log.with_user(self.user_regional).read(["topic"])
        with self.assertRaises(AccessError):
            log.with_user(self.user_regional).write({"topic": "Changed"})
