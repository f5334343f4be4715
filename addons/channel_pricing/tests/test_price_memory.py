from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestPriceMemory(ChannelPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Gold pricelist gives 80.0 for tea; the dealer last paid 75 with 4 % discount = 72.0 net
        cls.past_order = cls._create_order(
            cls.dealer_hz, [(cls.product_tea, 5, {"price_unit": 75.0, "discount": 4.0})], confirm=True,
            date_order=fields.Datetime.now() - timedelta(days=10),
        )

    def _other_currency(self):
        """A second currency worth half the company currency (rate 2)."""
        return self.env["res.currency"].create({
            "name": "TPX",
            "symbol": "¤",
            "rate_ids": [fields.Command.create({"rate": 2.0, "name": "2000-01-01"})],
        })

    def test_memory_price_on_new_line(self):
        order = self._create_order(self.dealer_hz, [(self.product_tea, 2, {}), (self.product_water, 1, {})])
        tea, water = order.order_line
        self.assertAlmostEqual(tea.price_unit, 72.0)
        self.assertEqual(tea.discount, 0.0)
        self.assertEqual(tea.channel_price_origin, "memory")
        self.assertEqual(tea.channel_memory_line_id, self.past_order.order_line)
        self.assertIn(self.past_order.name, tea.channel_price_source)
        self.assertTrue(tea.channel_price_source.startswith("last price of "))
        # no memory for water: pricelist price
        self.assertAlmostEqual(water.price_unit, 8.0)
        self.assertEqual(water.channel_price_source, "tier pricelist")

    def test_memory_skips_free_and_fully_discounted_lines(self):
        """A later free line (price 0) or a line at a 100 % discount is no last price."""
        self._create_order(
            self.dealer_hz, [(self.product_tea, 1, {"price_unit": 0.0})], confirm=True,
            date_order=fields.Datetime.now() - timedelta(days=3),
        )
        self._create_order(
            self.dealer_hz, [(self.product_tea, 1, {"price_unit": 75.0, "discount": 100.0})], confirm=True,
            date_order=fields.Datetime.now() - timedelta(days=2),
        )
        order = self._create_order(self.dealer_hz, [(self.product_tea, 2, {})])
        self.assertAlmostEqual(order.order_line.price_unit, 72.0)
        self.assertEqual(order.order_line.channel_memory_line_id, self.past_order.order_line)

    def test_memory_conditions_hook(self):
        conditions = self.env["sale.order.line"]._channel_memory_conditions()
        self.assertTrue(conditions)

    def test_memory_price_in_form(self):
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.dealer_hz
            with order_form.order_line.new() as line:
                line.product_id = self.product_tea
                self.assertAlmostEqual(line.price_unit, 72.0)
        self.assertAlmostEqual(order_form.record.order_line.price_unit, 72.0)

    def test_channel_price_get_memory(self):
        prices = self.dealer_hz._channel_price_get(self.product_tea | self.product_water)
        self.assertAlmostEqual(prices[self.product_tea.id]["price"], 72.0)
        self.assertEqual(prices[self.product_tea.id]["order_line_id"], self.past_order.order_line.id)
        self.assertIn(self.past_order.name, prices[self.product_tea.id]["source"])
        self.assertAlmostEqual(prices[self.product_water.id]["price"], 8.0)
        self.assertFalse(prices[self.product_water.id]["order_line_id"])

    def test_latest_line_wins(self):
        newer = self._create_order(
            self.dealer_hz, [(self.product_tea, 1, {"price_unit": 70.0})], confirm=True,
            date_order=fields.Datetime.now() - timedelta(days=2),
        )
        prices = self.dealer_hz._channel_price_get(self.product_tea)
        self.assertEqual(prices[self.product_tea.id]["order_line_id"], newer.order_line.id)
        self.assertAlmostEqual(prices[self.product_tea.id]["price"], 70.0)

    def test_memory_period(self):
        self.tier_gold.price_memory_days = 5
        order = self._create_order(self.dealer_hz, [(self.product_tea, 1, {})])
        self.assertAlmostEqual(order.order_line.price_unit, 80.0)
        self.assertEqual(order.order_line.channel_price_origin, "pricelist")

    def test_memory_off(self):
        self.tier_gold.price_memory = False
        order = self._create_order(self.dealer_hz, [(self.product_tea, 1, {})])
        self.assertAlmostEqual(order.order_line.price_unit, 80.0)
        self.assertFalse(order.order_line.channel_memory_line_id)

    def test_only_confirmed_orders(self):
        draft = self._create_order(self.dealer_hz, [(self.product_water, 1, {"price_unit": 5.0})])
        self.assertEqual(draft.state, "draft")
        cancelled = self._create_order(self.dealer_hz, [(self.product_water, 1, {"price_unit": 6.0})], confirm=True)
        cancelled._action_cancel()
        prices = self.dealer_hz._channel_price_get(self.product_water)
        self.assertAlmostEqual(prices[self.product_water.id]["price"], 8.0)

    def test_same_commercial_partner_only(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.dealer_hz.id})
        order = self._create_order(contact, [(self.product_tea, 1, {})])
        self.assertAlmostEqual(order.order_line.price_unit, 72.0)
        # another dealer of the same tier does not inherit this dealer's price
        other = self.env["res.partner"].create({
            "name": "Other Gold Dealer", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": self.tier_gold.id,
        })
        order = self._create_order(other, [(self.product_tea, 1, {})])
        self.assertAlmostEqual(order.order_line.price_unit, 80.0)

    def test_memory_other_uom(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self._create_order(self.dealer_hz, [(self.product_tea, 1, {"product_uom": dozen.id})])
        self.assertAlmostEqual(order.order_line.price_unit, 72.0 * 12)
        self.assertEqual(order.order_line.channel_price_origin, "memory")

    def test_memory_other_currency_ignored(self):
        other_currency = self._other_currency()
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": other_currency.id})
        order = self.env["sale.order"].create({
            "partner_id": self.dealer_hz.id,
            "pricelist_id": pricelist.id,
            "order_line": [fields.Command.create({"product_id": self.product_tea.id})],
        })
        self.assertEqual(order.currency_id, other_currency)
        self.assertFalse(order.order_line.channel_memory_line_id)
        self.assertAlmostEqual(order.order_line.price_unit, 200.0)

    def test_manual_price_is_kept(self):
        order = self._create_order(self.dealer_hz, [(self.product_tea, 1, {})])
        order.order_line.price_unit = 60.0
        self.assertEqual(order.order_line.channel_price_origin, "manual")
        order.order_line.product_uom_qty = 3
        self.assertAlmostEqual(order.order_line.price_unit, 60.0)

    def test_update_prices_keeps_memory(self):
        order = self._create_order(self.dealer_hz, [(self.product_tea, 1, {})])
        order.order_line.price_unit = 60.0
        order.action_update_prices()
        self.assertAlmostEqual(order.order_line.price_unit, 72.0)
        self.assertEqual(order.order_line.discount, 0.0)

    def test_memory_one_query_for_many_products(self):
        products = self.env["product.product"].create([
            {"name": f"Bulk {i}", "list_price": 10.0 + i, "taxes_id": False} for i in range(30)
        ])
        self._create_order(self.dealer_hz, [(p, 1, {"price_unit": 5.0}) for p in products], confirm=True)
        self.env.invalidate_all()
        self.env.flush_all()
        queries_before = self.env.cr.sql_log_count
        memory = self.dealer_hz._channel_memory_price_get(products)
        self.assertEqual(len(memory), 30)
        self.assertLessEqual(self.env.cr.sql_log_count - queries_before, 10)
        for values in memory.values():
            self.assertAlmostEqual(values["price"], 5.0)

    def test_memory_days_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self.tier_gold.price_memory_days = 0

    def test_channel_price_get_date(self):
        # priced 30 days ago: the order of 10 days ago was not there yet
        prices = self.dealer_hz._channel_price_get(self.product_tea, date=fields.Datetime.now() - timedelta(days=30))
        self.assertAlmostEqual(prices[self.product_tea.id]["price"], 80.0)
        self.assertEqual(prices[self.product_tea.id]["source"], "tier pricelist")

    def test_order_currency_change_after_memory(self):
        other_currency = self._other_currency()
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": other_currency.id})
        order = self._create_order(self.dealer_hz, [(self.product_tea, 1, {})])
        self.assertEqual(order.order_line.channel_price_origin, "memory")
        order.pricelist_id = pricelist
        self.assertEqual(order.order_line.channel_price_origin, "manual")
        order.action_update_prices()
        self.assertFalse(order.order_line.channel_memory_line_id)
        self.assertEqual(order.order_line.channel_price_origin, "pricelist")
