from . import channel_tier
from . import channel_territory
from . import res_partner
from . import mail_activity
from . import res_config_settings
