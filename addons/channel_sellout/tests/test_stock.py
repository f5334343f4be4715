from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestDealerStock(SelloutCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        dozen = cls.env["uom.uom"].search([("category_id", "=", cls.product.uom_id.category_id.id),
                                           ("uom_type", "=", "bigger")], limit=1)
        cls.dozen = dozen
        picking = cls.env["stock.picking"].create({
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": cls.dealer.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
            "move_ids": [(0, 0, {
                "name": "SO Tea", "product_id": cls.product.id, "product_uom_qty": 100.0,
                "product_uom": cls.product.uom_id.id, "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
            })] + ([(0, 0, {
                "name": "SO Tea dozens", "product_id": cls.product.id, "product_uom_qty": 2.0,
                "product_uom": dozen.id, "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
            })] if dozen else []),
        })
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        cls.received = 100.0 + (2.0 * dozen.factor_inv if dozen else 0.0)
        # 30 sold within 90 days, 20 sold long ago, 5 accepted but not delivered.
        cls._order(quantity=20.0, state="delivered", date_order=cls.today - timedelta(days=120))
        cls._order(quantity=10.0, state="delivered", date_order=cls.today - timedelta(days=10))
        cls._order(buyer=cls.buyer_2, quantity=20.0, state="received", date_order=cls.today - timedelta(days=5))
        cls._order(quantity=5.0, state="accepted")

    def _stock(self):
        self.env.flush_all()
        return self.env["channel.dealer.stock"].search(
            [("partner_id", "=", self.dealer.id), ("product_id", "=", self.product.id)])

    def test_stock_estimate_and_cover(self):
        self.env["ir.config_parameter"].sudo().set_param("channel_sellout.overstock_days", "60")
        stock = self._stock()
        self.assertEqual(len(stock), 1)
        self.assertAlmostEqual(stock.qty_received, self.received)
        self.assertAlmostEqual(stock.qty_sold, 50.0)
        self.assertAlmostEqual(stock.qty_sold_90, 30.0)
        on_hand = self.received - 50.0
        self.assertAlmostEqual(stock.qty_on_hand, on_hand)
        # 30 in 90 days: 1/3 a day.
        self.assertAlmostEqual(stock.days_of_cover, on_hand * 3.0, places=3)
        self.assertTrue(stock.overstock)
        self.assertAlmostEqual(stock.sell_through, 100.0 * 50.0 / self.received, places=3)

    def test_overstock_setting(self):
        on_hand = self.received - 50.0
        self.env["ir.config_parameter"].sudo().set_param("channel_sellout.overstock_days", str(int(on_hand * 3 + 1)))
        self.assertFalse(self._stock().overstock)

    def test_analysis_view(self):
        self.env.flush_all()
        groups = self.env["channel.sellout.report"]._read_group(
            [("seller_id", "=", self.dealer.id)], ["buyer_id"], ["quantity:sum", "amount:sum"])
        figures = {buyer: (qty, amount) for buyer, qty, amount in groups}
        self.assertEqual(figures[self.buyer], (35.0, 35.0 * 120.0))
        self.assertEqual(figures[self.buyer_2], (20.0, 20.0 * 120.0))
