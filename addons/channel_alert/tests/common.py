from odoo.addons.channel_orders.tests.common import ChannelOrdersCommon


class ChannelAlertCommon(ChannelOrdersCommon):
    """Data for dealer alerts: the route, dealers and products of ``_setup_route_dealers`` and the
    alert settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nosubscribe=True, tracking_disable=True))
        cls._setup_route_dealers()
        cls.company.write(
            {
                "channel_decline_pct": 30.0,
                "channel_dormant_days": 45,
                "channel_first_order_days": 60,
            }
        )
