from . import (
    channel_delivery_route,
    channel_tier,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    stock_picking,
)
from . import (
    channel_alert,
    channel_dealer_kpi_report,
    channel_delivery_route_suggest,
    res_company_suggest,
    res_config_settings_suggest,
    res_partner_suggest,
    sale_order_line_suggest,
    sale_order_suggest,
)
