from odoo import models


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _get_applicable_models(self, vals):
        # Set by the order line compute when it found no distribution model at all: none applies.
        if self.env.context.get("channel_no_distribution_model"):
            return self.browse()
        return super()._get_applicable_models(vals)
