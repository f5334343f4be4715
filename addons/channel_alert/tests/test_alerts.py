from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import ChannelAlertCommon


@tagged("post_install", "-at_install")
class TestDealerAlerts(ChannelAlertCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["channel.alert"])
        cls.month = cls.today.replace(day=1)
        Partner = cls.env["res.partner"]
        base = {
            "is_company": True,
            "channel_role": "dealer",
            "channel_state": "active",
            "channel_territory_id": cls.territory.id,
            "user_id": cls.salesperson.id,
            "last_call_date": cls.today,
            "last_visit_date": cls.today,
            # list prices, whatever the database's default pricelist (demo ones have discounts)
            "property_product_pricelist": cls.pricelist.id,
        }
        cls.decliner = Partner.create(dict(base, name="Alert Decliner"))
        cls.sleeper = Partner.create(dict(base, name="Alert Sleeper"))
        cls.newcomer = Partner.create(dict(base, name="Alert Newcomer"))
        cls.steady = Partner.create(dict(base, name="Alert Steady"))
        # 100 units x 10 = 1000 in each of the three months before last month, 500 last month.
        for months in (4, 3, 2):
            cls._sale(
                cls.decliner,
                [(cls.product_unit, 100)],
                cls._at(cls.month - relativedelta(months=months) + timedelta(days=14)),
            )
        cls.decline_last = cls._sale(
            cls.decliner, [(cls.product_unit, 50)], cls._at(cls.month - relativedelta(months=1) + timedelta(days=14))
        )
        cls._sale(cls.decliner, [(cls.product_unit, 10)], cls._at(cls.today))
        # Two orders, the last one 50 days ago.
        cls._sale(cls.sleeper, [(cls.product_unit, 10)], cls._at(cls.today - timedelta(days=80)))
        cls._sale(cls.sleeper, [(cls.product_unit, 10)], cls._at(cls.today - timedelta(days=50)))
        # One order, 61 days ago.
        cls._sale(cls.newcomer, [(cls.product_unit, 10)], cls._at(cls.today - timedelta(days=61)))
        # Regular orders every month, the last one today.
        for months in (4, 3, 2, 1, 0):
            cls._sale(
                cls.steady,
                [(cls.product_unit, 100)],
                cls._at(cls.month - relativedelta(months=months) + timedelta(days=1)),
            )
        cls.Alert = cls.env["channel.alert"]

    def _alerts(self, partner, state=None):
        domain = [("partner_id", "=", partner.id)]
        if state:
            domain.append(("state", "=", state))
        return self.Alert.search(domain)

    def _types(self, partner):
        return set(self._alerts(partner).filtered(lambda a: a.state != "resolved").mapped("alert_type"))

    def test_triggers(self):
        created = self.Alert._scan()
        self.assertEqual(self._types(self.decliner), {"decline"})
        self.assertEqual(self._types(self.sleeper), {"dormant"})
        self.assertEqual(self._types(self.newcomer), {"first_order_only", "dormant"})
        self.assertEqual(self._types(self.steady), set())
        decline = self._alerts(self.decliner)
        self.assertEqual(decline.value, 500.0)
        self.assertEqual(decline.reference_value, 1000.0)
        self.assertEqual(decline.state, "open")
        self.assertEqual(decline.territory_id, self.territory)
        self.assertIn("50 %", decline.message)
        # One activity per new alert, for the dealer's salesperson (other dealers of the database,
        # e.g. demo ones, may get alerts of their own: only those of the test dealers are counted).
        created = created.filtered(lambda a: a.partner_id in self.decliner | self.sleeper | self.newcomer | self.steady)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "channel.alert"), ("res_id", "in", created.ids)]
        )
        self.assertEqual(len(created), 4)
        self.assertEqual(len(activities), len(created))
        self.assertEqual(activities.user_id, self.salesperson)

    def test_decline_edge_and_resolution(self):
        self.Alert._scan()
        # 700 = exactly 70 % of the average: no decline any more.
        self.decline_last.order_line.product_uom_qty = 70
        self.Alert._scan()
        alert = self._alerts(self.decliner)
        self.assertEqual(alert.state, "resolved")
        self.assertTrue(alert.auto_resolved)
        self.assertEqual(alert.date_resolved, self.today)
        # 699: below again -> a new alert.
        self.decline_last.order_line.product_uom_qty = 69.9
        self.Alert._scan()
        self.assertEqual(len(self._alerts(self.decliner)), 2)
        self.assertEqual(len(self._alerts(self.decliner, "open")), 1)

    def test_decline_needs_each_base_month(self):
        self.env["sale.order"].search([("partner_id", "=", self.decliner.id)]).filtered(
            lambda o: o.date_order.date() < self.month - relativedelta(months=3)
        ).date_order = self._at(self.month - relativedelta(months=8))
        self.Alert._scan()
        self.assertNotIn("decline", self._types(self.decliner))

    def test_dormant_resolution(self):
        self.Alert._scan()
        self._sale(self.sleeper, [(self.product_unit, 10)])
        self.Alert._scan()
        self.assertEqual(self._alerts(self.sleeper).state, "resolved")

    def test_first_order_only_resolution(self):
        self.newcomer.channel_state = "active"
        self.Alert._scan()
        self.assertIn("first_order_only", self._types(self.newcomer))
        self._sale(self.newcomer, [(self.product_unit, 10)])
        self.Alert._scan()
        self.assertEqual(self._types(self.newcomer), set())

    def test_first_order_recent_not_alerted(self):
        recent = self.env["res.partner"].create(
            {
                "name": "Alert Fresh",
                "is_company": True,
                "channel_role": "dealer",
                "channel_state": "active",
                "last_call_date": self.today,
                "last_visit_date": self.today,
            }
        )
        self._sale(recent, [(self.product_unit, 10)], self._at(self.today - timedelta(days=59)))
        self.Alert._scan()
        self.assertEqual(self._types(recent), {"dormant"}, "59 days: dormant, but not yet a first-order-only dealer")

    def test_care_overdue(self):
        # Without channel_base's care activities, the alert scan follows up the lapse.
        self.env.ref("channel_base.ir_cron_schedule_care_activities").active = False
        self.steady.write({"last_call_date": self.today - timedelta(days=40)})
        self.Alert._scan()
        self.assertEqual(self._types(self.steady), {"care_overdue"})
        self.steady.action_channel_log_call()
        self.Alert._scan()
        self.assertEqual(self._types(self.steady), set())
        self.assertEqual(self._alerts(self.steady).state, "resolved")

    def test_care_overdue_owned_by_care_activities(self):
        """While channel_base schedules care activities, an overdue call raises no alert."""
        self.env.ref("channel_base.ir_cron_schedule_care_activities").active = True
        self.assertTrue(self.env["res.partner"]._channel_care_activities_enabled())
        self.steady.write({"last_call_date": self.today - timedelta(days=40)})
        self.assertTrue(self.steady.care_overdue)
        self.Alert._scan()
        self.assertNotIn("care_overdue", self._types(self.steady))
        self.assertFalse(self.Alert.search([("alert_type", "=", "care_overdue"), ("partner_id", "=", self.steady.id)]))

    def test_messages_per_dealer_when_dates_are_shared(self):
        """Dealers whose dates are the same get the same message, others their own; the order
        statistics give plain dates (those of the first and last confirmed orders)."""
        self.env.ref("channel_base.ir_cron_schedule_care_activities").active = False
        twin = self.sleeper.copy(
            {"name": "Alert Sleeper Twin", "channel_state": "active", "last_visit_date": self.today}
        )
        for order in self.env["sale.order"].search([("partner_id", "=", self.sleeper.id)]):
            self._sale(twin, [(self.product_unit, 10)], order.date_order)
        called = self.today - timedelta(days=40)
        (self.steady | twin).write({"last_call_date": called})
        self.decliner.write({"last_call_date": called - timedelta(days=1)})
        stats = self.Alert._scan_order_stats(self.sleeper | twin, self.today)
        last = self.today - timedelta(days=50)
        self.assertEqual({figures["last"] for figures in stats.values()}, {last})
        self.assertEqual(type(stats[twin.id]["first"]), type(last))
        self.Alert._scan()
        dormant = self.Alert.search([("alert_type", "=", "dormant"), ("partner_id", "in", (self.sleeper | twin).ids)])
        self.assertEqual(len(dormant), 2)
        self.assertEqual(set(dormant.mapped("message")), {dormant[0].message})
        self.assertIn(fields.Date.to_string(last)[:4], dormant[0].message)
        care = {
            alert.partner_id: alert.message
            for alert in self.Alert.search([("alert_type", "=", "care_overdue"), ("state", "!=", "resolved")])
        }
        self.assertEqual(care[self.steady], care[twin])
        self.assertNotEqual(care[self.steady], care[self.decliner])
        newcomer = self._alerts(self.newcomer).filtered(lambda a: a.alert_type == "first_order_only")
        self.assertEqual(newcomer.last_order_date, self.today - timedelta(days=61))

    def test_inactive_dealer_resolved(self):
        self.Alert._scan()
        self.sleeper.channel_state = "suspended"
        self.Alert._scan()
        self.assertEqual(self._types(self.sleeper), set())

    def test_cron_deduplication(self):
        first = self.Alert._scan()
        self.assertTrue(first)
        alert = self._alerts(self.decliner)
        alert.action_acknowledge()
        second = self.Alert._scan()
        self.assertFalse(second, "A second run opens nothing new")
        self.assertEqual(self._alerts(self.decliner), alert)
        self.assertEqual(alert.state, "acknowledged")
        activities = self.env["mail.activity"].search([("res_model", "=", "channel.alert"), ("res_id", "=", alert.id)])
        self.assertEqual(len(activities), 1)
        # The cron runs the same scan.
        cron = self.env.ref("channel_alert.ir_cron_scan_alerts")
        cron.method_direct_trigger()
        self.assertEqual(len(self._alerts(self.decliner)), 1)

    def test_scan_query_count(self):
        """A batch costs the same number of queries for few or many dealers."""
        dealers = self.decliner | self.sleeper | self.newcomer | self.steady
        self.Alert._scan_conditions(dealers)  # warm the caches (languages, currencies)
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.Alert._scan_conditions(self.decliner)
        one = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        conditions = self.Alert._scan_conditions(dealers)
        many = self.env.cr.sql_log_count - start
        self.assertEqual(len(conditions), 4)
        self.assertEqual(one, many)

    def test_order_stats_with_monthly_amounts(self):
        """The one query of the order statistics gives the monthly amounts the decline reads, the same
        as reading them apart, and the same alerts."""
        dealers = self.decliner | self.sleeper | self.newcomer | self.steady
        stats = self.Alert._scan_order_stats(dealers, self.today)
        current = self.month
        apart = self.Alert._scan_monthly_amounts(dealers, current - relativedelta(months=4), current)
        self.assertEqual({d: figures["months"] for d, figures in stats.items() if figures["months"]}, apart)
        self.assertEqual(stats[self.decliner.id]["count"], 5)
        self.assertEqual(stats[self.decliner.id]["months"][current - relativedelta(months=1)][1], 1)
        without_months = {d: {k: v for k, v in figures.items() if k != "months"} for d, figures in stats.items()}
        company = self.env.company
        self.assertEqual(
            self.Alert._scan_decline(dealers, stats, company, self.today),
            self.Alert._scan_decline(dealers, without_months, company, self.today),
        )
        self.assertEqual(set(self.Alert._scan_decline(dealers, stats, company, self.today)), {
            (self.decliner.id, "decline")
        })

    def test_daily_scan_writes_nothing_unchanged(self):
        """A second scan on the same figures writes no alert and schedules no activity."""
        self.Alert._scan()
        self.env.flush_all()
        alerts = self.Alert.search([("state", "!=", "resolved")])
        activities = self.env["mail.activity"].search_count([("res_model", "=", "channel.alert")])
        before = {alert.id: alert.write_date for alert in alerts}
        self.assertFalse(self.Alert._scan())
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual({alert.id: alert.write_date for alert in alerts}, before)
        self.assertEqual(self.env["mail.activity"].search_count([("res_model", "=", "channel.alert")]), activities)

    def test_access(self):
        self.Alert._scan()
        alert = self._alerts(self.decliner)
        alert.with_user(self.salesperson).read(["message"])
        alert.with_user(self.salesperson).action_acknowledge()
        with self.assertRaises(AccessError):
            alert.with_user(self.salesperson).unlink()
        portal = self._new_portal_user(
            "sg_alert_portal", self.env["res.partner"].create({"name": "Alert Portal", "parent_id": self.decliner.id})
        )
        with self.assertRaises(AccessError):
            alert.with_user(portal).read(["message"])
        with self.assertRaises(AccessError):
            self.Alert.with_user(portal).search([])

    def test_kpi_report(self):
        report = self.env["channel.dealer.kpi.report"]
        rows = report.search([("date", "=", self.month), ("partner_id", "in", (self.newcomer | self.steady).ids)])
        by_partner = {row.partner_id: row for row in rows}
        self.assertTrue(by_partner[self.newcomer].first_order_only)
        self.assertEqual(by_partner[self.newcomer].first_order_only_share, 100.0)
        self.assertFalse(by_partner[self.steady].first_order_only)
        [(share, target)] = report._read_group(
            [("date", "=", self.month), ("partner_id", "in", (self.newcomer | self.steady).ids)],
            [],
            ["first_order_only_share:avg", "target_share:avg"],
        )
        self.assertEqual(share, 50.0)
        self.assertEqual(target, 4.0)


@tagged("post_install", "-at_install")
class TestAlertAmountFormat(ChannelAlertCommon):
    def test_amounts_formatted_as_format_amount(self):
        """The scan's amount formatter gives what Odoo's format_amount gives, per language and currency."""
        for code in ("zh_CN", "fr_FR"):
            self.env["res.lang"]._activate_lang(code)
        euro = self.env.ref("base.EUR").with_context(active_test=False)
        currencies = (self.env.company.currency_id, self.env.ref("base.CNY").with_context(active_test=False), euro)
        for code in ("en_US", "zh_CN", "fr_FR"):
            Alert = self.env["channel.alert"].with_context(lang=code)
            for currency in currencies:
                for amount in (0, 3.005, -1234.5, 1234567.891, 98765432.1):
                    with self.subTest(lang=code, currency=currency.name, amount=amount):
                        self.assertEqual(
                            Alert._scan_format_amount(amount, currency),
                            format_amount(Alert.env, amount, currency),
                        )
