from odoo import Command
from odoo.tests import tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestPriceMemoryRewards(RebateCommon):
    """The last-price memory never learns from a free bottle of a buy-8-get-1 promotion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.tier_gold.write({"price_memory": True, "price_memory_days": 180})
        cls.product_drink.lst_price = 100.0
        cls.program = cls.env["loyalty.program"].create({
            "name": "Buy 8 get 1",
            "program_type": "buy_x_get_y",
            "trigger": "auto",
            "applies_on": "current",
            "rule_ids": [Command.create({
                "product_ids": [Command.set(cls.product_drink.ids)],
                "minimum_qty": 8, "reward_point_mode": "unit", "reward_point_amount": 1,
            })],
            "reward_ids": [Command.create({
                "reward_type": "product", "reward_product_id": cls.product_drink.id,
                "reward_product_qty": 1, "required_points": 8,
            })],
        })

    def _order(self, qty):
        return self.env["sale.order"].create({
            "partner_id": self.dealer_a.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": qty})],
        })

    def test_next_order_at_real_last_price(self):
        first = self._order(8)
        first._update_programs_and_rewards()
        for coupon, rewards in first._get_claimable_rewards().items():
            for reward in rewards:
                first._apply_program_reward(reward, coupon)
        reward_line = first.order_line.filtered("reward_id")
        paid_line = first.order_line - reward_line
        self.assertTrue(reward_line, "the free bottle is on the order")
        self.assertEqual(reward_line.product_id, self.product_drink)
        paid_price = paid_line.price_unit
        self.assertGreater(paid_price, 0)
        first.action_confirm()  # superuser: data set up directly
        self.assertEqual(first.state, "sale")

        self.program.active = False
        second = self._order(4)
        self.assertEqual(second.order_line.channel_memory_line_id, paid_line)
        self.assertAlmostEqual(second.order_line.price_unit, paid_price)
        self.assertNotEqual(second.order_line.price_unit, 0.0)

    def test_reward_and_rebate_lines_excluded_in_hook(self):
        sql = " ".join(str(c.code) for c in self.env["sale.order.line"]._channel_memory_conditions())
        self.assertIn("reward_id IS NULL", sql)
        self.assertIn("rebate_settlement_id IS NULL", sql)
