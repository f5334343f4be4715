from . import test_agreement, test_portal, test_suggest_cap, test_target, test_views
