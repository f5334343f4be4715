from . import (
    test_access,
    test_inspection,
    test_price_floor,
    test_price_matrix,
    test_price_memory,
    test_scope,
    test_tier_pricelist,
    test_ui,
    test_violation,
)
