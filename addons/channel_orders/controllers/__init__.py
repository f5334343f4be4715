from . import main, portal
from . import portal_suggest
