from . import (
    channel_delivery_route,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
)
