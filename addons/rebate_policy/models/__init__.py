from . import (
    account_move,
    loyalty_program,
    rebate_display_claim,
    rebate_policy,
    rebate_policy_threshold,
    rebate_settlement,
    rebate_settlement_clawback,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
)
