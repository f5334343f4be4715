from . import test_batch, test_care, test_network, test_portal, test_territory, test_ui
