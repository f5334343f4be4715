from . import channel_service_request, channel_service_type, res_partner, res_users
