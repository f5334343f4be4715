from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


def format_base(value):
    return f"{value:,.2f}"


class RebatePolicyThreshold(models.Model):
    _name = "rebate.policy.threshold"
    _description = "Rebate Policy Threshold"
    _order = "policy_id, min_base, id"

    policy_id = fields.Many2one("rebate.policy", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    min_base = fields.Float(
        string="From",
        required=True,
        digits=(16, 2),
        help="The base (amount or quantity) from which this rate applies.",
    )
    rate = fields.Float(string="Rate (%)", required=True, digits=(16, 4))

    @api.depends("min_base", "rate")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"≥ {format_base(line.min_base)} → {line.rate:g} %"

    @api.constrains("rate")
    def _check_rate(self):
        for line in self:
            if not 0 <= line.rate <= 100:
                raise ValidationError(
                    self.env._("A threshold rate must be between 0 and 100 %%, not %(rate)s (%(policy)s).",
                      rate=line.rate, policy=line.policy_id.display_name)
                )

    @api.constrains("min_base", "rate", "policy_id")
    def _check_sequence_of_thresholds(self):
        """Thresholds of a policy: distinct, non negative, and a higher threshold never pays a lower rate."""
        for policy in self.policy_id:
            previous = None
            for line in policy.threshold_ids.sorted("min_base"):
                if line.min_base < 0:
                    raise ValidationError(self.env._("A threshold cannot be negative (%s).", policy.display_name))
                if previous is not None:
                    high, low = format_base(line.min_base), format_base(previous.min_base)
                    if float_compare(previous.min_base, line.min_base, precision_digits=6) == 0:
                        raise ValidationError(
                            self.env._("The threshold %(threshold)s appears twice in %(policy)s.",
                              threshold=high, policy=policy.display_name)
                        )
                    if line.rate < previous.rate:
                        raise ValidationError(
                            self.env._(
                                "Thresholds of %(policy)s are out of order: %(high)s pays %(high_rate)s %% but the "
                                "lower threshold %(low)s pays %(low_rate)s %%.",
                                policy=policy.display_name,
                                high=high, high_rate=line.rate,
                                low=low, low_rate=previous.rate,
                            )
                        )
                previous = line

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.policy_id._check_computation_editable()
        return lines

    def write(self, vals):
        self.policy_id._check_computation_editable()
        return super().write(vals)

    def unlink(self):
        self.policy_id._check_computation_editable()
        return super().unlink()
