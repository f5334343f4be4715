from . import channel_agreement_sign, channel_target_decompose
