from odoo import fields, models


class ChannelViolation(models.Model):
    _inherit = "channel.violation"

    sellout_line_ids = fields.Many2many(
        "channel.sellout.line", "channel_violation_sellout_line_rel", "violation_id", "line_id",
        string="Sell-out Evidence", readonly=True,
        help="Sell-out lines in which the violation was found.",
    )
    sellout_line_count = fields.Integer(compute="_compute_sellout_line_count", string="Sell-out Lines")

    def _compute_sellout_line_count(self):
        for violation in self:
            violation.sellout_line_count = len(violation.sellout_line_ids)
