from . import (
    channel_batch,
    channel_portal_guard_mixin,
    channel_scope_mixin,
    channel_territory,
    channel_tier,
    channel_tier_review,
    channel_tier_review_line,
    mail_activity,
    mail_followers,
    res_config_settings,
    res_partner,
    res_users,
)
