from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.channel_base.tests.common_batch import CronBatchMixin

from .common_suggest import ChannelSuggestMixin


@tagged("post_install", "-at_install")
class TestSuggestedOrderBatches(ChannelSuggestMixin, CronBatchMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_suggest_data()
        for index in range(3):
            cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(index))
            cls._deliver(cls.dealer_two, [(cls.product_unit, 9)], cls._in_cycle(index))
        cls.cron = cls.env.ref("channel_orders.ir_cron_prepare_suggested_orders")

    def _snapshot(self):
        orders = self.env["sale.order"].search(
            [("channel_suggested", "=", True), ("partner_id", "in", (self.dealer | self.dealer_two).ids)]
        )
        return sorted(
            (order.partner_id.id, str(order.channel_route_date), line.product_id.id, line.product_uom_qty)
            for order in orders
            for line in order.order_line
        ), len(orders)

    def test_killed_preparation_then_rerun(self):
        expected = self.clean_run(lambda: (self.route._prepare_suggested_orders(self.route_date), self._snapshot())[1])
        self.assertEqual(expected[1], 2, "One suggested order per dealer")
        self.run_killed_as_cron(
            {"model": "channel.delivery.route", "method": "_prepare_suggested_orders_batch", "n": 2},
            self.route, "_prepare_suggested_orders", self.route_date, batch_size=1, cron=self.cron,
        )
        self.assertEqual(self._snapshot()[1], 1, "The first batch is kept, the killed one left nothing")
        self.run_as_cron(self.route, "_prepare_suggested_orders", self.route_date, batch_size=1, cron=self.cron)
        self.assertEqual(self._snapshot(), expected)
        # and a third run changes nothing
        self.route._prepare_suggested_orders(self.route_date)
        self.assertEqual(self._snapshot(), expected)

    def test_two_preparations_at_once(self):
        """Another worker prepares the same route day: the second preparation stops, nothing doubled."""
        lock = self.route._suggest_lock_names(self.route_date)[0]
        with self.lock_held_elsewhere(lock), self.assertRaisesRegex(UserError, "already running"):
            self.route._prepare_suggested_orders(self.route_date)
        self.assertEqual(self._snapshot()[1], 0)
        # the cron, while a user's preparation holds the lock, stops the same way
        with self.lock_held_elsewhere(lock), self.assertRaisesRegex(UserError, "already running"):
            self.run_as_cron(self.route, "_prepare_suggested_orders", self.route_date, cron=self.cron)
        self.assertEqual(self._snapshot()[1], 0)

    def test_one_suggested_order_per_dealer_and_route_date(self):
        order = self.route._prepare_suggested_orders(self.route_date).filtered(lambda o: o.partner_id == self.dealer)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            order.copy({"channel_suggested": True, "channel_route_date": self.route_date})
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestAlertScanBatches(ChannelSuggestMixin, CronBatchMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_suggest_data()
        # never called nor visited since they joined long ago: "care overdue" for both
        (cls.dealer | cls.dealer_two).write(
            {"channel_join_date": fields.Date.today() - timedelta(days=400), "channel_state": "active",
             "last_call_date": False, "last_visit_date": False}
        )
        cls.cron = cls.env.ref("channel_orders.ir_cron_scan_alerts")

    def _snapshot(self):
        alerts = self.env["channel.alert"].search([("state", "!=", "resolved")])
        return sorted((alert.partner_id.id, alert.alert_type) for alert in alerts)

    def test_killed_scan_then_rerun(self):
        Alert = self.env["channel.alert"]
        expected = self.clean_run(lambda: (Alert._scan(), self._snapshot())[1])
        self.assertIn((self.dealer.id, "care_overdue"), expected)
        self.run_killed_as_cron(
            {"model": "channel.alert", "method": "_scan_batch", "n": 2}, Alert, "_scan", batch_size=1, cron=self.cron
        )
        self.run_as_cron(Alert, "_scan", batch_size=1, cron=self.cron)
        self.assertEqual(self._snapshot(), expected)

    def test_two_scans_at_once(self):
        before = self._snapshot()
        with (
            self.lock_held_elsewhere("channel_orders.alert_scan"),
            self.assertRaisesRegex(UserError, "already running"),
        ):
            self.env["channel.alert"]._cron_scan()
        self.assertEqual(self._snapshot(), before)
