from . import test_care, test_network, test_portal, test_territory, test_ui
