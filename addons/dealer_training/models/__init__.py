from . import (
    dealer_training_log,
    dealer_training_requirement,
    dealer_training_status,
    event_event,
    event_registration,
    res_config_settings,
    res_partner,
    slide_channel,
    slide_channel_partner,
    slide_slide,
    survey_user_input,
)
