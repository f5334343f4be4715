from odoo import fields, models


class ChannelAgreementSign(models.TransientModel):
    _name = "channel.agreement.sign"
    _description = "Sign an Agreement for the Manufacturer"

    agreement_id = fields.Many2one("channel.agreement", required=True, ondelete="cascade")
    name = fields.Char(string="Signed by", required=True)
    signature = fields.Image(required=True, max_width=1024, max_height=1024)

    def action_sign(self):
        self.ensure_one()
        self.agreement_id.check_access("write")
        self.agreement_id._sign("manufacturer", self.name, self.signature, signer=self.env.user)
        return {"type": "ir.actions.act_window_close"}
