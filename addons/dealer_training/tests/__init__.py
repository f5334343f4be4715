from . import (
    test_access,
    test_batch_jobs,
    test_cockpit,
    test_completion,
    test_compliance,
    test_field_training,
    test_portal,
    test_requirement_scope,
    test_statuses,
    test_tier_criteria,
)
