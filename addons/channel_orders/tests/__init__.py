from . import (
    test_alerts,
    test_approval_chain,
    test_batch_jobs,
    test_chain_enforced,
    test_credit_limit,
    test_delivery_route,
    test_portal_order,
    test_query_count,
    test_statement,
    test_suggest_portal,
    test_suggested_orders,
    test_tour,
)
