from datetime import datetime, time, timedelta

from odoo import Command, fields


class ChannelSuggestMixin:
    """Data for suggested orders and alerts: a weekly route on Tuesdays with two dealers, products with
    and without a sale packaging, a territory manager and a salesperson."""

    @classmethod
    def _setup_suggest_data(cls):
        cls.env = cls.env(
            context=dict(cls.env.context, no_reset_password=True, mail_create_nosubscribe=True, tracking_disable=True)
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "channel_sales_approval": False,
                "channel_finance_approval": False,
                "channel_receipt_confirmation": False,
                "channel_forecast_cycles": 3,
                "channel_safety_stock_pct": 10.0,
                "channel_suggest_days_before": 2,
                "channel_decline_pct": 30.0,
                "channel_dormant_days": 45,
                "channel_first_order_days": 60,
            }
        )
        cls.company.partner_id.tz = "UTC"
        Users = cls.env["res.users"]
        cls.manager_user = Users.create(
            {
                "name": "Suggest Channel Manager",
                "login": "sg_manager",
                "password": "sg_manager",
                "email": "sg_manager@example.com",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("channel_base.group_channel_manager").id,
                            cls.env.ref("sales_team.group_sale_manager").id,
                        ]
                    )
                ],
            }
        )
        cls.territory_user = Users.create(
            {
                "name": "Suggest Territory Manager",
                "login": "sg_territory",
                "password": "sg_territory",
                "email": "sg_territory@example.com",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("channel_base.group_channel_user").id,
                            cls.env.ref("sales_team.group_sale_salesman_all_leads").id,
                        ]
                    )
                ],
            }
        )
        cls.salesperson = Users.create(
            {
                "name": "Suggest Salesperson",
                "login": "sg_sales",
                "password": "sg_sales",
                "email": "sg_sales@example.com",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("channel_base.group_channel_user").id,
                            cls.env.ref("channel_orders.group_sales_approver").id,
                        ]
                    )
                ],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.territory = cls.env["channel.territory"].create(
            {
                "name": "Suggest Territory",
                "code": "SG-T",
                "manager_id": cls.territory_user.id,
            }
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
        Partner = cls.env["res.partner"]
        dealer_vals = {
            "is_company": True,
            "channel_role": "dealer",
            "channel_state": "active",
            "channel_territory_id": cls.territory.id,
            "channel_route_id": cls.route.id,
            "user_id": cls.salesperson.id,
            "last_call_date": fields.Date.today(),
            "last_visit_date": fields.Date.today(),
        }
        cls.dealer = Partner.create(dict(dealer_vals, name="Suggest Dealer One", email="sg1@example.com"))
        cls.dealer_two = Partner.create(dict(dealer_vals, name="Suggest Dealer Two", email="sg2@example.com"))
        Product = cls.env["product.product"]
        product_vals = {
            "type": "consu",
            "is_storable": False,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "invoice_policy": "order",
            "list_price": 10.0,
        }
        cls.product_case = Product.create(dict(product_vals, name="Suggest Tea (case of 6)", default_code="SG-A"))
        cls.product_unit = Product.create(dict(product_vals, name="Suggest Juice", default_code="SG-B"))
        cls.env["product.packaging"].create(
            {
                "name": "Case of 6",
                "product_id": cls.product_case.id,
                "qty": 6.0,
                "sales": True,
            }
        )
        cls.route_date = cls.route._next_dates(cls.route._local_now().date(), 1)[0]
        cls.cycles = cls.route._suggest_cycles(cls.route_date, 3)

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
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        order.picking_ids.move_ids.write({"date": when})
        return order

    @classmethod
    def _in_cycle(cls, index, day=1):
        """A moment inside history cycle ``index`` (0 = oldest)."""
        return cls._at(cls.cycles[index][0] + timedelta(days=day))
