from . import test_computation
from . import test_settlement
from . import test_errors
from . import test_loyalty
from . import test_display_claim
from . import test_portal
