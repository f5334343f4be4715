from datetime import date

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.channel_target import split_total
from .common import JointMarketingCommon


@tagged("post_install", "-at_install")
class TestTargetDecomposition(JointMarketingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Last year (2024): dealer A bought 3000 (30 units) in January and 1000 (10) in March,
        # dealer D 1000 (10) in June; a credit note of 500 (5) for A in March.
        cls._invoice(cls.dealer_a, 3000.0, invoice_date=date(2024, 1, 15), qty=30)
        cls._invoice(cls.dealer_a, 1500.0, invoice_date=date(2024, 3, 15), qty=15)
        cls._refund(cls.dealer_a, 500.0, invoice_date=date(2024, 3, 20), qty=5)
        cls._invoice(cls.dealer_d, 1000.0, invoice_date=date(2024, 6, 15), qty=10)
        cls.root = cls.env["channel.target"].create({
            "territory_id": cls.territory_hz.id, "year": 2025, "target_amount": 10000.0, "target_qty": 100.0,
        })

    def test_split_total(self):
        self.assertEqual(split_total(100.0, [1, 1, 1], 2), [33.34, 33.33, 33.33])
        self.assertEqual(split_total(1000.0, [1, 2, 3], 2), [166.67, 333.33, 500.0])
        self.assertEqual(split_total(10.0, [0, 0], 0), [5.0, 5.0])
        self.assertEqual(split_total(7.0, [1, 5, 1], 0), [1.0, 5.0, 1.0])
        self.assertEqual(split_total(1.0, [1, 1, 1], 0), [1.0, 0.0, 0.0])
        self.assertEqual(sum(split_total(999.99, [3, 7, 11, 13], 2)), 999.99)

    def test_partners_by_share(self):
        dealers = self.root._decompose_partners("share")
        self.assertEqual(dealers.mapped("partner_id"), (self.dealer_a | self.dealer_d).sorted("name"))
        by_partner = {node.partner_id: node for node in dealers}
        # A: 4000 of 5000 last year, 40 of 50 units.
        self.assertEqual(by_partner[self.dealer_a].target_amount, 8000.0)
        self.assertEqual(by_partner[self.dealer_d].target_amount, 2000.0)
        self.assertEqual(by_partner[self.dealer_a].target_qty, 80.0)
        self.assertEqual(by_partner[self.dealer_d].target_qty, 20.0)
        self.assertEqual(set(dealers.mapped("level")), {"dealer"})
        self.assertEqual(self.root.child_ids, dealers)

    def test_partners_equal_remainder_to_largest(self):
        self.root.write({"target_amount": 100.0, "target_qty": 10.0})
        dealers = self.root._decompose_partners("equal")
        node_a = dealers.filtered(lambda n: n.partner_id == self.dealer_a)
        distributors = node_a._decompose_partners("equal")
        self.assertEqual(len(distributors), 3)
        self.assertEqual(sorted(distributors.mapped("target_amount")), [16.66, 16.67, 16.67])
        self.assertAlmostEqual(sum(distributors.mapped("target_amount")), node_a.target_amount, places=6)
        self.assertAlmostEqual(sum(distributors.mapped("target_qty")), node_a.target_qty, places=6)
        self.assertEqual(set(distributors.mapped("level")), {"distributor"})
        with self.assertRaises(UserError):
            distributors[0]._decompose_partners("equal")

    def test_uneven_equal_split(self):
        self.root.write({"target_amount": 100.0, "target_qty": 1.0})
        dealers = self.root._decompose_partners("equal")
        node_a = dealers.filtered(lambda n: n.partner_id == self.dealer_a)
        self.assertEqual(node_a.target_amount, 50.0)
        node_a.write({"target_amount": 100.0})
        distributors = node_a._decompose_partners("equal")
        self.assertEqual(distributors.mapped("target_amount"), [33.34, 33.33, 33.33])
        self.assertAlmostEqual(sum(distributors.mapped("target_amount")), 100.0, places=6)

    def test_months_by_pattern(self):
        dealers = self.root._decompose_partners("share")
        node_a = dealers.filtered(lambda n: n.partner_id == self.dealer_a)
        months = node_a._decompose_months("pattern")
        self.assertEqual(months.mapped("month"), list(range(1, 13)))
        amounts = {node.month: node.target_amount for node in months}
        # January 3000, March 1500 - 500 = 1000 of 4000: 6000 / 2000.
        self.assertEqual(amounts[1], 6000.0)
        self.assertEqual(amounts[3], 2000.0)
        self.assertEqual(sum(amounts.values()), 8000.0)
        qties = {node.month: node.target_qty for node in months}
        self.assertEqual(qties[1], 60.0)
        self.assertEqual(qties[3], 20.0)
        self.assertEqual(node_a.month_ids, months)
        self.assertFalse(node_a.child_ids)

    def test_months_equal_remainder(self):
        self.root.write({"target_amount": 1000.0, "target_qty": 100.0})
        months = self.root._decompose_months("equal")
        self.assertEqual(months[0].target_amount, 83.37)
        self.assertEqual(set(months[1:].mapped("target_amount")), {83.33})
        self.assertAlmostEqual(sum(months.mapped("target_amount")), 1000.0, places=6)
        self.assertAlmostEqual(sum(months.mapped("target_qty")), 100.0, places=6)
        with self.assertRaises(UserError):
            months[0]._decompose_months("equal")

    def test_hand_edits_keep_sums(self):
        dealers = self.root._decompose_partners("share")
        node_a = dealers.filtered(lambda n: n.partner_id == self.dealer_a)
        node_d = dealers - node_a
        months = node_a._decompose_months("equal")
        # A month edited by hand: the largest other month takes the difference.
        months.filtered(lambda n: n.month == 5).target_amount += 100.0
        self.assertAlmostEqual(sum(node_a.month_ids.mapped("target_amount")), 8000.0, places=6)
        # A dealer edited by hand: its sibling takes the difference, its months are rescaled.
        node_a.target_amount = 9000.0
        self.assertEqual(node_d.target_amount, 1000.0)
        self.assertAlmostEqual(sum(node_a.month_ids.mapped("target_amount")), 9000.0, places=6)
        # The parent changed: children rescaled in proportion, down to the months.
        self.root.write({"target_amount": 20000.0, "target_qty": 200.0})
        self.assertEqual(node_a.target_amount, 18000.0)
        self.assertEqual(node_d.target_amount, 2000.0)
        self.assertAlmostEqual(sum(node_a.month_ids.mapped("target_amount")), 18000.0, places=6)
        self.assertAlmostEqual(sum((node_a | node_d).mapped("target_qty")), 200.0, places=6)
        with self.assertRaises(ValidationError):
            node_a.target_amount = 25000.0  # the sibling would become negative

    def test_wizard_cascade(self):
        wizard = self.env["channel.target.decompose"].with_context(
            active_model="channel.target", active_ids=self.root.ids
        ).create({"partner_method": "equal", "month_method": "equal", "cascade": True})
        wizard.action_apply()
        tree = self.env["channel.target"].search([("id", "child_of", self.root.id)])
        yearly = tree.filtered(lambda n: n.period_type == "year")
        self.assertEqual(len(yearly), 1 + 2 + 3)  # root, two dealers, A's three distributors
        self.assertEqual(len(tree - yearly), 12 * len(yearly))
        for node in yearly:
            self.assertAlmostEqual(sum(node.month_ids.mapped("target_amount")), node.target_amount, places=6)
            if node.child_ids:
                self.assertAlmostEqual(sum(node.child_ids.mapped("target_amount")), node.target_amount, places=6)
                self.assertAlmostEqual(sum(node.child_ids.mapped("target_qty")), node.target_qty, places=6)


@tagged("post_install", "-at_install")
class TestTargetProgress(JointMarketingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.dealer_a, 1000.0, invoice_date=date(2025, 1, 10), qty=10)
        cls._invoice(cls.dealer_a, 500.0, invoice_date=date(2025, 2, 10), qty=5)
        cls._refund(cls.dealer_a, 200.0, invoice_date=date(2025, 2, 20), qty=2)
        cls._invoice(cls.dealer_a, 300.0, invoice_date=date(2025, 2, 21), qty=30, product=cls.product_other)
        cls._invoice(cls.dealer_a, 9999.0, invoice_date=date(2025, 2, 22), post=False)  # draft: ignored
        cls._invoice(cls.dealer_a, 8888.0, invoice_date=date(2026, 1, 5))  # next year: ignored
        cls._invoice(cls.dealer_d, 700.0, invoice_date=date(2025, 3, 1), qty=7)
        cls._invoice(cls.distributor_a1, 400.0, invoice_date=date(2025, 2, 1), qty=4)
        cls._invoice(cls.dealer_c, 5000.0, invoice_date=date(2025, 2, 1), qty=50)  # Jiangsu
        Target = cls.env["channel.target"]
        cls.root = Target.create({
            "territory_id": cls.territory_hz.id, "year": 2025, "target_amount": 12000.0, "target_qty": 1200.0,
        })
        wizard = cls.env["channel.target.decompose"].create({
            "target_ids": [(6, 0, cls.root.ids)], "partner_method": "equal", "month_method": "equal", "cascade": True,
        })
        wizard.action_apply()
        cls.tree = Target.search([("id", "child_of", cls.root.id)])
        cls.drinks = Target.create({
            "territory_id": cls.territory_hz.id, "year": 2025, "categ_id": cls.categ_food.id,
            "target_amount": 6000.0, "target_qty": 120.0,
        })
        cls.drinks._decompose_partners("equal")
        cls.drinks.child_ids._decompose_months("equal")

    def _node(self, partner=None, month=0, root=None):
        root = root or self.root
        tree = self.env["channel.target"].search([("id", "child_of", root.id)])
        return tree.filtered(lambda n: n.partner_id == (partner or self.env["res.partner"]) and n.month == month)

    def test_progress_figures(self):
        self.root.action_refresh_progress()
        dealer_a = self._node(self.dealer_a)
        self.assertEqual(dealer_a.achieved_amount, 1600.0)  # 1000 + 500 - 200 + 300
        self.assertEqual(dealer_a.achieved_qty, 43.0)  # 10 + 5 - 2 + 30
        self.assertEqual(self._node(self.dealer_a, 2).achieved_amount, 600.0)
        self.assertEqual(self._node(self.dealer_a, 2).achieved_qty, 33.0)
        self.assertEqual(self._node(self.dealer_a, 1).achieved_amount, 1000.0)
        self.assertEqual(self._node(self.dealer_d).achieved_amount, 700.0)
        self.assertEqual(self._node(self.distributor_a1).achieved_amount, 400.0)
        self.assertEqual(self._node(self.distributor_a1, 2).achieved_amount, 400.0)
        # The territory: every partner of Hangzhou and below (A, D, A1), not Jiangsu.
        self.assertEqual(self.root.achieved_amount, 2700.0)
        self.assertEqual(self._node(month=2).achieved_amount, 1000.0)
        self.assertAlmostEqual(self.root.achievement_rate, 22.5)
        # Category target: drinks are under food, napkins are not.
        self.drinks.action_refresh_progress()
        self.assertEqual(self._node(self.dealer_a, root=self.drinks).achieved_amount, 1300.0)
        self.assertEqual(self._node(self.dealer_a, 2, root=self.drinks).achieved_qty, 3.0)

    def test_progress_one_query_per_level(self):
        self.env.flush_all()
        nodes = self.tree.filtered(lambda n: n.level == "dealer")
        nodes.mapped("level")
        with self.assertQueryCount(1):
            values = nodes._get_progress_values()
        self.assertEqual(len(values), len(nodes))
        self.tree.mapped("level")
        with self.assertQueryCount(3):
            self.tree._get_progress_values()

    def test_suggestion_cap(self):
        Route = self.env["channel.delivery.route"]
        period = (date(2025, 2, 3), date(2025, 2, 10))
        caps = Route._get_suggested_target_caps(
            [
                (self.dealer_a, self.product_drink),
                (self.dealer_a, self.product_other),
                (self.dealer_c, self.product_drink),
            ],
            period,
        )
        all_february = self._node(self.dealer_a, 2)
        food_february = self._node(self.dealer_a, 2, root=self.drinks)
        # Drinks: the food target of February (10 units) minus 5 - 2 invoiced.
        self.assertEqual(food_february.target_qty, 5.0)
        self.assertEqual(caps[self.dealer_a.id, self.product_drink.id], max(food_february.target_qty - 3.0, 0.0))
        # Napkins: the all-products target of February minus everything invoiced in February (33).
        self.assertEqual(caps[self.dealer_a.id, self.product_other.id], max(all_february.target_qty - 33.0, 0.0))
        self.assertNotIn((self.dealer_c.id, self.product_drink.id), caps)
        self.assertEqual(Route._get_suggested_target_caps([], period), {})


@tagged("post_install", "-at_install")
class TestTargetCron(JointMarketingCommon):
    def test_cron_refreshes_current_year(self):
        today = fields.Date.context_today(self.env.user)
        root = self.env["channel.target"].create({
            "territory_id": self.territory_js.id, "year": today.year, "target_amount": 1000.0, "target_qty": 10.0,
        })
        dealer_node = root._decompose_partners("equal")
        self._invoice(self.dealer_c, 250.0, invoice_date=today, qty=2)
        self.env["channel.target"]._cron_update_progress(batch_size=1)
        self.assertEqual(root.achieved_amount, 250.0)
        self.assertEqual(dealer_node.achieved_qty, 2.0)
        self.assertEqual(dealer_node.achievement_rate, 25.0)
        self.assertTrue(root.progress_date)

    def test_one_root_per_territory_year_category(self):
        today = fields.Date.context_today(self.env.user)
        vals = {"territory_id": self.territory_js.id, "year": today.year, "target_amount": 10.0}
        self.env["channel.target"].create(vals)
        with self.assertRaisesRegex(ValidationError, "already has a target"):
            self.env["channel.target"].create(vals)
        self.assertTrue(self.env["channel.target"].create(dict(vals, categ_id=self.categ_food.id)))
        with self.assertRaisesRegex(ValidationError, "starts at a territory"):
            self.env["channel.target"].create(dict(vals, year=today.year + 1, partner_id=self.dealer_c.id))
