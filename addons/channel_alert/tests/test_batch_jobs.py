from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.channel_base.tests.common_batch import CronBatchMixin

from .common import ChannelAlertCommon


@tagged("post_install", "-at_install")
class TestAlertScanBatches(CronBatchMixin, ChannelAlertCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # never called nor visited since they joined long ago: "care overdue" for both
        (cls.dealer | cls.dealer_two).write(
            {"channel_join_date": fields.Date.today() - timedelta(days=400), "channel_state": "active",
             "last_call_date": False, "last_visit_date": False}
        )
        cls.cron = cls.env.ref("channel_alert.ir_cron_scan_alerts")
        # the alert scan follows up the lapse only without channel_base's care activities
        cls.env.ref("channel_base.ir_cron_schedule_care_activities").active = False

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
