from odoo import Command
from odoo.tests import tagged

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestLoyaltyChannelScope(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.product_drink.lst_price = 100.0
        # A pricelist without rules: the dealers pay the list price whatever the database's
        # default pricelist (demo ones have discounts).
        plain = cls.env["product.pricelist"].create({"name": "RB list prices", "currency_id": cls.currency.id})
        (cls.dealer_a | cls.dealer_b | cls.dealer_c).property_product_pricelist = plain

        def program(name, **vals):
            values = {
                "name": name,
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "rule_ids": [
                    Command.create({"minimum_qty": 8, "reward_point_mode": "order", "reward_point_amount": 1})
                ],
                "reward_ids": [Command.create({
                    "reward_type": "discount", "discount": 10, "discount_mode": "percent",
                    "discount_applicability": "order", "required_points": 1,
                })],
            }
            values.update(vals)
            return cls.env["loyalty.program"].create(values)

        cls.program_gold = program("Gold only", channel_tier_ids=[Command.set(cls.tier_gold.ids)])
        cls.program_zj = program(
            "Zhejiang only", channel_territory_ids=[Command.set(cls.territory_zj.ids)], active=False
        )
        cls.program_code = program(
            "Gold code", program_type="promo_code", trigger="with_code",
            rule_ids=[Command.create({"mode": "with_code", "code": "GOLD8", "minimum_qty": 0})],
            channel_tier_ids=[Command.set(cls.tier_gold.ids)],
        )

    def _order(self, partner, qty=8):
        return self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": self.product_drink.id, "product_uom_qty": qty})],
        })

    def _apply_auto(self, order):
        order._update_programs_and_rewards()
        for coupon, rewards in order._get_claimable_rewards().items():
            for reward in rewards:
                order._apply_program_reward(reward, coupon)
        return order

    def test_tier_program_applies_to_its_tier(self):
        order = self._apply_auto(self._order(self.dealer_a_contact))
        self.assertIn(self.program_gold, order.order_line.reward_id.program_id)
        self.assertAlmostEqual(order.amount_untaxed, 720)

    def test_tier_program_refused_for_another_tier(self):
        order = self._apply_auto(self._order(self.dealer_b))
        self.assertFalse(order.order_line.reward_id)
        self.assertAlmostEqual(order.amount_untaxed, 800)
        result = order._try_apply_program(self.program_gold)
        self.assertIn("error", result)
        self.assertIn("error", order._try_apply_code("GOLD8"))
        reward = self.program_gold.reward_ids
        self.assertIn("error", order._apply_program_reward(reward, self.env["loyalty.card"]))

    def test_code_program_for_its_tier(self):
        order = self._order(self.dealer_c)
        result = order._try_apply_code("GOLD8")
        self.assertNotIn("error", result)

    def test_territory_program_includes_sub_territories(self):
        self.program_gold.active = False
        self.program_zj.active = True
        in_hz = self._apply_auto(self._order(self.dealer_a))
        self.assertIn(self.program_zj, in_hz.order_line.reward_id.program_id)
        in_js = self._apply_auto(self._order(self.dealer_c))
        self.assertFalse(in_js.order_line.reward_id)

    def test_changing_customer_drops_the_program(self):
        order = self._apply_auto(self._order(self.dealer_a))
        self.assertTrue(order.order_line.reward_id)
        order.partner_id = self.dealer_b
        order._update_programs_and_rewards()
        self.assertFalse(order.order_line.reward_id)

    def test_portal_cart_promotions_follow_the_tier(self):
        gold_cart = self._order(self.dealer_a, qty=1)
        gold_cart._channel_set_quantities({self.product_drink: 8})
        self.assertIn(self.program_gold, gold_cart.order_line.reward_id.program_id)
        self.assertAlmostEqual(gold_cart.amount_untaxed, 720)
        # Repricing keeps the discount; changing quantities recomputes it.
        gold_cart._channel_apply_prices()
        self.assertAlmostEqual(gold_cart.amount_untaxed, 720)
        gold_cart._channel_set_quantities({self.product_drink: 10})
        self.assertAlmostEqual(gold_cart.amount_untaxed, 900)
        self.assertEqual(len(gold_cart.order_line.filtered("reward_id")), 1)
        silver_cart = self._order(self.dealer_b, qty=1)
        silver_cart._channel_set_quantities({self.product_drink: 8})
        self.assertFalse(silver_cart.order_line.reward_id)
        self.assertAlmostEqual(silver_cart.amount_untaxed, 800)
