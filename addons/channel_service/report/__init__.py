from . import channel_service_sla_report
