from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestInspection(ChannelPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["channel.price.floor"].create([
            {"product_id": cls.product_lot.id, "floor_type": "retail", "min_price": 450.0},
            {"product_id": cls.product_lot.id, "floor_type": "distributor", "min_price": 400.0},
            {"product_id": cls.product_tea.id, "floor_type": "retail", "min_price": 90.0},
        ])
        cls.lot_hz = cls._deliver_lot(cls.dealer_hz, cls.product_lot, "LOT-HZ-001")

    def test_cross_territory_and_price(self):
        inspection = self._create_inspection(
            self.territory_nj, [(self.product_lot, 420.0, {"lot_id": self.lot_hz.id})], partner=self.retailer_nj
        )
        violations = inspection.action_done()
        self.assertEqual(inspection.state, "done")
        self.assertEqual(sorted(violations.mapped("violation_type")), ["cross_territory", "price"])
        for violation in violations:
            self.assertEqual(violation.partner_id, self.dealer_hz)
            self.assertEqual(violation.territory_id, self.territory_nj)
            self.assertEqual(violation.lot_id, self.lot_hz)
            self.assertEqual(violation.state, "draft")
            self.assertEqual(violation.inspection_id, inspection)
        price = violations.filtered(lambda v: v.violation_type == "price")
        self.assertAlmostEqual(price.floor_price, 450.0)
        self.assertAlmostEqual(price.observed_price, 420.0)
        self.assertEqual(inspection.line_ids.delivered_partner_id, self.dealer_hz)
        self.assertEqual(inspection.violation_count, 2)

    def test_own_territory_no_cross_territory(self):
        # found in Hangzhou: its own territory; found in the whole of Zhejiang: Hangzhou does not cover it
        inspection = self._create_inspection(
            self.territory_hz, [(self.product_lot, 460.0, {"lot_id": self.lot_hz.id})]
        )
        self.assertFalse(inspection.action_done())
        inspection = self._create_inspection(
            self.territory_zj, [(self.product_lot, 460.0, {"lot_id": self.lot_hz.id})]
        )
        violations = inspection.action_done()
        self.assertEqual(violations.violation_type, "cross_territory")

    def test_price_offender_from_outlet_chain(self):
        inspection = self._create_inspection(
            self.territory_nj, [(self.product_tea, 80.0, {})], partner=self.retailer_nj
        )
        violations = inspection.action_done()
        self.assertEqual(violations.violation_type, "price")
        self.assertEqual(violations.partner_id, self.dealer_nj)

    def test_price_offender_unknown(self):
        inspection = self._create_inspection(self.territory_nj, [(self.product_tea, 80.0, {})])
        violations = inspection.action_done()
        self.assertEqual(violations.violation_type, "price")
        self.assertFalse(violations.partner_id)
        with self.assertRaises(UserError):
            violations.action_confirm()
        violations.partner_id = self.dealer_nj
        violations.action_confirm()
        self.assertEqual(violations.state, "confirmed")

    def test_floor_type_of_line(self):
        inspection = self._create_inspection(
            self.territory_hz,
            [
                (self.product_lot, 420.0, {"lot_id": self.lot_hz.id, "floor_type": "distributor"}),
                (self.product_lot, 440.0, {"lot_id": self.lot_hz.id}),
            ],
        )
        self.assertEqual(inspection.line_ids[1].floor_type, "retail")
        violations = inspection.action_done()
        self.assertEqual(len(violations), 1)
        self.assertAlmostEqual(violations.floor_price, 450.0)
        self.assertEqual(violations.inspection_line_id, inspection.line_ids[1])

    def test_no_floor_no_violation(self):
        inspection = self._create_inspection(self.territory_nj, [(self.product_water, 0.5, {})])
        self.assertFalse(inspection.action_done())

    def test_undelivered_lot(self):
        lot = self.env["stock.lot"].create({"name": "LOT-NEVER", "product_id": self.product_lot.id})
        inspection = self._create_inspection(
            self.territory_nj, [(self.product_lot, 300.0, {"lot_id": lot.id})], partner=self.retailer_nj
        )
        violations = inspection.action_done()
        self.assertEqual(violations.violation_type, "price")
        self.assertEqual(violations.partner_id, self.dealer_nj)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._create_inspection(self.territory_nj, [(self.product_tea, -1.0, {})])
        self.assertFalse(self.env["channel.inspection"].search([("territory_id", "=", self.territory_nj.id)]))
        inspection = self._create_inspection(self.territory_nj, [(self.product_tea, 80.0, {})])
        inspection.action_done()
        with self.assertRaises(UserError):
            inspection.action_done()
        self.assertEqual(len(inspection.violation_ids), 1)
        with self.assertRaises(UserError):
            inspection.unlink()
        with self.assertRaises(ValidationError):
            self._create_inspection(self.territory_nj, [(self.product_tea, 80.0, {"lot_id": self.lot_hz.id})])

    def test_batch_done(self):
        first = self._create_inspection(self.territory_nj, [(self.product_tea, 80.0, {})], partner=self.retailer_nj)
        second = self._create_inspection(
            self.territory_js, [(self.product_lot, 500.0, {"lot_id": self.lot_hz.id})]
        )
        violations = (first | second).action_done()
        self.assertEqual(len(violations), 2)
        self.assertEqual(set((first | second).mapped("state")), {"done"})

    def test_inspection_form(self):
        with Form(self.env["channel.inspection"]) as form:
            form.territory_id = self.territory_nj
            form.partner_id = self.retailer_nj
            with form.line_ids.new() as line:
                line.product_id = self.product_lot
                line.lot_id = self.lot_hz
                line.observed_price = 440.0
                self.assertEqual(line.floor_type, "retail")
        inspection = form.record
        self.assertTrue(inspection.name.startswith("INSP/"))
        self.assertEqual(inspection.user_id, self.env.user)
        violations = inspection.action_done()
        self.assertEqual(sorted(violations.mapped("violation_type")), ["cross_territory", "price"])
        action = inspection.action_view_violations()
        self.assertEqual(self.env["channel.violation"].search(action["domain"]), violations)

    def test_lot_split_between_dealers(self):
        """A lot delivered to a Hangzhou and then a Nanjing dealer, found in Nanjing: no cross-territory."""
        lot = self._deliver_lot(self.dealer_hz, self.product_lot, "LOT-SPLIT")
        self._deliver_more(lot, self.dealer_nj)
        inspection = self._create_inspection(self.territory_nj, [(self.product_lot, 440.0, {"lot_id": lot.id})])
        violations = inspection.action_done()
        self.assertEqual(violations.violation_type, "price")
        self.assertEqual(violations.partner_id, self.dealer_nj)
        # found in Zhejiang: Hangzhou's delivery does not cover the province, the latest (Nanjing) answers
        inspection = self._create_inspection(self.territory_zj, [(self.product_lot, 460.0, {"lot_id": lot.id})])
        violations = inspection.action_done()
        self.assertEqual(violations.violation_type, "cross_territory")
        self.assertEqual(violations.partner_id, self.dealer_nj)

    def _deliver_more(self, lot, partner):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(lot.product_id, warehouse.lot_stock_id, 5.0, lot_id=lot)
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create({
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": partner.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [Command.create({
                "name": lot.product_id.name,
                "product_id": lot.product_id.id,
                "product_uom_qty": 5.0,
                "product_uom": lot.product_id.uom_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
            })],
        })
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, lot)
