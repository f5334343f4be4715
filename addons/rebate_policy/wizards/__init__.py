from . import rebate_settlement_generate
from . import rebate_near_threshold
