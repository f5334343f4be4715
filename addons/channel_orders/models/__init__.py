from . import (
    channel_delivery_route,
    channel_tier,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    stock_picking,
)
