from . import (
    test_batch,
    test_care,
    test_cockpit_phone,
    test_insert_records,
    test_network,
    test_portal,
    test_portal_rights,
    test_responsible_user,
    test_territory,
    test_tier_review,
    test_ui,
    test_uploads,
)
