from . import channel_alert, res_company, res_config_settings, res_partner
