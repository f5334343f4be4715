from . import test_access, test_completion, test_compliance, test_field_training, test_portal, test_statuses
