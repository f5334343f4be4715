from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.channel_base.tests.common import ChannelBaseCommon


class ChannelPricingCommon(ChannelBaseCommon):
    """Data built once for all channel_pricing tests; nothing taken from demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        Partner = cls.env["res.partner"]
        Pricelist = cls.env["product.pricelist"]
        Territory = cls.env["channel.territory"]

        cls.pricelist_gold = Pricelist.create({
            "name": "Gold prices",
            "currency_id": cls.currency.id,
            "item_ids": [
                Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 20}),
            ],
        })
        cls.pricelist_silver = Pricelist.create({
            "name": "Silver prices",
            "currency_id": cls.currency.id,
            "item_ids": [
                Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10}),
            ],
        })
        cls.tier_gold = cls.env["channel.tier"].create({
            "name": "Gold", "code": "TP-GOLD", "pricelist_id": cls.pricelist_gold.id,
            "price_memory": True, "price_memory_days": 180,
        })
        cls.tier_silver = cls.env["channel.tier"].create({
            "name": "Silver", "code": "TP-SILVER", "pricelist_id": cls.pricelist_silver.id,
        })

        cls.territory_zj = Territory.create({"name": "Zhejiang", "code": "TP-ZJ"})
        cls.territory_hz = Territory.create({
            "name": "Hangzhou", "code": "TP-ZJ-HZ", "level": "city", "parent_id": cls.territory_zj.id,
        })
        cls.territory_js = Territory.create({"name": "Jiangsu", "code": "TP-JS"})
        cls.territory_nj = Territory.create({
            "name": "Nanjing", "code": "TP-JS-NJ", "level": "city", "parent_id": cls.territory_js.id,
        })

        cls.salesperson = new_test_user(
            cls.env, login="tp_salesperson", groups="sales_team.group_sale_salesman,channel_base.group_channel_user"
        )
        cls.dealer_hz = Partner.create({
            "name": "Hangzhou Dealer", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": cls.tier_gold.id, "channel_territory_id": cls.territory_hz.id,
            "channel_state": "active", "user_id": cls.salesperson.id,
        })
        cls.dealer_nj = Partner.create({
            "name": "Nanjing Dealer", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": cls.tier_silver.id, "channel_territory_id": cls.territory_nj.id,
            "channel_state": "active",
        })
        cls.distributor_nj = Partner.create({
            "name": "Nanjing Sub-distributor", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer_nj.id, "channel_territory_id": cls.territory_nj.id,
        })
        cls.retailer_nj = Partner.create({
            "name": "Nanjing Shop", "is_company": True, "channel_role": "retailer",
            "channel_parent_id": cls.distributor_nj.id, "channel_territory_id": cls.territory_nj.id,
        })

        cls.categ_drinks = cls.env["product.category"].create({"name": "Drinks"})
        cls.categ_tea = cls.env["product.category"].create({"name": "Tea", "parent_id": cls.categ_drinks.id})
        cls.product_tea = cls.env["product.product"].create({
            "name": "Green Tea", "list_price": 100.0, "categ_id": cls.categ_tea.id, "taxes_id": False,
            "type": "consu",
        })
        cls.product_water = cls.env["product.product"].create({
            "name": "Water", "list_price": 10.0, "categ_id": cls.categ_drinks.id, "taxes_id": False,
            "type": "consu",
        })
        cls.product_lot = cls.env["product.product"].create({
            "name": "Premium Liquor", "list_price": 500.0, "categ_id": cls.categ_drinks.id, "taxes_id": False,
            "type": "consu", "is_storable": True, "tracking": "lot",
        })

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _create_order(cls, partner, lines, confirm=False, date_order=None):
        vals = {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty, **extra})
                for product, qty, extra in lines
            ],
        }
        if date_order:
            vals["date_order"] = date_order
        order = cls.env["sale.order"].create(vals)
        if confirm:
            order.action_confirm()
            if date_order:
                order.date_order = date_order
        return order

    @classmethod
    def _deliver_lot(cls, partner, product, lot_name, qty=10.0):
        """Deliver a new lot of ``product`` to ``partner`` (a done outgoing picking) and return the lot."""
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        lot = cls.env["stock.lot"].create({"name": lot_name, "product_id": product.id, "company_id": cls.company.id})
        cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty, lot_id=lot)
        customers = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create({
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": partner.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [Command.create({
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
            })],
        })
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        assert picking.state == "done", picking.state
        return lot

    @classmethod
    def _create_inspection(cls, territory, lines, partner=None, user=None):
        Inspection = cls.env["channel.inspection"]
        if user:
            Inspection = Inspection.with_user(user)
        return Inspection.create({
            "territory_id": territory.id,
            "partner_id": partner.id if partner else False,
            "line_ids": [
                Command.create({"product_id": product.id, "observed_price": price, **extra})
                for product, price, extra in lines
            ],
        })
