from odoo import Command
from odoo.tests import TransactionCase


class ChannelOrdersCommon(TransactionCase):
    """Two dealers (each with a portal user), a route, a small assortment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True, mail_create_nosubscribe=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "channel_sales_approval": True,
                "channel_finance_approval": True,
                "channel_receipt_confirmation": True,
                "channel_stock_display": "available",
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Channel test pricelist",
                "currency_id": cls.company.currency_id.id,
            }
        )
        cls.category = cls.env["product.category"].create({"name": "Channel Test Drinks"})
        cls.other_category = cls.env["product.category"].create({"name": "Channel Test Other"})
        cls.tier = cls.env["channel.tier"].create(
            {
                "name": "Test Gold",
                "code": "CO-T-GOLD",
                "pricelist_id": cls.pricelist.id,
                "assortment_categ_ids": [Command.set(cls.category.ids)],
            }
        )
        cls.territory = cls.env["channel.territory"].create({"name": "Test Hangzhou", "code": "CO-T-HZ"})
        cls.route = cls.env["channel.delivery.route"].create(
            {
                "name": "Test route Tuesday",
                "warehouse_id": cls.warehouse.id,
                "territory_id": cls.territory.id,
                "weekday": 1,
                "cutoff_hour": 12.0,
            }
        )
        Partner = cls.env["res.partner"]
        cls.dealer = Partner.create(
            {
                "name": "Test Dealer Hangzhou",
                "is_company": True,
                "email": "dealer.test@example.com",
                "channel_role": "dealer",
                "channel_tier_id": cls.tier.id,
                "channel_territory_id": cls.territory.id,
                "channel_state": "active",
                "channel_route_id": cls.route.id,
                "property_product_pricelist": cls.pricelist.id,
            }
        )
        cls.other_dealer = Partner.create(
            {
                "name": "Test Dealer Ningbo",
                "is_company": True,
                "email": "dealer.nb@example.com",
                "channel_role": "dealer",
                "channel_tier_id": cls.tier.id,
                "channel_state": "active",
                "property_product_pricelist": cls.pricelist.id,
            }
        )
        cls.customer = Partner.create({"name": "Walk-in Customer", "is_company": True})
        portal = cls.env.ref("base.group_portal")
        cls.dealer_contact = Partner.create(
            {"name": "Dealer Boss", "parent_id": cls.dealer.id, "email": "boss@example.com"}
        )
        cls.other_contact = Partner.create(
            {"name": "Other Boss", "parent_id": cls.other_dealer.id, "email": "nb@example.com"}
        )
        Users = cls.env["res.users"]
        cls.dealer_user = Users.create(
            {
                "login": "co_dealer",
                "password": "co_dealer",
                "partner_id": cls.dealer_contact.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        cls.other_user = Users.create(
            {
                "login": "co_other",
                "password": "co_other",
                "partner_id": cls.other_contact.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        Product = cls.env["product.product"]
        product_vals = {
            "type": "consu",
            "is_storable": True,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "invoice_policy": "order",
        }
        cls.product_a = Product.create(
            dict(product_vals, name="Green Tea 500ml", default_code="CO-A", list_price=10.0, categ_id=cls.category.id)
        )
        cls.product_b = Product.create(
            dict(product_vals, name="Jasmine Tea 500ml", default_code="CO-B", list_price=20.0, categ_id=cls.category.id)
        )
        cls.product_out = Product.create(
            dict(
                product_vals,
                name="Industrial Salt",
                default_code="CO-X",
                list_price=5.0,
                categ_id=cls.other_category.id,
            )
        )
        cls.packaging_a = cls.env["product.packaging"].create(
            {
                "name": "Case of 6",
                "product_id": cls.product_a.id,
                "qty": 6.0,
                "sales": True,
            }
        )
        stock_location = cls.warehouse.lot_stock_id
        Quant = cls.env["stock.quant"]
        for product in (cls.product_a, cls.product_b, cls.product_out):
            Quant._update_available_quantity(product, stock_location, 1000.0)

    @classmethod
    def _make_user(cls, login, groups):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set([cls.env.ref(g).id for g in groups])],
            }
        )

    def _order(self, partner=None, lines=None, **vals):
        partner = partner or self.dealer
        lines = lines or [(self.product_a, 12.0)]
        return self.env["sale.order"].create(
            dict(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
                },
                **vals,
            )
        )

    def _ship(self, order):
        """Deliver everything of the order's outgoing pickings."""
        for picking in order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.with_context(skip_backorder=True).button_validate()
