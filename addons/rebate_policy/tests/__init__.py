from . import (
    test_batch_jobs,
    test_computation,
    test_display_claim,
    test_errors,
    test_loyalty,
    test_portal,
    test_settlement,
    test_views,
)
