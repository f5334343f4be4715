from . import channel_sellout_import
