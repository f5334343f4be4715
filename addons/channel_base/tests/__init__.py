from . import test_network
from . import test_territory
from . import test_care
from . import test_portal
from . import test_ui
