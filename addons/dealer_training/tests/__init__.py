from . import test_statuses
from . import test_completion
from . import test_compliance
from . import test_field_training
from . import test_access
from . import test_portal
