from . import test_access, test_portal, test_routing, test_sla, test_ui
