from odoo import api, fields, models
from odoo.osv import expression


class SaleOrder(models.Model):
    _inherit = "sale.order"

    rebate_settlement_ids = fields.One2many(
        "rebate.settlement", compute="_compute_rebate_settlement_ids", string="Rebates Deducted"
    )

    def _compute_rebate_settlement_ids(self):
        for order in self:
            order.rebate_settlement_ids = order.order_line.rebate_settlement_id

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        if not self.env.context.get("rebate_skip_pending"):
            self.env["rebate.settlement"]._apply_pending_to_orders(orders)
        return orders

    def _action_cancel(self):
        # A rebate line already invoiced was paid: it stays on the cancelled order and its settlement
        # stays settled. A rebate line not invoiced yet goes to the dealer's next order instead.
        rebate_lines = self.order_line.filtered("rebate_settlement_id")
        invoiced = rebate_lines._rebate_invoiced_lines()
        result = super()._action_cancel()
        (rebate_lines - invoiced).sudo().unlink()
        return result

    # ------------------------------------------------------------------
    # Channel orders: the portal never reprices nor changes a rebate line
    # ------------------------------------------------------------------
    def _channel_apply_prices(self):
        # Rebate and promotion lines keep their own price: channel prices are for the goods ordered.
        kept = {
            line: (line.price_unit, line.discount)
            for line in self.order_line.filtered(lambda line: line.rebate_settlement_id or line.reward_id)
        }
        result = super()._channel_apply_prices()
        for line, (price, discount) in kept.items():
            if line.exists() and (line.price_unit != price or line.discount != discount):
                line.write({"price_unit": price, "technical_price_unit": price, "discount": discount})
        return result

    def _channel_set_quantities(self, quantities):
        """Portal cart: promotion lines are recomputed from the new quantities, rebate lines stay."""
        self.order_line.filtered("reward_id").unlink()
        rebate_products = self.order_line.filtered("rebate_settlement_id").product_id
        result = super()._channel_set_quantities(
            {product: qty for product, qty in quantities.items() if product not in rebate_products}
        )
        self._rebate_apply_promotions()
        return result

    def _rebate_apply_promotions(self):
        """Apply the automatic promotions open to the dealer's tier and territory, as the shop does."""
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            order._update_programs_and_rewards()
            if not (order.coupon_point_ids or order.applied_coupon_ids or order.order_line.coupon_id):
                # No coupon, no claimable reward (and no discountable amount to compute for nothing).
                continue
            for coupon, rewards in order._get_claimable_rewards().items():
                program = coupon.program_id
                if (
                    program.trigger != "auto"
                    or program.is_nominative
                    or len(program.reward_ids) != 1
                    or rewards in order.order_line.reward_id
                    or (rewards.reward_type == "product" and rewards.multi_product)
                ):
                    continue
                order._apply_program_reward(rewards, coupon)
        return True

    # ------------------------------------------------------------------
    # Loyalty programs restricted to dealer tiers and territories
    # ------------------------------------------------------------------
    def _get_program_domain(self):
        domain = super()._get_program_domain()
        return expression.AND([domain, self.env["loyalty.program"]._channel_program_domain(self.partner_id)])

    def _get_trigger_domain(self):
        domain = super()._get_trigger_domain()
        program_domain = self.env["loyalty.program"]._channel_program_domain(self.partner_id)
        return expression.AND([domain, [("program_id", "any", program_domain)]])

    def _program_check_compute_points(self, programs):
        allowed = programs._channel_allows(self.partner_id)
        result = super()._program_check_compute_points(allowed)
        for program in programs - allowed:
            result[program] = {"error": self.env._("This promotion is not available to your dealer tier or territory.")}
        return result

    def _get_claimable_rewards(self, forced_coupons=None):
        result = super()._get_claimable_rewards(forced_coupons=forced_coupons)
        programs = self.env["loyalty.program"].browse([coupon.program_id.id for coupon in result])
        refused = programs - programs._channel_allows(self.partner_id)
        for coupon in [c for c in result if c.program_id in refused]:
            del result[coupon]
        return result

    def _apply_program_reward(self, reward, coupon, **kwargs):
        self.ensure_one()
        if not reward.program_id._channel_allows(self.partner_id):
            return {"error": self.env._("This promotion is not available to your dealer tier or territory.")}
        return super()._apply_program_reward(reward, coupon, **kwargs)
