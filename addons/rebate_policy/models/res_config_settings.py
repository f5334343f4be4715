from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rebate_near_threshold_percent = fields.Float(
        string="Near Next Threshold (%)",
        config_parameter="rebate_policy.near_threshold_percent",
        default=10.0,
        help="Dealers whose base lacks at most this share of their next threshold are listed for a call.",
    )
    rebate_claim_max_photos = fields.Integer(
        string="Photos per Display Claim",
        config_parameter="rebate_policy.claim_max_photos",
        default=10,
        help="Most photos a dealer sends with one display claim.",
    )
    rebate_claim_max_photo_mb = fields.Integer(
        string="Photo Size (MB)",
        config_parameter="rebate_policy.claim_max_photo_mb",
        default=5,
        help="Largest photo accepted with a display claim, in megabytes.",
    )
    rebate_claim_max_per_period = fields.Integer(
        string="Display Claims per Period",
        config_parameter="rebate_policy.claim_max_per_period",
        default=3,
        help="Most display claims (rejected ones aside) a dealer files per policy and period; 0: no limit.",
    )

    @api.constrains("rebate_claim_max_photos", "rebate_claim_max_photo_mb", "rebate_claim_max_per_period")
    def _check_rebate_claim_limits(self):
        for settings in self:
            if (
                settings.rebate_claim_max_photos < 1
                or settings.rebate_claim_max_photo_mb < 1
                or settings.rebate_claim_max_per_period < 0
            ):
                raise ValidationError(self.env._(
                    "A display claim takes at least one photo of at least 1 MB; the number of claims per "
                    "period cannot be negative."
                ))
