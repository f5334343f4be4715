from . import (
    channel_inspection,
    channel_inspection_line,
    channel_price_floor,
    channel_territory,
    channel_tier,
    channel_violation,
    res_config_settings,
    res_partner,
    sale_order_line,
)
