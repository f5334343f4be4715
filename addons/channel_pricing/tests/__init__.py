from . import test_tier_pricelist
from . import test_price_memory
from . import test_price_floor
from . import test_inspection
from . import test_violation
from . import test_access
from . import test_price_matrix
from . import test_ui
