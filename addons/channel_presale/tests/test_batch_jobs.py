from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.channel_base.tests.common_batch import CronBatchMixin

from .common import ChannelPresaleCommon


@tagged("post_install", "-at_install")
class TestSuggestedOrderBatches(CronBatchMixin, ChannelPresaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for index in range(3):
            cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(index))
            cls._deliver(cls.dealer_two, [(cls.product_unit, 9)], cls._in_cycle(index))
        cls.cron = cls.env.ref("channel_presale.ir_cron_prepare_suggested_orders")

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
