from . import channel_statement_report, sale_report
