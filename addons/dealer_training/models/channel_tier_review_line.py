from odoo import api, fields, models


class ChannelTierReviewLine(models.Model):
    _inherit = "channel.tier.review.line"

    training_compliance = fields.Float(
        string="Training Compliance (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    missing_certification_ids = fields.Many2many(
        "survey.survey",
        "channel_tier_review_line_missing_certification_rel",
        "line_id",
        "survey_id",
        string="Missing Certifications",
        readonly=True,
        help="Certifications the dealer's current tier requires that neither the dealer nor its staff hold.",
    )

    @api.model
    def _prepare_review_line_vals(self, review, dealer, assessment, direction):
        vals = super()._prepare_review_line_vals(review, dealer, assessment, direction)
        vals["training_compliance"] = assessment["figures"].get("training_compliance", 100.0)
        missing = self.env["survey.survey"]
        for gap in assessment["gaps"].get(dealer.channel_tier_id.id, []):
            if gap["criterion"] == "certifications":
                missing = gap["missing"]
        vals["missing_certification_ids"] = [fields.Command.set(missing.ids)]
        return vals
