from . import test_agreement, test_portal, test_target
