from odoo import fields, models
from odoo.tools import float_compare, float_repr


class ChannelTier(models.Model):
    _inherit = "channel.tier"

    min_training_compliance = fields.Float(
        string="Minimum Training Compliance (%)",
        digits=(16, 1),
        help="Training compliance (share of the required training items of the dealer's staff that are done "
        "and valid) a dealer needs to earn this tier. 0: no training criterion.",
    )
    required_certification_ids = fields.Many2many(
        "survey.survey",
        "channel_tier_required_certification_rel",
        "tier_id",
        "survey_id",
        string="Required Certifications",
        domain=[("certification", "=", True)],
        help="Certifications the dealer needs to earn this tier: each one counts when the dealer or one of its "
        "staff passed it and it has not expired.",
    )

    _sql_constraints = [
        (
            "min_training_compliance_range",
            "CHECK(min_training_compliance >= 0 AND min_training_compliance <= 100)",
            "The minimum training compliance is a percentage between 0 and 100.",
        ),
    ]

    def _channel_tier_gaps(self, figures):
        gaps = super()._channel_tier_gaps(figures)
        required = self.min_training_compliance
        current = figures.get("training_compliance", 100.0)
        if required and float_compare(current, required, precision_digits=1) < 0:
            gaps.append({
                "criterion": "training_compliance",
                "required": required,
                "current": current,
                "label": self.env._(
                    "Training compliance %(current)s%% of the %(required)s%% required",
                    current=float_repr(current, 1),
                    required=float_repr(required, 1),
                ),
            })
        held = figures.get("certification_ids", set())
        missing = self.required_certification_ids.filtered(lambda survey: survey.id not in held)
        if missing:
            gaps.append({
                "criterion": "certifications",
                "missing": missing,
                "label": self.env._("Missing certifications: %s", ", ".join(missing.mapped("title"))),
            })
        return gaps
