"""Cross-module scenario: a tier dealer orders at its tier price, the order goes through the approval
chain and delivery, is invoiced, remembered as the dealer's last price, earns a rebate, and a confirmed
price violation is deducted from that rebate."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.channel_orders.tests.common import validate_pickings


@tagged("post_install", "-at_install")
class TestDealerLifecycle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.write({
            "channel_sales_approval": True,
            "channel_finance_approval": False,
            "channel_receipt_confirmation": True,
        })
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Lifecycle Gold prices",
            "currency_id": cls.company.currency_id.id,
            "item_ids": [
                Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10}),
            ],
        })
        cls.tier = cls.env["channel.tier"].create({
            "name": "Lifecycle Gold", "code": "LC-GOLD", "pricelist_id": cls.pricelist.id, "price_memory": True,
        })
        cls.territory = cls.env["channel.territory"].create({"name": "Lifecycle Province", "code": "LC-P"})
        cls.dealer = cls.env["res.partner"].create({
            "name": "Lifecycle Dealer", "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": cls.tier.id, "channel_territory_id": cls.territory.id,
        })
        cls.product = cls.env["product.product"].create({
            "name": "Lifecycle Green Tea", "type": "consu", "is_storable": True, "list_price": 100.0,
            "invoice_policy": "delivery", "taxes_id": [Command.clear()],
        })
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 100)
        cls.rebate_account = cls.env["account.account"].create({
            "name": "Lifecycle rebates", "code": "LC4190", "account_type": "income",
        })

    def _order(self, qty):
        return self.env["sale.order"].create({
            "partner_id": self.dealer.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty})],
        })

    def test_order_to_rebate(self):
        # The tier decides the dealer's pricelist, and so its price.
        self.assertEqual(self.dealer.property_product_pricelist, self.pricelist)
        order = self._order(10)
        self.assertAlmostEqual(order.order_line.price_unit, 90.0)

        # Approval chain: sales approval on, finance off, receipt confirmation on.
        order.action_channel_submit()
        self.assertEqual(order.channel_state, "to_sales")
        self.assertEqual(order.state, "draft")
        order.action_channel_approve()
        self.assertEqual(order.channel_state, "confirmed")
        self.assertEqual(order.state, "sale")

        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        validate_pickings(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.channel_state, "shipped")
        order.action_channel_confirm_receipt(note="2 cartons dented")
        self.assertIn(order.channel_state, ("received", "done"))

        invoice = order._create_invoices()
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_untaxed, 900.0)

        # The next order remembers the last price of the confirmed order.
        self.pricelist.item_ids.percent_price = 20
        next_order = self._order(5)
        self.assertAlmostEqual(next_order.order_line.price_unit, 90.0)
        self.assertIn(order.name, next_order.order_line.channel_price_source)

        # A confirmed price violation of the dealer is deducted from its rebate.
        violation = self.env["channel.violation"].create({
            "violation_type": "price", "partner_id": self.dealer.id, "product_id": self.product.id,
            "territory_id": self.territory.id, "penalty_amount": 5.0,
        })
        violation.action_confirm()
        self.assertEqual(self.dealer._channel_get_undeducted_violations(), violation)

        today = fields.Date.context_today(self.env["rebate.policy"])
        policy = self.env["rebate.policy"].create({
            "name": "Lifecycle 2 % on everything",
            "date_start": today - timedelta(days=400),
            "date_end": today + timedelta(days=400),
            "period": "year",
            "tier_ids": [Command.set(self.tier.ids)],
            "computation": "flat",
            "rate": 2.0,
            "deduct_penalties": True,
            "settle_as": "credit_note",
            "account_id": self.rebate_account.id,
        })
        policy.action_activate()
        settlement = policy._generate_settlements(today).filtered(lambda s: s.partner_id == self.dealer)
        self.assertEqual(len(settlement), 1)
        self.assertAlmostEqual(settlement.base_amount, 900.0)
        self.assertAlmostEqual(settlement.gross_amount, 18.0)

        settlement.action_settle()
        self.assertEqual(settlement.state, "settled")
        self.assertAlmostEqual(settlement.deduction_amount, 5.0)
        self.assertAlmostEqual(settlement.net_amount, 13.0)
        self.assertEqual(settlement.move_id.move_type, "out_refund")
        self.assertAlmostEqual(settlement.move_id.amount_untaxed, 13.0)
        self.assertEqual(violation.state, "penalized")
        self.assertFalse(self.dealer._channel_get_undeducted_violations())

        # Settling again creates nothing more.
        credit_note = settlement.move_id
        settlement.action_settle()
        self.assertEqual(settlement.move_id, credit_note)
        refunds = self.env["account.move"].search([
            ("partner_id", "=", self.dealer.id), ("move_type", "=", "out_refund"),
        ])
        self.assertEqual(refunds, credit_note)
