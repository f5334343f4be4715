from odoo import Command
from odoo.tests import tagged

from .common import ChannelPresaleCommon

# What the plain ORM computes on a new order line and the route day must give the same.
LINE_FIELDS = (
    "name",
    "product_uom",
    "tax_id",
    "price_unit",
    "technical_price_unit",
    "discount",
    "price_subtotal",
    "price_tax",
    "price_total",
    "customer_lead",
    "product_packaging_id",
    "product_packaging_qty",
    "analytic_distribution",
    "channel_memory_line_id",
    "channel_price_origin",
    "channel_price_source",
)


@tagged("post_install", "-at_install")
class TestSuggestedOrderValues(ChannelPresaleCommon):
    """Suggested orders are created with precomputed line values (one computation per product): their
    lines and amounts are those of an order created the plain way with the same products and quantities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create(
            {"name": "Suggest VAT 13", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.product_case.write(
            {"taxes_id": [Command.set(cls.tax.ids)], "sale_delay": 2.0, "description_sale": "Green tea\nby the case"}
        )
        cls.product_unit.write({"taxes_id": [Command.set(cls.tax.ids)], "list_price": 7.35})
        cls._deliver(cls.dealer, [(cls.product_case, 12), (cls.product_unit, 5)], cls._in_cycle(0))
        cls._deliver(cls.dealer, [(cls.product_case, 18), (cls.product_unit, 8)], cls._in_cycle(2))
        cls._deliver(cls.dealer_two, [(cls.product_case, 30), (cls.product_unit, 3)], cls._in_cycle(1))

    def _plain_order(self, suggested):
        order = self.env["sale.order"].create(
            {
                "partner_id": suggested.partner_id.id,
                "company_id": suggested.company_id.id,
                "warehouse_id": suggested.warehouse_id.id,
                "user_id": suggested.user_id.id,
                "order_line": [
                    Command.create({"product_id": line.product_id.id, "product_uom_qty": line.product_uom_qty})
                    for line in suggested.order_line
                ],
            }
        )
        order._channel_apply_prices()
        return order

    def test_lines_as_plain_creation(self):
        orders = self.route._prepare_suggested_orders(self.route_date)
        self.assertEqual(orders.partner_id, self.dealer | self.dealer_two)
        for suggested in orders:
            plain = self._plain_order(suggested)
            self.env.flush_all()
            lines = {line.product_id: line for line in plain.order_line}
            self.assertEqual(len(lines), len(suggested.order_line))
            for line in suggested.order_line:
                expected = lines[line.product_id]
                for fname in LINE_FIELDS:
                    self.assertEqual(line[fname], expected[fname], f"{line.product_id.name}: {fname}")
            for fname in ("amount_untaxed", "amount_tax", "amount_total", "pricelist_id", "fiscal_position_id"):
                self.assertEqual(suggested[fname], plain[fname], fname)
        case_line = orders.order_line.filtered(lambda line: line.product_id == self.product_case)[:1]
        self.assertEqual(case_line.tax_id, self.tax)
        self.assertEqual(case_line.customer_lead, 2.0)
        self.assertTrue(case_line.product_packaging_id, "Whole cases: the sale packaging is found")
        self.assertIn("Green tea", case_line.name)
