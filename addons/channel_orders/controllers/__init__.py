from . import main, portal, portal_suggest
