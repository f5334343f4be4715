# The sell-out tables first: the SQL views below read them.
from . import channel_sellout_order, channel_sellout_line  # noqa: I001
from . import (
    channel_dealer_stock,
    channel_sellout_report,
    channel_sellout_route,
    channel_violation,
    res_config_settings,
    res_partner,
)
