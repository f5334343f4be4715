from . import rebate_near_threshold, rebate_settlement_generate
