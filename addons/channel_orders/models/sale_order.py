import io
import math
from collections import defaultdict

import xlsxwriter
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_amount

CHANNEL_STATES = [
    ("draft", "Draft"),
    ("to_sales", "Waiting Sales Approval"),
    ("to_finance", "Waiting Finance Approval"),
    ("confirmed", "Confirmed"),
    ("picked", "Picked"),
    ("shipped", "Shipped"),
    ("received", "Received"),
    ("done", "Done"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
ORDER_TYPES = [
    ("regular", "Regular"),
    ("trial", "Trial"),
    ("urgent", "Urgent"),
]
# The group that may pass each approval step (channel managers may pass any step).
STEP_GROUPS = {
    "to_sales": "channel_orders.group_sales_approver",
    "to_finance": "channel_orders.group_finance_approver",
}
WAITING_STATES = ("to_sales", "to_finance")
# Chain states in which the delivery is under way (the warehouse's own steps).
DELIVERY_STATES = ("confirmed", "picked")
# Passed as the context value of ``channel_chain_confirm`` by the chain itself: a Python object that no
# JSON-RPC context can carry, so that only the chain (``_channel_confirm``) confirms a dealer order.
CHAIN_CONFIRM = object()
# Orders of a product needed in the history window before a quantity can be judged abnormal.
ANOMALY_MIN_ORDERS = 3
ANOMALY_MONTHS = 12


class SaleOrder(models.Model):
    _inherit = "sale.order"

    channel_dealer_id = fields.Many2one(
        "res.partner",
        string="Channel Dealer",
        compute="_compute_channel_dealer_id",
        store=True,
        index=True,
        help="Set when the customer is a dealer of the channel network: the order then follows "
        "the channel approval chain.",
    )
    channel_state = fields.Selection(
        CHANNEL_STATES,
        string="Channel Status",
        compute="_compute_channel_state",
        store=True,
        readonly=False,
        index=True,
        copy=False,
        tracking=True,
    )
    channel_order_type = fields.Selection(
        ORDER_TYPES,
        string="Order Type",
        default="regular",
        required=True,
        tracking=True,
        help="Regular orders are delivered on the dealer's route; trial orders are for new or trial "
        "products; urgent orders skip the route calendar and are delivered at once.",
    )
    channel_cart = fields.Boolean(
        string="Portal Cart",
        copy=False,
        index=True,
        help="The dealer's current quick-order cart in the portal (one per dealer).",
    )
    channel_tier_id = fields.Many2one(
        "channel.tier", string="Dealer Tier", compute="_compute_channel_dealer_data", store=True, index=True
    )
    channel_territory_id = fields.Many2one(
        "channel.territory", string="Dealer Territory", compute="_compute_channel_dealer_data", store=True, index=True
    )
    channel_route_id = fields.Many2one(
        "channel.delivery.route",
        string="Delivery Route",
        compute="_compute_channel_dealer_data",
        store=True,
        readonly=False,
        index=True,
    )
    channel_submit_date = fields.Datetime(string="Submitted On", copy=False, readonly=True)
    channel_sales_approver_id = fields.Many2one("res.users", string="Sales Approved By", copy=False, readonly=True)
    channel_finance_approver_id = fields.Many2one("res.users", string="Finance Approved By", copy=False, readonly=True)
    channel_reject_reason = fields.Text(string="Rejection Reason", copy=False, readonly=True)
    # Internal notes: never readable by portal users (JSON-RPC included).
    channel_credit_override = fields.Boolean(
        string="Credit Limit Overridden", copy=False, readonly=True, groups="base.group_user"
    )
    channel_credit_override_reason = fields.Text(
        string="Credit Override Reason", copy=False, readonly=True, groups="base.group_user"
    )
    channel_credit_override_user_id = fields.Many2one(
        "res.users", string="Credit Overridden By", copy=False, readonly=True, groups="base.group_user"
    )
    channel_receipt_date = fields.Datetime(string="Receipt Confirmed On", copy=False, readonly=True)
    channel_receipt_note = fields.Text(string="Receipt Discrepancy Note", copy=False, readonly=True)
    channel_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_channel_credit",
        currency_field="company_currency_id",
        groups="base.group_user",
        help="Receivable balance plus confirmed, not yet invoiced orders of the dealer (this order excluded).",
    )
    channel_credit_limit = fields.Monetary(
        string="Dealer Credit Limit",
        compute="_compute_channel_credit",
        currency_field="company_currency_id",
        groups="base.group_user",
    )
    channel_credit_exceeded = fields.Boolean(compute="_compute_channel_credit", groups="base.group_user")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")

    channel_anomaly = fields.Boolean(
        string="Abnormal Quantities",
        copy=False,
        index=True,
        tracking=True,
        readonly=True,
        help="Set at submission when a quantity is far above the dealer's usual orders of that product: "
        "a channel manager must approve the order.",
    )
    channel_anomaly_note = fields.Text(
        string="Anomaly Reasons", compute="_compute_channel_anomaly_note", groups="base.group_user"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("channel_anomaly", "order_line.channel_anomaly_note")
    @api.depends_context("lang")
    def _compute_channel_anomaly_note(self):
        """The reasons of an abnormal order, one per product, in the reader's language."""
        for order in self:
            notes = {}
            if order.channel_anomaly:
                for line in order.order_line.filtered("channel_anomaly_data"):
                    notes.setdefault(line.product_id, line.channel_anomaly_note)
            order.channel_anomaly_note = "\n".join(notes.values()) or False

    @api.depends("partner_id")
    def _compute_channel_dealer_id(self):
        for order in self:
            commercial = order.partner_id.commercial_partner_id
            order.channel_dealer_id = commercial if order._channel_is_dealer(commercial) else False

    @api.model
    def _channel_is_dealer(self, commercial_partner):
        """Whether orders of this commercial partner follow the channel chain (hook)."""
        return commercial_partner.channel_role == "dealer"

    @api.depends("channel_dealer_id")
    def _compute_channel_state(self):
        initial = {"sale": "confirmed", "cancel": "cancelled"}
        for order in self:
            if not order.channel_dealer_id:
                order.channel_state = False
            else:
                order.channel_state = order.channel_state or initial.get(order.state, "draft")

    @api.depends("channel_dealer_id")
    def _compute_channel_dealer_data(self):
        for order in self:
            dealer = order.channel_dealer_id.sudo()
            order.channel_tier_id = dealer.channel_tier_id
            order.channel_territory_id = dealer.channel_territory_id
            order.channel_route_id = dealer.channel_route_id

    @api.depends("partner_id", "amount_total", "channel_state")
    def _compute_channel_credit(self):
        for order in self:
            dealer = order.channel_dealer_id
            if not dealer:
                order.channel_exposure = order.channel_credit_limit = 0.0
                order.channel_credit_exceeded = False
                continue
            exposure, limit, amount = order._channel_credit_figures()
            order.channel_exposure = exposure
            order.channel_credit_limit = limit
            order.channel_credit_exceeded = (
                bool(limit)
                and float_compare(exposure + amount, limit, precision_rounding=order.company_id.currency_id.rounding)
                > 0
            )

    def _compute_require_signature(self):
        res = super()._compute_require_signature()
        self.filtered("channel_dealer_id").require_signature = False
        return res

    def _compute_require_payment(self):
        res = super()._compute_require_payment()
        self.filtered("channel_dealer_id").require_payment = False
        return res

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def init(self):
        res = super().init()
        # At most one open portal cart per dealer.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS sale_order_channel_cart_uniq
                ON sale_order (partner_id, company_id) WHERE channel_cart IS TRUE
            """
        )
        return res

    # ------------------------------------------------------------------
    # Standard flow hooks
    # ------------------------------------------------------------------
    def action_confirm(self):
        channel_orders = self.filtered("channel_dealer_id")
        channel_orders._channel_check_chain_confirm()
        channel_orders._channel_set_commitment_date()
        res = super().action_confirm()
        confirmed = channel_orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            confirmed.write({"channel_state": "confirmed", "channel_cart": False})
            confirmed._channel_flag_urgent()
            confirmed._channel_notify("confirmed")
        return res

    def _channel_check_chain_confirm(self):
        """Only the approval chain confirms a dealer order.

        ``action_confirm`` of a dealer order is refused for everyone (backend button, JSON-RPC,
        Odoo's payment and quotation-acceptance paths...) unless it comes from ``_channel_confirm``,
        the last step of the chain, or from code running as superuser (data loading, scripts; the
        superuser paths Odoo opens to the portal are closed in ``_validate_order`` and in the payment
        transaction). An order whose company switched every approval off is submitted instead: the
        submission checks (lines, quantities, credit) run and it is confirmed by the chain.
        """
        if self.env.context.get("channel_chain_confirm") is CHAIN_CONFIRM or self.env.su:
            return
        for order in self:
            if order.channel_state == "draft" and not order._channel_approval_steps():
                continue
            raise UserError(
                self.env._(
                    "Order %(order)s is a dealer order: it is confirmed by its approval chain "
                    "(status: %(state)s), not directly. Submit it and approve each step.",
                    order=order.name,
                    state=dict(order._fields["channel_state"]._description_selection(order.env)).get(
                        order.channel_state, ""
                    ),
                )
            )
        # No approval enabled: confirming is submitting, with the submission checks.
        todo = self.filtered(lambda o: o.channel_state == "draft")
        if todo:
            todo._channel_check_submission()
            todo.write({"channel_submit_date": fields.Datetime.now(), "channel_cart": False})

    def _validate_order(self):
        """Quotation acceptance and online payment confirm as superuser: never a dealer order."""
        self._channel_check_chain_confirm_portal()
        return super()._validate_order()

    def _channel_check_chain_confirm_portal(self):
        dealer_orders = self.filtered(lambda o: o.channel_dealer_id and o.state in ("draft", "sent"))
        if dealer_orders:
            raise UserError(
                self.env._(
                    "Order %s is a dealer order: it is confirmed by its approval chain, not by an online "
                    "acceptance or payment.",
                    ", ".join(dealer_orders.mapped("name")),
                )
            )

    def _action_cancel(self):
        res = super()._action_cancel()
        channel_orders = self.filtered("channel_dealer_id")
        if channel_orders:
            vals = {"channel_cart": False}
            if not self.env.context.get("channel_rejecting"):
                vals["channel_state"] = "cancelled"
            channel_orders.write(vals)
            if not self.env.context.get("channel_rejecting"):
                channel_orders._channel_notify("cancelled")
        return res

    def action_draft(self):
        res = super().action_draft()
        self.filtered(lambda o: o.channel_dealer_id and o.state == "draft").write(
            {
                "channel_state": "draft",
                "channel_reject_reason": False,
            }
        )
        return res

    # ------------------------------------------------------------------
    # Approval chain
    # ------------------------------------------------------------------
    def _channel_approval_steps(self):
        """The waiting steps of this order, in order (hook: more steps may be added)."""
        self.ensure_one()
        company = self.company_id
        steps = []
        if company.channel_sales_approval:
            steps.append("to_sales")
        if company.channel_finance_approval:
            steps.append("to_finance")
        # An abnormal order always waits at the first step, which then only a channel manager passes.
        if self.channel_anomaly and "to_sales" not in steps:
            steps = ["to_sales", *steps]
        return steps

    def _channel_next_state(self):
        """The state that follows the current one in the approval chain."""
        self.ensure_one()
        steps = self._channel_approval_steps()
        if self.channel_state in steps:
            following = steps[steps.index(self.channel_state) + 1 :]
        elif self.channel_state in WAITING_STATES:
            # A step switched off while the order was waiting: go to the next enabled one.
            order_all = list(WAITING_STATES)
            following = [s for s in steps if order_all.index(s) > order_all.index(self.channel_state)]
        else:
            following = steps
        return following[0] if following else "confirmed"

    def _channel_check_channel_order(self):
        for order in self:
            if not order.channel_dealer_id:
                raise UserError(self.env._("%s is not an order of a channel dealer.", order.name))

    def _channel_is_approver(self, step):
        user = self.env.user
        if step == "to_sales" and any(order.channel_anomaly for order in self):
            return self.env.su or user.has_group("channel_base.group_channel_manager")
        return self.env.su or user.has_group("channel_base.group_channel_manager") or user.has_group(STEP_GROUPS[step])

    def _channel_can_override_credit(self):
        return self.env.su or self.env.user.has_group("channel_base.group_channel_manager")

    def _channel_move_to(self, state):
        """Write a chain state and do what entering it means."""
        if state == "confirmed":
            self._channel_confirm()
        else:
            self.write({"channel_state": state})
            self._channel_notify(state)

    def _channel_confirm(self):
        """Confirm orders that passed their approval chain (the only way a dealer order is confirmed)."""
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("Order %s cannot be confirmed any more.", order.name))
        self.with_context(channel_chain_confirm=CHAIN_CONFIRM).action_confirm()

    def action_channel_submit(self):
        """Submit draft dealer orders: to the first enabled approval, or straight to confirmation."""
        self.env["res.users"]._channel_check_internal_caller()
        self._channel_check_anomalies()
        self._channel_check_channel_order()
        self._channel_check_submission()
        self.write({"channel_submit_date": fields.Datetime.now(), "channel_cart": False})
        for order in self:
            order._channel_move_to(order._channel_next_state())
        flagged = self.filtered("channel_anomaly")
        if flagged:
            flagged._channel_schedule_anomaly_activities()
        return True

    def _channel_check_submission(self):
        """What a submission checks: draft, lines, positive quantities and, when no finance
        approval follows, the dealer's credit limit."""
        for order in self:
            if order.channel_state != "draft" or order.state not in ("draft", "sent"):
                raise UserError(self.env._("Only draft orders can be submitted (%s).", order.name))
            if not order.order_line.filtered(lambda line: not line.display_type):
                raise UserError(self.env._("Order %s has no lines to submit.", order.name))
            bad = order.order_line.filtered(
                lambda line: (
                    not line.display_type
                    and float_compare(line.product_uom_qty, 0.0, precision_rounding=line.product_uom.rounding or 0.01)
                    <= 0
                )
            )
            if bad:
                raise UserError(
                    self.env._(
                        "Every quantity must be positive (%s).", ", ".join(bad.mapped("product_id.display_name"))
                    )
                )
            if "to_finance" not in order._channel_approval_steps():
                # No finance approval to look at the credit: the submission checks it.
                order._channel_check_credit()
        return True

    def action_channel_approve(self, override_reason=None):
        """Pass the current approval step; the last enabled one confirms the order.

        At the finance step the dealer's exposure is checked against its credit limit; a channel
        manager may override a refusal by giving ``override_reason`` (or the context key
        ``channel_credit_override_reason``).
        """
        self.env["res.users"]._channel_check_internal_caller()
        self._channel_check_channel_order()
        for order in self:
            step = order.channel_state
            if step not in WAITING_STATES:
                raise UserError(self.env._("Order %s is not waiting for an approval.", order.name))
            if not order._channel_is_approver(step):
                raise AccessError(self.env._("You are not allowed to approve order %s at this step.", order.name))
            if step == "to_finance":
                order._channel_check_credit(
                    override_reason
                    or self.env.context.get("channel_credit_override_reason")
                    or order.channel_credit_override_reason
                )
            approver_field = "channel_sales_approver_id" if step == "to_sales" else "channel_finance_approver_id"
            order.write({approver_field: self.env.user.id})
            order._channel_move_to(order._channel_next_state())
        return True

    def action_channel_override_credit(self, reason):
        """Finance approval over the credit limit, by a channel manager, with a reason."""
        return self.action_channel_approve(override_reason=reason)

    def action_channel_reject(self, reason):
        self.env["res.users"]._channel_check_internal_caller()
        self._channel_check_channel_order()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give a reason to reject an order."))
        for order in self:
            if order.channel_state not in WAITING_STATES:
                raise UserError(self.env._("Only orders waiting for an approval can be rejected (%s).", order.name))
            if not order._channel_is_approver(order.channel_state):
                raise AccessError(self.env._("You are not allowed to reject order %s at this step.", order.name))
        self.with_context(channel_rejecting=True)._action_cancel()
        self.write({"channel_state": "rejected", "channel_reject_reason": reason})
        self._channel_notify("rejected", reason=reason)
        return True

    def action_channel_confirm_receipt(self, note=None):
        """The dealer confirms it received a shipped order, optionally noting a discrepancy."""
        self.env["res.users"]._channel_check_internal_caller()
        self._channel_check_channel_order()
        for order in self:
            if order.channel_state != "shipped":
                raise UserError(self.env._("Only shipped orders can be confirmed as received (%s).", order.name))
        note = (note or "").strip() or False
        self.write(
            {
                "channel_state": "received",
                "channel_receipt_date": fields.Datetime.now(),
                "channel_receipt_note": note,
            }
        )
        self._channel_notify("received", reason=note)
        return True

    def action_channel_done(self):
        """Close received orders (or shipped ones when receipt confirmation is off)."""
        self.env["res.users"]._channel_check_internal_caller()
        self._channel_check_channel_order()
        for order in self:
            allowed = ("received",) if order.company_id.channel_receipt_confirmation else ("shipped", "received")
            if order.channel_state not in allowed:
                raise UserError(self.env._("Order %s cannot be closed yet.", order.name))
        self._channel_move_to("done")
        return True

    def action_channel_reject_wizard(self):
        return self._channel_reason_wizard("reject")

    def action_channel_override_wizard(self):
        return self._channel_reason_wizard("override")

    def _channel_reason_wizard(self, mode):
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_orders.channel_order_reason_wizard_action")
        action["context"] = {"default_order_ids": self.ids, "default_mode": mode}
        return action

    def action_channel_reset_to_draft(self):
        """Reopen a rejected or cancelled dealer order as a draft."""
        self.env["res.users"]._channel_check_internal_caller()
        for order in self:
            if order.channel_state not in ("rejected", "cancelled"):
                raise UserError(self.env._("Only rejected or cancelled orders can be reset to draft (%s).", order.name))
        return self.action_draft()

    # ------------------------------------------------------------------
    # Credit
    # ------------------------------------------------------------------
    def _channel_credit_figures(self):
        """(exposure without this order, credit limit, this order's amount), company currency."""
        self.ensure_one()
        company = self.company_id
        dealer = self.channel_dealer_id
        exposure = dealer._channel_exposure(company, exclude_orders=self).get(dealer.id, 0.0)
        limit = dealer.sudo().with_company(company).credit_limit or 0.0
        amount = self.currency_id._convert(
            self.amount_total, company.currency_id, company, self.date_order or fields.Date.context_today(self)
        )
        return exposure, limit, amount

    def _channel_check_credit(self, override_reason=None):
        self.ensure_one()
        exposure, limit, amount = self._channel_credit_figures()
        currency = self.company_id.currency_id
        if not limit or float_compare(exposure + amount, limit, precision_rounding=currency.rounding) <= 0:
            return True
        override_reason = (override_reason or "").strip()
        message = self.env._(
            "%(dealer)s would exceed its credit limit: exposure %(exposure)s + this order %(amount)s "
            "= %(total)s > limit %(limit)s.",
            dealer=self.channel_dealer_id.display_name,
            exposure=format_amount(self.env, exposure, currency),
            amount=format_amount(self.env, amount, currency),
            total=format_amount(self.env, exposure + amount, currency),
            limit=format_amount(self.env, limit, currency),
        )
        if not override_reason:
            raise UserError(message + "\n" + self.env._("A channel manager can approve it anyway with a reason."))
        if not self._channel_can_override_credit():
            raise AccessError(message + "\n" + self.env._("Only a channel manager can override the credit limit."))
        self.write(
            {
                "channel_credit_override": True,
                "channel_credit_override_reason": override_reason,
                "channel_credit_override_user_id": self.env.user.id,
            }
        )
        self.sudo().message_post(
            body=Markup("%s<br/>%s")
            % (
                message,
                self.env._(
                    "Credit limit overridden by %(user)s: %(reason)s", user=self.env.user.name, reason=override_reason
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------
    def _channel_set_commitment_date(self):
        """Regular orders of a dealer on a route are delivered on the first route date after the
        confirmation and its cut-off; urgent orders as soon as possible."""
        now = fields.Datetime.now()
        for order in self:
            if order.channel_order_type == "urgent":
                order.commitment_date = now
                continue
            route = order.channel_route_id
            if order.channel_order_type != "regular" or not route:
                continue
            dates = route._next_dates(route._to_local(now), 1)
            if dates:
                order.commitment_date = route._commitment_datetime(dates[0])

    def _channel_flag_urgent(self):
        urgent = self.filtered(lambda o: o.channel_order_type == "urgent")
        pickings = urgent.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        if pickings:
            pickings.write({"priority": "1"})

    def _channel_delivery_steps(self):
        """The delivery steps of the chain shown for this order: 'picked' (出库) when the warehouse
        picks before shipping (two or three steps) and the picking step is on, 'shipped' (发货) when
        the shipping step is on."""
        self.ensure_one()
        company = self.company_id
        steps = []
        if company.channel_picking_step and self.warehouse_id.delivery_steps != "ship_only":
            steps.append("picked")
        if company.channel_shipping_step:
            steps.append("shipped")
        return steps

    def _channel_chain_steps(self):
        """Every step of this order's chain, in order, as channel states."""
        self.ensure_one()
        steps = ["draft"] + self._channel_approval_steps() + ["confirmed"] + self._channel_delivery_steps()
        if self.company_id.channel_shipping_step and self.company_id.channel_receipt_confirmation:
            steps.append("received")
        return steps + ["done"]

    def _channel_check_picked(self):
        """Move confirmed orders whose picking (the first of two or three delivery steps) is done to picked."""
        orders = self.filtered(lambda o: o.channel_state == "confirmed" and "picked" in o._channel_delivery_steps())
        for order in orders:
            active = order.picking_ids.filtered(lambda p: p.state != "cancel")
            before_ship = active.filtered(lambda p: p.picking_type_code != "outgoing")
            if before_ship and all(p.state == "done" for p in before_ship):
                order._channel_move_to("picked")

    def _channel_check_shipped(self):
        """Move orders whose outgoing deliveries are all done to shipped (or done)."""
        for order in self.filtered(lambda o: o.channel_state in DELIVERY_STATES):
            outgoing = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "cancel")
            if not outgoing or any(p.state != "done" for p in outgoing):
                continue
            company = order.company_id
            if not company.channel_shipping_step:
                order._channel_move_to("done")
                continue
            order._channel_move_to("shipped")
            if not company.channel_receipt_confirmation:
                order._channel_move_to("done")

    # ------------------------------------------------------------------
    # Portal cart
    # ------------------------------------------------------------------
    @api.model
    def _channel_get_cart(self, dealer, create=False):
        """The dealer's open portal cart (sudo), created on demand."""
        cart = self.sudo().search(
            [
                ("channel_cart", "=", True),
                ("partner_id", "=", dealer.id),
                ("company_id", "=", self.env.company.id),
                ("state", "in", ("draft", "sent")),
            ],
            limit=1,
        )
        if not cart and create:
            cart = self.sudo().create(self._channel_prepare_cart_values(dealer))
        return cart

    @api.model
    def _channel_prepare_cart_values(self, dealer):
        return {
            "partner_id": dealer.id,
            "company_id": self.env.company.id,
            "channel_cart": True,
            "channel_order_type": "regular",
            "user_id": dealer.sudo().user_id.id or False,
        }

    def _channel_set_quantities(self, quantities):
        """Set the quantity of each product ({product: qty}) on the order, adding missing lines,
        then reprice the order from the dealer's channel prices.

        New lines are created with their channel price (looked up once for all of them), so that
        neither the line creation nor the repricing that follows looks the price up again."""
        self.ensure_one()
        lines_by_product = {line.product_id: line for line in self.order_line if not line.display_type}
        new_quantities = {}
        for product, quantity in quantities.items():
            line = lines_by_product.get(product)
            if line:
                if float_compare(line.product_uom_qty, quantity, precision_rounding=line.product_uom.rounding) != 0:
                    line.product_uom_qty = quantity
            else:
                new_quantities[product] = quantity
        price_cache = {}
        if new_quantities:
            # The last prices looked up for the new lines' prices give their remembered lines too.
            memory_known = {}
            prices = self.with_context(channel_memory_known=memory_known)._channel_new_line_prices(
                new_quantities, price_cache
            )
            vals_list = []
            for product, quantity in new_quantities.items():
                vals = {"order_id": self.id, "product_id": product.id, "product_uom_qty": quantity}
                if product.id in prices:
                    price = prices[product.id]["price"]
                    vals.update({"price_unit": price, "technical_price_unit": price, "discount": 0.0})
                vals_list.append(vals)
            self.env["sale.order.line"].with_context(channel_memory_known=memory_known).create(vals_list)
        self.with_context(channel_price_cache=price_cache)._channel_apply_prices()
        return True

    def _channel_new_line_prices(self, quantities, price_cache):
        """{product id: channel price info} of the lines about to be created for ``quantities``
        ({product: qty}), looked up as ``_channel_apply_prices`` looks them up (per quantity break)
        and kept in ``price_cache`` for it."""
        self.ensure_one()
        dealer = self.partner_id.commercial_partner_id
        pricelist = dealer._channel_pricelist()
        breaks = self._channel_cached_quantity_breaks(pricelist, price_cache)
        by_group = defaultdict(dict)
        for product, quantity in quantities.items():
            by_group[tuple(b for b in breaks if quantity >= b)][product] = quantity
        prices = {}
        for group, group_quantities in by_group.items():
            products = self.env["product.product"].concat(*group_quantities)
            quantity = next(iter(group_quantities.values()))
            prices.update(
                self._channel_group_prices(dealer, pricelist, group, products, quantity, price_cache)
            )
        return {product.id: prices[product.id] for product in quantities if prices.get(product.id)}

    def _channel_group_prices(self, dealer, pricelist, group, products, quantity, price_cache=None):
        """Channel prices of ``products`` at ``quantity`` (one of the quantities reaching the
        quantity breaks ``group`` of ``pricelist``) on this order's date; with ``price_cache`` (a
        dict) the prices already looked up for the same group are not looked up again."""
        self.ensure_one()
        if price_cache is None:
            return dealer._channel_price_get(products, quantity=quantity, date=self.date_order)
        known = price_cache.setdefault((dealer.id, pricelist.id, group, self.date_order), {})
        missing = products.filtered(lambda product: product.id not in known)
        if missing:
            found = dealer._channel_price_get(missing, quantity=quantity, date=self.date_order)
            known.update({product.id: found.get(product.id) for product in missing})
        return known

    def _channel_apply_prices(self):
        """Set every product line's unit price from the dealer's channel price (server side).

        Prices are looked up once per order and quantity break (lines whose quantities reach the same
        minimum quantities of the pricelist get the same rules), and lines are written grouped by
        price, only when their price changes."""
        by_price = defaultdict(lambda: self.env["sale.order.line"])
        breaks_by_pricelist = {}
        price_cache = self.env.context.get("channel_price_cache")
        for order in self:
            lines = order.order_line.filtered(lambda line: line.product_id and not line.display_type)
            if not lines:
                continue
            dealer = order.partner_id.commercial_partner_id
            pricelist = dealer._channel_pricelist()
            if pricelist not in breaks_by_pricelist:
                breaks_by_pricelist[pricelist] = self._channel_cached_quantity_breaks(pricelist, price_cache)
            breaks = breaks_by_pricelist[pricelist]
            groups = lines.grouped(lambda line, breaks=breaks: tuple(b for b in breaks if line.product_uom_qty >= b))
            for group, qty_lines in groups.items():
                quantity = qty_lines[0].product_uom_qty
                prices = order._channel_group_prices(
                    dealer, pricelist, group, qty_lines.product_id, quantity, price_cache
                )
                for line in qty_lines:
                    info = prices.get(line.product_id.id)
                    if not info:
                        continue
                    price = info["price"]
                    # The channel price is net: no separate discount on top of it.
                    if line.price_unit != price or line.technical_price_unit != price or line.discount:
                        by_price[price] |= line
        for price, lines in by_price.items():
            lines.write({"price_unit": price, "technical_price_unit": price, "discount": 0.0})
        return True

    @api.model
    def _channel_quantity_breaks(self, pricelist):
        """Sorted minimum quantities of the rules of ``pricelist`` and of the pricelists it is based on:
        the only quantities at which a pricelist price can change."""
        breaks, seen, todo = set(), set(), pricelist.sudo()
        Item = self.env["product.pricelist.item"].sudo()
        rules_domain = todo._fields["item_ids"].get_domain_list(todo)
        # ``todo.item_ids`` read in one query per level instead of two (the rules' ids, then their
        # columns), with every column the price lookup reads of them afterwards
        fnames = [name for name, field in Item._fields.items() if field.prefetch is True]
        while todo:
            seen.update(todo.ids)
            items = Item.search_fetch([("pricelist_id", "in", todo.ids), *rules_domain], fnames)
            breaks.update(item.min_quantity for item in items if item.min_quantity)
            todo = items.base_pricelist_id.filtered(lambda p: p.id not in seen)
        return tuple(sorted(breaks))

    @api.model
    def _channel_cached_quantity_breaks(self, pricelist, price_cache=None):
        """``_channel_quantity_breaks(pricelist)``, looked up once per ``price_cache`` (a dict shared by
        the price lookups of one operation, see ``_channel_group_prices``)."""
        if price_cache is None:
            return self._channel_quantity_breaks(pricelist)
        key = ("quantity_breaks", pricelist.id)
        if key not in price_cache:
            price_cache[key] = self._channel_quantity_breaks(pricelist)
        return price_cache[key]

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------
    def _channel_state_message(self, state):
        messages = {
            "draft": self.env._("Your order %s is a draft again."),
            "to_sales": self.env._("Your order %s was received and waits for sales approval."),
            "to_finance": self.env._("Your order %s waits for finance approval."),
            "confirmed": self.env._("Your order %s is confirmed and being prepared for delivery."),
            "picked": self.env._("Your order %s has been picked in the warehouse and waits for shipping."),
            "shipped": self.env._("Your order %s has been shipped. Please confirm its receipt in your portal."),
            "received": self.env._("You confirmed the receipt of order %s. Thank you."),
            "done": self.env._("Your order %s is complete."),
            "rejected": self.env._("Your order %s was rejected."),
            "cancelled": self.env._("Your order %s was cancelled."),
        }
        return messages.get(state, "%s")

    def _channel_notify(self, state, reason=None):
        """Post the transition in the chatter and email it to the dealer.

        Posted as superuser: an approver without an email address must still be able to approve.
        The emails are queued (see ``_notify_thread_by_email``).
        """
        for order in self.sudo().with_context(channel_queue_emails=True):
            body = escape(order._channel_state_message(state)) % escape(order.name)
            if state == "shipped" and not order.company_id.channel_receipt_confirmation:
                body = escape(self.env._("Your order %s has been shipped.")) % escape(order.name)
            if reason:
                body += Markup("<br/>") + escape(reason)
            recipients = order.partner_id.commercial_partner_id
            order.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=recipients.ids if recipients.email else [],
            )

    def _notify_thread_by_email(self, message, recipients_data, msg_vals=False, **kwargs):
        """The emails of the chain's notices (``_channel_notify``) are queued instead of being sent
        while the dealer (or the approver) waits for the page: the mail queue is run at once for them."""
        if not self.env.context.get("channel_queue_emails"):
            return super()._notify_thread_by_email(message, recipients_data, msg_vals=msg_vals, **kwargs)
        kwargs["force_send"] = False
        result = super(SaleOrder, self.with_context(mail_notify_force_send=False))._notify_thread_by_email(
            message, recipients_data, msg_vals=msg_vals, **kwargs
        )
        if any(data.get("notif") == "email" for data in recipients_data):
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return result

    # ------------------------------------------------------------------
    # Reporting
    # ------------------------------------------------------------------
    def action_channel_export_xlsx(self):
        return {
            "type": "ir.actions.act_url",
            "url": "/channel_orders/orders.xlsx?ids=" + ",".join(str(i) for i in self.ids),
            "target": "self",
        }

    def _channel_orders_xlsx(self):
        """The orders as an XLSX file (bytes): one row per order."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Orders"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        state_names = dict(self._fields["channel_state"]._description_selection(self.env))
        type_names = dict(self._fields["channel_order_type"]._description_selection(self.env))
        headers = [
            self.env._("Order"),
            self.env._("Date"),
            self.env._("Dealer"),
            self.env._("Tier"),
            self.env._("Territory"),
            self.env._("Route"),
            self.env._("Order Type"),
            self.env._("Channel Status"),
            self.env._("Delivery Date"),
            self.env._("Untaxed"),
            self.env._("Total"),
            self.env._("Currency"),
        ]
        for col, header in enumerate(headers):
            sheet.write(0, col, header, bold)
        for row, order in enumerate(self, start=1):
            sheet.write(row, 0, order.name)
            sheet.write(row, 1, fields.Datetime.to_string(order.date_order) or "")
            sheet.write(row, 2, order.partner_id.display_name)
            sheet.write(row, 3, order.channel_tier_id.display_name or "")
            sheet.write(row, 4, order.channel_territory_id.display_name or "")
            sheet.write(row, 5, order.channel_route_id.display_name or "")
            sheet.write(row, 6, type_names.get(order.channel_order_type, ""))
            sheet.write(row, 7, state_names.get(order.channel_state, ""))
            sheet.write(row, 8, fields.Datetime.to_string(order.commitment_date) or "")
            sheet.write_number(row, 9, order.amount_untaxed, money)
            sheet.write_number(row, 10, order.amount_total, money)
            sheet.write(row, 11, order.currency_id.name)
        sheet.set_column(0, 11, 16)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # Abnormal quantities
    # ------------------------------------------------------------------
    @api.model
    def _channel_confirmed_lines_sql(self, dealer_ids, product_ids):
        """FROM and WHERE of the product lines of confirmed orders of these dealers and products.

        Aliases: ``sol`` (line), ``so`` (order), ``line_uom`` (the line's unit) and ``product_uom``
        (the product's unit), so that ``qty / line_uom.factor * product_uom.factor`` is in the
        product's unit.
        """
        return SQL(
            """
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN uom_uom line_uom ON line_uom.id = sol.product_uom
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
             WHERE so.state = 'sale'
               AND so.channel_dealer_id = ANY(%(dealers)s)
               AND sol.product_id = ANY(%(products)s)
               AND sol.display_type IS NULL
            """,
            dealers=list(dealer_ids),
            products=list(product_ids),
        )

    def _channel_anomaly_history(self, dealer_ids, product_ids, date_from):
        """Quantities (product unit) per confirmed order of each (dealer, product) since ``date_from``.

        One query for the whole batch: {(dealer id, product id): [qty per order, ...]}.
        """
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "product_uom_qty", "product_uom", "display_type"]
        )
        self.env["sale.order"].flush_model(["state", "date_order", "channel_dealer_id"])
        query = SQL(
            """
            SELECT so.channel_dealer_id, sol.product_id, so.id,
                   SUM(sol.product_uom_qty / line_uom.factor * product_uom.factor)
              %(lines)s
               AND so.date_order >= %(date_from)s
               AND so.id != ALL(%(exclude)s)
          GROUP BY so.channel_dealer_id, sol.product_id, so.id
            """,
            lines=self._channel_confirmed_lines_sql(dealer_ids, product_ids),
            date_from=date_from,
            exclude=self.ids or [0],
        )
        history = defaultdict(list)
        for dealer_id, product_id, _order_id, quantity in self.env.execute_query(query):
            history[dealer_id, product_id].append(quantity)
        return history

    @api.model
    def _channel_anomaly_threshold(self, quantities):
        """(mean, standard deviation, threshold) of past order quantities, or None when there are too few.

        The standard deviation is the population one; the threshold is max(2 μ, μ + 3 σ).
        """
        if len(quantities) < ANOMALY_MIN_ORDERS:
            return None
        mean = sum(quantities) / len(quantities)
        sigma = math.sqrt(sum((q - mean) ** 2 for q in quantities) / len(quantities))
        return mean, sigma, max(2 * mean, mean + 3 * sigma)

    def _channel_check_anomalies(self):
        """Flag the orders whose line quantities jump above the dealer's history (one query for all)."""
        self._channel_apply_anomalies(self._get_channel_anomaly_figures())

    def _get_channel_anomaly_figures(self):
        """The abnormal quantities of these orders, without writing anything (one query for all).

        :return: {order: [{"product", "quantity", "mean", "sigma", "count", "threshold"}, ...]} for
            every dealer order (an empty list when nothing is abnormal); empty when no order has a
            product line
        """
        orders = self.filtered(lambda o: o.channel_dealer_id)
        lines = orders.order_line.filtered(lambda line: line.product_id and not line.display_type)
        if not lines:
            return {}
        date_from = fields.Datetime.now() - relativedelta(months=ANOMALY_MONTHS)
        history = orders._channel_anomaly_history(orders.channel_dealer_id.ids, lines.product_id.ids, date_from)
        return {order: order._get_channel_anomaly_order_figures(history) for order in orders}

    def _get_channel_anomaly_order_figures(self, history):
        """The abnormal products of this order against ``history`` (see ``_channel_anomaly_history``).

        A product may sit on several lines: the order's total of it is judged, in the product's unit."""
        self.ensure_one()
        totals = defaultdict(float)
        for line in self.order_line.filtered(lambda line: line.product_id and not line.display_type):
            totals[line.product_id] += line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, round=False
            )
        figures = []
        for product, quantity in totals.items():
            quantities = history.get((self.channel_dealer_id.id, product.id), [])
            stats = self._channel_anomaly_threshold(quantities)
            if not stats:
                continue
            mean, sigma, threshold = stats
            rounding = product.uom_id.rounding or 0.01
            if float_compare(quantity, threshold, precision_rounding=rounding) <= 0:
                continue
            figures.append(
                {
                    "product": product,
                    "quantity": quantity,
                    "mean": mean,
                    "sigma": sigma,
                    "count": len(quantities),
                    "threshold": threshold,
                }
            )
        return figures

    def _channel_anomaly_reason(self, figure):
        """The sentence that explains one abnormal product of this order (see the figures above)."""
        self.ensure_one()
        fmt = self.order_line[:1]._channel_format_qty
        return self.env._(
            "%(product)s: %(qty)s ordered, usual %(mean)s (σ %(sigma)s over %(count)s orders in 12 months), "
            "limit %(limit)s.",
            product=figure["product"].display_name,
            qty=fmt(figure["quantity"]),
            mean=fmt(figure["mean"]),
            sigma=fmt(figure["sigma"]),
            count=figure["count"],
            limit=fmt(figure["threshold"]),
        )

    def _channel_apply_anomalies(self, figures_by_order):
        """Flag the orders with abnormal figures (figures on their lines, reasons in their chatter) and
        clear the flag of the others."""
        for order, figures in figures_by_order.items():
            product_lines = order.order_line.filtered(lambda line: line.product_id and not line.display_type)
            product_lines.filtered("channel_anomaly_data").channel_anomaly_data = False
            if not figures:
                if order.channel_anomaly:
                    order.channel_anomaly = False
                continue
            for figure in figures:
                product_lines.filtered(lambda line, p=figure["product"]: line.product_id == p).channel_anomaly_data = {
                    key: value for key, value in figure.items() if key != "product"
                }
            order.channel_anomaly = True
            notes = [order._channel_anomaly_reason(figure) for figure in figures]
            order.message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._("Abnormal quantities: a channel manager must approve this order."),
                    Markup("<br/>").join(escape(note) for note in notes),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _channel_anomaly_responsible(self):
        """Who follows up an abnormal order: whoever follows up its dealer (the shared rule)."""
        self.ensure_one()
        return self.channel_dealer_id._channel_responsible_user()

    def _channel_schedule_anomaly_activities(self):
        """One to-do per abnormal order, due today, for whoever follows up its dealer.

        :return: the activities created"""
        todo = self.env.ref("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)

        def prepare(order):
            return {
                "activity_type_id": todo.id,
                "summary": self.env._("Abnormal order quantities of %s", order.channel_dealer_id.name),
                "note": escape(order.channel_anomaly_note or ""),
                "date_deadline": today,
                "user_id": order._channel_anomaly_responsible().id,
            }

        return self.env["mail.activity"].sudo()._channel_schedule(self, prepare)
