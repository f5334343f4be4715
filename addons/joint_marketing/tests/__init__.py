from . import test_agreement
