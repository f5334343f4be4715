from . import channel_service_type, channel_service_request, res_partner, res_users
