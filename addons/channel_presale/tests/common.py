from datetime import timedelta

from odoo.addons.channel_orders.tests.common import ChannelOrdersCommon


class ChannelPresaleCommon(ChannelOrdersCommon):
    """Data for suggested orders: the route, dealers and products of ``_setup_route_dealers``, the
    forecast settings, the next route date and its three history cycles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nosubscribe=True, tracking_disable=True))
        cls._setup_route_dealers()
        cls.company.write(
            {
                "channel_forecast_cycles": 3,
                "channel_safety_stock_pct": 10.0,
                "channel_suggest_days_before": 2,
            }
        )
        cls.route_date = cls.route._next_dates(cls.route._local_now().date(), 1)[0]
        cls.cycles = cls.route._suggest_cycles(cls.route_date, 3)

    @classmethod
    def _in_cycle(cls, index, day=1):
        """A moment inside history cycle ``index`` (0 = oldest)."""
        return cls._at(cls.cycles[index][0] + timedelta(days=day))
