from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ChannelAgreementPassdown(models.Model):
    _name = "channel.agreement.passdown"
    _description = "Incentive Passed Down to a Distributor"
    _order = "agreement_id, policy_id, distributor_id"

    agreement_id = fields.Many2one("channel.agreement", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    dealer_id = fields.Many2one(related="agreement_id.dealer_id", store=True, index=True)
    agreement_state = fields.Selection(related="agreement_id.state", string="Agreement Status")
    policy_id = fields.Many2one("rebate.policy", string="Rebate Policy", required=True, index=True)
    distributor_id = fields.Many2one(
        "res.partner", string="Distributor", required=True, index=True,
        domain="[('channel_role', '=', 'distributor'), ('channel_parent_id', '=', dealer_id)]",
    )
    share = fields.Float(string="Share (%)", digits=(16, 2), required=True,
                         help="Part of the dealer's rebate under this policy passed to the distributor.")

    _sql_constraints = [
        ("share_range", "CHECK(share > 0 AND share <= 100)", "A share passed down is between 0 and 100 %."),
        ("policy_distributor_uniq", "UNIQUE(agreement_id, policy_id, distributor_id)",
         "A distributor gets one share per policy and agreement."),
    ]

    @api.constrains("distributor_id")
    def _check_distributor(self):
        for line in self:
            if line.distributor_id.channel_parent_id != line.agreement_id.dealer_id:
                raise ValidationError(self.env._("%(distributor)s is not a sub-distributor of %(dealer)s.",
                                        distributor=line.distributor_id.display_name,
                                        dealer=line.agreement_id.dealer_id.display_name))
