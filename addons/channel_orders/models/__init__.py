from . import (
    account_analytic_distribution_model,
    channel_delivery_route,
    channel_tier,
    channel_tier_review_line,
    payment_transaction,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    stock_picking,
)
