from . import (
    test_batch_jobs,
    test_cockpit,
    test_computation,
    test_concurrency,
    test_display_claim,
    test_errors,
    test_integrity,
    test_loyalty,
    test_portal,
    test_price_memory_rewards,
    test_settlement,
    test_views,
)
