from . import channel_tier_apply_wizard
