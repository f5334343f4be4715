from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ChannelOrdersCommon


@tagged("post_install", "-at_install")
class TestDeliveryRoute(ChannelOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.warehouse.partner_id.tz = "UTC"
        cls.company.write({"channel_sales_approval": False, "channel_finance_approval": False})

    def test_weekly_dates_and_cutoff(self):
        route = self.route  # Tuesdays, cut-off 12:00 on the Monday before
        self.assertEqual(route._next_dates(datetime(2026, 3, 2, 11, 59), 1), [date(2026, 3, 3)])
        self.assertEqual(route._next_dates(datetime(2026, 3, 2, 12, 0), 1), [date(2026, 3, 10)])
        self.assertEqual(route._next_dates(datetime(2026, 3, 2, 12, 1), 1), [date(2026, 3, 10)])
        self.assertEqual(route._next_dates(datetime(2026, 3, 3, 8, 0), 1), [date(2026, 3, 10)])
        self.assertEqual(
            route._next_dates(datetime(2026, 2, 27, 9, 0), 3), [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)]
        )
        # A date gives the route dates strictly after it.
        self.assertEqual(route._next_dates(date(2026, 3, 3), 2), [date(2026, 3, 10), date(2026, 3, 17)])
        self.assertEqual(route._next_dates(date(2026, 3, 2), 1), [date(2026, 3, 3)])

    def test_every_two_weeks(self):
        route = self.env["channel.delivery.route"].create(
            {
                "name": "Biweekly Friday",
                "warehouse_id": self.warehouse.id,
                "weekday": 4,
                "interval_weeks": 2,
                "date_start": "2026-03-02",
                "cutoff_hour": 18.0,
            }
        )
        self.assertEqual(
            route._next_dates(date(2026, 3, 1), 3), [date(2026, 3, 6), date(2026, 3, 20), date(2026, 4, 3)]
        )
        self.assertEqual(route._next_dates(datetime(2026, 3, 5, 18, 30), 1), [date(2026, 3, 20)])

    def test_monthly_end_of_month(self):
        route = self.env["channel.delivery.route"].create(
            {
                "name": "Month end",
                "warehouse_id": self.warehouse.id,
                "month_day": 31,
                "cutoff_hour": 0.0,
            }
        )
        self.assertEqual(route.schedule_type, "monthly")
        self.assertEqual(
            route._next_dates(date(2026, 2, 1), 3), [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
        )
        # Cut-off at 0:00 on the day before: on 27 February at 23:00 the 28th is still reachable.
        self.assertEqual(route._next_dates(datetime(2026, 2, 26, 23, 0), 1), [date(2026, 2, 28)])
        self.assertEqual(route._next_dates(datetime(2026, 2, 27, 0, 0), 1), [date(2026, 3, 31)])

    def test_schedule_constraints(self):
        with self.assertRaises(ValidationError):
            self.env["channel.delivery.route"].create({"name": "Bad", "warehouse_id": self.warehouse.id, "weekday": 7})
        with self.assertRaises(ValidationError):
            self.env["channel.delivery.route"].create(
                {"name": "Bad", "warehouse_id": self.warehouse.id, "interval_weeks": 0}
            )
        with self.assertRaises(ValidationError):
            self.env["channel.delivery.route"].create(
                {"name": "Bad", "warehouse_id": self.warehouse.id, "cutoff_hour": 25}
            )

    def test_partners_in_sequence(self):
        self.other_dealer.write({"channel_route_id": self.route.id, "channel_route_sequence": 1})
        self.dealer.channel_route_sequence = 5
        self.assertEqual(self.route._partners_in_sequence(), self.other_dealer | self.dealer)
        self.assertEqual(self.route.partner_count, 2)

    def test_commitment_date_before_cutoff(self):
        order = self._order()
        with freeze_time("2026-03-02 11:30:00"):
            order.action_channel_submit()
        self.assertEqual(order.channel_state, "confirmed")
        self.assertEqual(order.commitment_date.date(), date(2026, 3, 3))
        picking = order.picking_ids
        self.assertEqual(picking.channel_route_id, self.route)
        self.assertEqual(picking.scheduled_date.date(), date(2026, 3, 3))

    def test_commitment_date_after_cutoff(self):
        order = self._order()
        with freeze_time("2026-03-02 12:30:00"):
            order.action_channel_submit()
        self.assertEqual(order.commitment_date.date(), date(2026, 3, 10))

    def test_cutoff_in_local_time(self):
        self.warehouse.partner_id.tz = "Asia/Shanghai"
        before, after = self._order(), self._order()
        with freeze_time("2026-03-02 03:30:00"):  # 11:30 in Shanghai
            before.action_channel_submit()
        with freeze_time("2026-03-02 04:30:00"):  # 12:30 in Shanghai
            after.action_channel_submit()
        self.assertEqual(self.route._to_local(before.commitment_date).date(), date(2026, 3, 3))
        self.assertEqual(self.route._to_local(after.commitment_date).date(), date(2026, 3, 10))

    def test_trial_order_keeps_no_route_date(self):
        order = self._order(channel_order_type="trial")
        with freeze_time("2026-03-02 11:30:00"):
            order.action_channel_submit()
        self.assertFalse(order.commitment_date)

    def test_route_day_list_action(self):
        order = self._order()
        order.action_channel_submit()
        action = self.route.action_view_deliveries()
        pickings = self.env["stock.picking"].search(action["domain"])
        self.assertEqual(pickings, order.picking_ids)
        self.assertEqual(pickings.channel_route_sequence, self.dealer.channel_route_sequence)
