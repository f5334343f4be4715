from . import channel_order_reason_wizard, channel_statement_wizard
