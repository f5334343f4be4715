from . import (
    test_alerts,
    test_suggest_portal,
    test_suggested_orders,
)
