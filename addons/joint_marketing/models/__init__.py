from . import (
    channel_agreement,
    channel_agreement_passdown,
    channel_agreement_template,
    channel_delivery_route,
    channel_target,
    channel_territory,
    joint_marketing_body,
    rebate_settlement,
    res_config_settings,
)
