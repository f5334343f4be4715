from . import models, wizards


def _post_init_hook(env):
    """Dealers already in a tier with a pricelist get that pricelist."""
    env["channel.tier"].search([("pricelist_id", "!=", False)])._channel_sync_partner_pricelists()
