from . import (
    test_agreement,
    test_announcement,
    test_campaign,
    test_cockpit,
    test_meeting_recruitment,
    test_portal,
    test_portal_campaign,
    test_suggest_cap,
    test_target,
    test_views,
)
