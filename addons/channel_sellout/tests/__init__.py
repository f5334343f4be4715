from . import (
    test_access,
    test_cockpit,
    test_import,
    test_portal_flow,
    test_query_count,
    test_stock,
    test_suggest,
    test_violations,
)
