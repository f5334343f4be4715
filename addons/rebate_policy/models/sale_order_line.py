from odoo import api, fields, models
from odoo.tools import SQL


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    rebate_settlement_id = fields.Many2one(
        "rebate.settlement", string="Rebate Settlement", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("rebate_settlement_id")
    def _compute_price_unit(self):
        # A rebate line keeps the amount of its settlement whatever the pricelist says.
        return super(SaleOrderLine, self.filtered(lambda line: not line.rebate_settlement_id))._compute_price_unit()

    def _rebate_invoiced_lines(self):
        """The lines of these whose amount is on a customer invoice that is not cancelled."""
        return self.filtered(
            lambda line: any(inv_line.parent_state != "cancel" for inv_line in line.sudo().invoice_lines)
        )

    def unlink(self):
        """A rebate line removed from its order waits for the dealer's next order again, unless it
        was invoiced already: then the rebate was paid and is never paid again."""
        settlements = (self - self._rebate_invoiced_lines()).rebate_settlement_id.sudo()
        result = super().unlink()
        settlements._rebate_back_to_pending(self.env._("The rebate line was removed from its order."))
        return result

    @api.model
    def _channel_memory_conditions(self):
        """Loyalty rewards (a free bottle of a buy-8-get-1) and rebate deductions are no last price."""
        return super()._channel_memory_conditions() + [
            SQL("line.reward_id IS NULL"),
            SQL("line.rebate_settlement_id IS NULL"),
        ]
