from . import portal, portal_campaign
