from datetime import datetime, time

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.channel_base.tests.common import ChannelCockpitMixin  # noqa: F401 (imported from here too)
from odoo.addons.channel_pricing.tests.common import ChannelPricingCommon


def create_invoice(env, partner, amount, day, move_type="out_invoice", post=True, taxes=None):
    """A customer invoice of ``partner`` dated ``day`` (or a credit note, a vendor bill: ``move_type``)
    with one line "Tea" of ``amount``, untaxed unless ``taxes`` are given; posted unless ``post`` is false."""
    move = env["account.move"].create({
        "move_type": move_type,
        "partner_id": partner.id,
        "invoice_date": day,
        "date": day,
        "invoice_line_ids": [Command.create({
            "name": "Tea", "quantity": 1.0, "price_unit": amount,
            "tax_ids": [Command.set(taxes.ids)] if taxes else [Command.clear()],
        })],
    })
    if post:
        move.action_post()
    return move


def validate_pickings(pickings, when=None):
    """Validate the open pickings in full (every move at its demand, no backorder): the one way the
    tests deliver. With ``when``, the moves are dated then (history in the past)."""
    pickings = pickings.filtered(lambda p: p.state not in ("done", "cancel"))
    for picking in pickings:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
    if when:
        pickings.move_ids.write({"date": when})
    return pickings


class ChannelOrdersCommon(ChannelPricingCommon):
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
        cls.dealer_contact = Partner.create(
            {"name": "Dealer Boss", "parent_id": cls.dealer.id, "email": "boss@example.com"}
        )
        cls.other_contact = Partner.create(
            {"name": "Other Boss", "parent_id": cls.other_dealer.id, "email": "nb@example.com"}
        )
        cls.dealer_user = cls._new_portal_user("co_dealer", cls.dealer_contact)
        cls.other_user = cls._new_portal_user("co_other", cls.other_contact)
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
        return new_test_user(
            cls.env, login=login, password=login, name=login, email=f"{login}@example.com", groups=",".join(groups)
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
        self._validate_pickings(order.picking_ids)

    # ------------------------------------------------------------------
    # Orders and deliveries (shared by the modules built on channel_orders)
    # ------------------------------------------------------------------
    @classmethod
    def _validate_pickings(cls, pickings, when=None):
        """Deliver the pickings in full (see ``validate_pickings``)."""
        return validate_pickings(pickings, when)

    @classmethod
    def _at(cls, day, hour=10):
        return datetime.combine(day, time(hour, 0))

    @classmethod
    def _sale(cls, partner, lines, when=None, confirm=True):
        """A confirmed order (dated ``when``) of (product, quantity) lines."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
            }
        )
        if confirm:
            order.action_confirm()
        if when:
            order.date_order = when
        return order

    @classmethod
    def _deliver(cls, partner, lines, when):
        """A confirmed order delivered in full at ``when``."""
        order = cls._sale(partner, lines, when)
        cls._validate_pickings(order.picking_ids, when)
        return order

    @classmethod
    def _setup_route_dealers(cls):
        """A weekly route on Tuesdays (UTC) with two dealers of a territory with a manager, whose
        orders need no approval; a channel manager, a salesperson; a product sold in cases of 6 and
        one sold by the unit (not stored)."""
        cls.company.write(
            {
                "channel_sales_approval": False,
                "channel_finance_approval": False,
                "channel_receipt_confirmation": False,
            }
        )
        cls.company.partner_id.tz = "UTC"
        cls.manager_user = new_test_user(
            cls.env,
            login="sg_manager",
            password="sg_manager",
            email="sg_manager@example.com",
            name="Suggest Channel Manager",
            groups="channel_base.group_channel_manager,sales_team.group_sale_manager",
        )
        cls.territory_user = new_test_user(
            cls.env,
            login="sg_territory",
            password="sg_territory",
            email="sg_territory@example.com",
            name="Suggest Territory Manager",
            groups="channel_base.group_channel_user,sales_team.group_sale_salesman_all_leads",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="sg_sales",
            password="sg_sales",
            email="sg_sales@example.com",
            name="Suggest Salesperson",
            groups="channel_base.group_channel_user,channel_orders.group_sales_approver",
        )
        cls.territory = cls.env["channel.territory"].create(
            {"name": "Suggest Territory", "code": "SG-T", "manager_id": cls.territory_user.id}
        )
        cls.route = cls.env["channel.delivery.route"].create(
            {
                "name": "Suggest route Tuesday",
                "warehouse_id": cls.warehouse.id,
                "territory_id": cls.territory.id,
                "weekday": 1,
                "cutoff_hour": 12.0,
            }
        )
        dealer_vals = {
            "is_company": True,
            "channel_role": "dealer",
            "channel_state": "active",
            "channel_territory_id": cls.territory.id,
            "channel_route_id": cls.route.id,
            "user_id": cls.salesperson.id,
            "last_call_date": fields.Date.today(),
            "last_visit_date": fields.Date.today(),
            # list prices, whatever the database's default pricelist
            "property_product_pricelist": cls.pricelist.id,
        }
        Partner = cls.env["res.partner"]
        cls.dealer = Partner.create(dict(dealer_vals, name="Suggest Dealer One", email="sg1@example.com"))
        cls.dealer_two = Partner.create(dict(dealer_vals, name="Suggest Dealer Two", email="sg2@example.com"))
        product_vals = {
            "type": "consu",
            "is_storable": False,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "invoice_policy": "order",
            "list_price": 10.0,
        }
        Product = cls.env["product.product"]
        cls.product_case = Product.create(dict(product_vals, name="Suggest Tea (case of 6)", default_code="SG-A"))
        cls.product_unit = Product.create(dict(product_vals, name="Suggest Juice", default_code="SG-B"))
        cls.env["product.packaging"].create(
            {"name": "Case of 6", "product_id": cls.product_case.id, "qty": 6.0, "sales": True}
        )


class DealerInvoiceMixin:
    """Invoices of the test dealer (``cls.dealer``) for statements and the statement card."""

    @classmethod
    def _invoice(cls, move_type, day, amount, post=True):
        return create_invoice(cls.env, cls.dealer, amount, day, move_type=move_type, post=post)
