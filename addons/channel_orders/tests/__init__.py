from . import (
    test_anomaly,
    test_approval_chain,
    test_chain_enforced,
    test_cockpit,
    test_credit_limit,
    test_delivery_route,
    test_portal_order,
    test_query_count,
    test_statement,
    test_tier_criteria,
    test_tour,
    test_ui_phone,
)
