from odoo import fields, models

from .channel_agreement import AGREEMENT_TYPES


class ChannelAgreementTemplate(models.Model):
    _name = "channel.agreement.template"
    _description = "Channel Agreement Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    agreement_type = fields.Selection(AGREEMENT_TYPES, string="Type", required=True, default="comprehensive")
    manufacturer_duties = fields.Text(string="Manufacturer's Responsibilities", translate=True)
    dealer_duties = fields.Text(string="Dealer's Responsibilities", translate=True)
    distributor_duties = fields.Text(string="Distributor's Responsibilities", translate=True)
    margin_dealer = fields.Float(string="Dealer Margin (%)", digits=(16, 2))
    margin_distributor = fields.Float(string="Distributor Margin (%)", digits=(16, 2))

    def _get_agreement_values(self):
        """The values an agreement takes from this template."""
        self.ensure_one()
        return {
            "agreement_type": self.agreement_type,
            "manufacturer_duties": self.manufacturer_duties,
            "dealer_duties": self.dealer_duties,
            "distributor_duties": self.distributor_duties,
            "margin_dealer": self.margin_dealer,
            "margin_distributor": self.margin_distributor,
        }
