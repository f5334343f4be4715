from . import test_agreement, test_target
