from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_training_compliance_threshold = fields.Float(
        string="Training compliance for tier upgrades (%)",
        config_parameter="dealer_training.compliance_threshold",
        default=80.0,
        help="A dealer whose staff training compliance reaches this share is flagged as training compliant.",
    )
