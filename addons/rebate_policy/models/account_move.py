from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    rebate_settlement_ids = fields.One2many("rebate.settlement", "move_id", string="Rebate Settlements", readonly=True)
