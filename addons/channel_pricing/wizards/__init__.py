from . import channel_price_matrix
