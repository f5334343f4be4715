from . import channel_dealer_kpi_report
