from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A paid dealer order is not confirmed by its payment: it stays where its approval chain
        has it (the payment is kept and noted on the order), and the chain confirms it."""
        waiting = self.filtered(
            lambda tx: any(o.channel_dealer_id and o.state in ("draft", "sent") for o in tx.sale_order_ids)
        )
        for tx in waiting:
            for order in tx.sale_order_ids.filtered("channel_dealer_id"):
                order.message_post(
                    body=self.env._(
                        "Payment %(reference)s received: the order is still confirmed by its approval chain.",
                        reference=tx.reference,
                    )
                )
        return super(PaymentTransaction, self - waiting)._check_amount_and_confirm_order()
