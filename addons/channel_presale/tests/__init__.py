from . import test_batch_jobs, test_suggest_portal, test_suggested_order_values, test_suggested_orders
