from odoo import fields, models


class RebateSettlementClawback(models.Model):
    _name = "rebate.settlement.clawback"
    _description = "Rebate Clawback of a Return"
    _order = "settlement_id, source_period_start, id"

    settlement_id = fields.Many2one(
        "rebate.settlement", string="Deducted from", required=True, index=True, ondelete="cascade",
        help="The settlement from which the difference is deducted.",
    )
    source_settlement_id = fields.Many2one(
        "rebate.settlement", string="Settled Period", required=True, index=True, ondelete="restrict",
        help="The confirmed or settled settlement recomputed with the returns.",
    )
    source_period_start = fields.Date(related="source_settlement_id.period_start", store=True)
    source_period_label = fields.Char(related="source_settlement_id.period_label", string="Period")
    partner_id = fields.Many2one(related="settlement_id.partner_id")
    company_id = fields.Many2one(related="settlement_id.company_id", store=True)
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    refund_ids = fields.Many2many(
        "account.move", "rebate_settlement_clawback_move_rel", "clawback_id", "move_id", string="Credit Notes",
        help="The credit notes that reverse invoices of the settled period.",
    )
    base_before = fields.Float(string="Base Settled", digits=(16, 2))
    base_after = fields.Float(string="Base with Returns", digits=(16, 2))
    gross_before = fields.Monetary(string="Rebate Settled")
    gross_after = fields.Monetary(string="Rebate with Returns")
    due_amount = fields.Monetary(
        string="Due", help="What the settled period paid too much, less what other settlements already deducted.",
    )
    amount = fields.Monetary(
        string="Clawed Back", help="Deducted from the settlement (at most its rebate); the rest stays due.",
    )
