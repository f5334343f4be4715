import base64
import csv
import io
import math
from collections import defaultdict
from datetime import date as date_type
from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

SOURCES = [
    ("distributor_portal", "Distributor Portal"),
    ("dealer_portal", "Dealer Portal"),
    ("import", "Import"),
]
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("delivered", "Delivered"),
    ("received", "Received"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# Largest import file and number of rows accepted at once.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_QUANTITY = 1000000


class ChannelSelloutOrder(models.Model):
    _name = "channel.sellout.order"
    _description = "Sell-out Order"
    _inherit = ["mail.thread", "mail.activity.mixin", "channel.portal.guard.mixin"]
    _order = "date_order desc, id desc"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    seller_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        tracking=True,
        domain="[('channel_role', '=', 'dealer'), ('is_company', '=', True)]",
        help="The dealer selling on to its sub-distributors and retailers.",
    )
    buyer_id = fields.Many2one(
        "res.partner",
        string="Buyer",
        required=True,
        index=True,
        tracking=True,
        domain="[('channel_parent_id', '=', seller_id)]",
        help="A sub-distributor or retailer whose channel parent is the dealer.",
    )
    seller_territory_id = fields.Many2one(
        related="seller_id.channel_territory_id", store=True, string="Dealer's Territory", index=True
    )
    buyer_territory_id = fields.Many2one(
        related="buyer_id.channel_territory_id", store=True, string="Buyer's Territory", index=True
    )
    line_ids = fields.One2many("channel.sellout.line", "order_id", string="Lines", copy=True)
    amount_total = fields.Monetary(string="Total", compute="_compute_amount_total", store=True)
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_order = fields.Date(
        string="Order Date", required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    route_date = fields.Date(
        string="Route Date",
        tracking=True,
        help="Delivery date on the dealer's own route to its buyers (fixed weekday).",
    )
    date_delivered = fields.Date(string="Delivered On", readonly=True, copy=False)
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True, copy=False)
    source = fields.Selection(SOURCES, default="dealer_portal", required=True, index=True)
    note = fields.Text()
    violation_count = fields.Integer(compute="_compute_violation_count", string="Violations")

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("price_subtotal"))

    def _compute_violation_count(self):
        counts = {}
        if self.ids:
            self.env["channel.sellout.line"].flush_model(["order_id"])
            query = SQL(
                """
                SELECT l.order_id, COUNT(DISTINCT rel.violation_id)
                  FROM channel_violation_sellout_line_rel rel
                  JOIN channel_sellout_line l ON l.id = rel.line_id
                 WHERE l.order_id = ANY(%s)
              GROUP BY l.order_id
                """,
                self.ids,
            )
            counts = dict(self.env.execute_query(query))
        for order in self:
            order.violation_count = counts.get(order.id, 0)

    @api.constrains("seller_id", "buyer_id")
    def _check_parties(self):
        for order in self:
            if order.seller_id.channel_role != "dealer":
                raise ValidationError(
                    self.env._(
                        "%s is not a dealer: only dealers sell on to their network.", order.seller_id.display_name
                    )
                )
            if order.buyer_id.commercial_partner_id.channel_parent_id != order.seller_id:
                raise ValidationError(
                    self.env._(
                        "%(buyer)s does not buy from %(dealer)s: its channel parent is another partner.",
                        buyer=order.buyer_id.display_name,
                        dealer=order.seller_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("channel.sellout.order") or self.env._("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Caller checks
    # ------------------------------------------------------------------
    def _sellout_check_party(self, parties, portal_action):
        """Refuse the action unless the caller is staff or the commercial partner acting as one of
        ``parties`` ('seller_id', 'buyer_id') on every order, with the portal right ``portal_action``."""
        if self.env.su:
            return True
        user = self.env.user
        if user._is_internal():
            self.check_access("write")
            return True
        user._channel_portal_check(portal_action)
        partner = user.commercial_partner_id
        for order in self.sudo():
            if not any(order[field] == partner for field in parties):
                raise AccessError(self.env._("You are not allowed to do this on sell-out order %s.", order.name))
        return True

    def _sellout_check_state(self, states, action_label):
        wrong = self.filtered(lambda o: o.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for orders in this state: %(orders)s.",
                    action=action_label,
                    orders=", ".join(wrong.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        self._sellout_check_party(("seller_id", "buyer_id"), "order")
        orders = self.sudo()
        orders._sellout_check_state(("draft",), self.env._("Submitting"))
        if orders.filtered(lambda o: not o.line_ids):
            raise UserError(self.env._("Add at least one line before submitting."))
        orders.write({"state": "submitted"})
        return True

    def action_accept(self):
        self._sellout_check_party(("seller_id",), "order")
        orders = self.sudo()
        orders._sellout_check_state(("submitted",), self.env._("Accepting"))
        for order in orders.filtered(lambda o: not o.route_date):
            order.route_date = order._sellout_route_date()
        orders.write({"state": "accepted"})
        return True

    def action_reject(self):
        self._sellout_check_party(("seller_id",), "order")
        orders = self.sudo()
        orders._sellout_check_state(("submitted",), self.env._("Rejecting"))
        orders.write({"state": "rejected"})
        return True

    def action_deliver(self):
        self._sellout_check_party(("seller_id",), "order")
        orders = self.sudo()
        orders._sellout_check_state(("accepted",), self.env._("Delivering"))
        orders.write({"state": "delivered", "date_delivered": fields.Date.context_today(self)})
        orders.line_ids._sellout_create_violations()
        return True

    def action_receive(self):
        self._sellout_check_party(("buyer_id",), "receipt")
        orders = self.sudo()
        orders._sellout_check_state(("delivered",), self.env._("Confirming the receipt"))
        orders.write({"state": "received"})
        return True

    def action_cancel(self):
        self._sellout_check_party(("seller_id", "buyer_id"), "order")
        orders = self.sudo()
        orders._sellout_check_state(("draft", "submitted", "accepted"), self.env._("Cancelling"))
        if not (self.env.su or self.env.user._is_internal()):
            partner = self.env.user.commercial_partner_id
            if orders.filtered(lambda o: o.state == "accepted" and o.seller_id != partner):
                raise UserError(self.env._("An accepted order can only be cancelled by the dealer."))
        orders.write({"state": "cancelled"})
        return True

    def action_view_violations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Violations"),
            "res_model": "channel.violation",
            "view_mode": "list,form",
            "domain": [("sellout_line_ids.order_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _sellout_route_date(self):
        """The next date of the seller's own delivery route on or after the order date."""
        self.ensure_one()
        route = self.env["channel.sellout.route"].sudo().search([("seller_id", "=", self.seller_id.id)], limit=1)
        return route._next_date(self.date_order) if route else False

    @api.model
    def _sellout_resale_prices(self, seller, products):
        """The seller's resale prices {product id: price}, from its own pricelist only (as superuser:
        the pricelist is the dealer's, the portal user never reads it directly)."""
        pricelist = seller.sudo().channel_sellout_pricelist_id
        if not pricelist or not products:
            return {}
        items = (
            self.env["product.pricelist.item"]
            .sudo()
            .search(
                [
                    ("pricelist_id", "=", pricelist.id),
                    ("product_id", "in", products.ids),
                    ("compute_price", "=", "fixed"),
                ]
            )
        )
        return {item.product_id.id: item.fixed_price for item in items}

    @api.model
    def _sellout_priced_products(self, seller):
        """Products the seller resells (a price in its resale pricelist)."""
        pricelist = seller.sudo().channel_sellout_pricelist_id
        if not pricelist:
            return self.env["product.product"]
        items = (
            self.env["product.pricelist.item"]
            .sudo()
            .search(
                [
                    ("pricelist_id", "=", pricelist.id),
                    ("product_id", "!=", False),
                    ("compute_price", "=", "fixed"),
                ]
            )
        )
        return items.product_id.filtered(lambda p: p.active and p.sale_ok)

    @api.model
    def _sellout_prepare_order_vals(self, seller, buyer, quantities, source, date_order=None):
        """Values of a sell-out order at the seller's resale prices.

        :param quantities: {product: quantity}
        """
        prices = self._sellout_resale_prices(seller, self.env["product.product"].union(*quantities))
        missing = [product.display_name for product in quantities if product.id not in prices]
        if missing:
            raise UserError(
                self.env._(
                    "%(dealer)s has no resale price for: %(products)s.",
                    dealer=seller.display_name,
                    products=", ".join(missing),
                )
            )
        return {
            "seller_id": seller.id,
            "buyer_id": buyer.id,
            "source": source,
            "date_order": date_order or fields.Date.context_today(self),
            "line_ids": [
                (0, 0, {"product_id": product.id, "quantity": quantity, "price_unit": prices[product.id]})
                for product, quantity in sorted(quantities.items(), key=lambda item: item[0].id)
            ],
        }

    # ------------------------------------------------------------------
    # Import (XLSX / CSV): date, buyer reference, product code, quantity, price
    # ------------------------------------------------------------------
    @api.model
    def _sellout_read_file(self, content, filename):
        """Rows of an XLSX or CSV file as lists of cells (header row dropped)."""
        if len(content) > MAX_IMPORT_BYTES:
            raise UserError(self.env._("The file is too large (at most %s MB).", MAX_IMPORT_BYTES // (1024 * 1024)))
        name = (filename or "").lower()
        rows = []
        if name.endswith(".xlsx"):
            import openpyxl  # noqa: PLC0415 - external dependency declared in the manifest

            try:
                book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            except Exception as error:
                raise UserError(self.env._("The file cannot be read as an XLSX workbook: %s", error)) from error
            sheet = book.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        elif name.endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise UserError(self.env._("A CSV file must be encoded in UTF-8.")) from error
            dialect = csv.excel
            try:
                dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            rows = list(csv.reader(io.StringIO(text), dialect))
        else:
            raise UserError(self.env._("Upload an XLSX or CSV file."))
        rows = [row for row in rows[1:] if any(cell not in (None, "") for cell in row)]
        if len(rows) > MAX_IMPORT_ROWS:
            raise UserError(self.env._("At most %s rows can be imported at once.", MAX_IMPORT_ROWS))
        return rows

    @api.model
    def _sellout_parse_rows(self, seller, rows):
        """Check every row against the seller's buyers and the products.

        :return: (lines, errors): lines are dicts (row, date, buyer, product, quantity, price) of
            valid rows; errors are (row number, message) — the import creates nothing when any.
        """
        seller = seller.sudo()
        buyers = self.env["res.partner"].sudo().search([("channel_parent_id", "=", seller.id)])
        by_ref = {}
        for buyer in buyers:
            for key in (buyer.ref, buyer.name):
                if key:
                    by_ref.setdefault(key.strip().lower(), buyer)
        codes = {str(row[2]).strip() for row in rows if len(row) > 2 and row[2] not in (None, "")}
        products = self.env["product.product"].sudo().search([("default_code", "in", list(codes))])
        by_code = {product.default_code: product for product in products}
        # Today in the importing user's time zone (a portal request may carry no tz in its context).
        today = fields.Date.context_today(self.with_context(tz=self.env.context.get("tz") or self.env.user.tz))
        lines, errors = [], []
        for number, row in enumerate(rows, start=2):
            cells = list(row) + [None] * (5 - len(row))
            raw_date, raw_buyer, raw_code, raw_qty, raw_price = cells[:5]
            problems = []
            line_date = self._sellout_parse_date(raw_date)
            if not line_date:
                problems.append(self.env._("“%s” is not a date (YYYY-MM-DD).", raw_date or ""))
            elif line_date > today:
                problems.append(self.env._("the date %s is in the future.", line_date))
            buyer = by_ref.get(str(raw_buyer or "").strip().lower())
            if not buyer:
                problems.append(self.env._("“%s” is not one of your buyers.", raw_buyer or ""))
            product = by_code.get(str(raw_code or "").strip())
            if not product:
                problems.append(self.env._("no product has the code “%s”.", raw_code or ""))
            quantity = self._sellout_parse_number(raw_qty)
            if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
                problems.append(self.env._("“%s” is not a positive quantity.", raw_qty if raw_qty is not None else ""))
            price = self._sellout_parse_number(raw_price)
            if price is None or price < 0:
                problems.append(self.env._("“%s” is not a price.", raw_price if raw_price is not None else ""))
            if problems:
                errors.append((number, "; ".join(problems)))
                continue
            lines.append(
                {
                    "row": number,
                    "date": line_date,
                    "buyer": buyer,
                    "product": product,
                    "quantity": quantity,
                    "price": price,
                }
            )
        return lines, errors

    @api.model
    def _sellout_parse_date(self, value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date_type):
            return value
        try:
            return fields.Date.to_date(str(value or "").strip()[:10]) or None
        except ValueError:
            return None

    @api.model
    def _sellout_parse_number(self, value):
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            try:
                number = float(str(value or "").strip().replace(",", "."))
            except ValueError:
                return None
        return number if math.isfinite(number) else None

    @api.model
    def _sellout_import_lines(self, seller, lines):
        """Create the delivered sell-out orders of valid import lines (one per buyer and date), with
        one ``create`` for all of them; violations are opened as for delivered orders."""
        grouped = defaultdict(list)
        for line in lines:
            grouped[line["buyer"].id, line["date"]].append(line)
        vals_list = [
            {
                "seller_id": seller.id,
                "buyer_id": buyer_id,
                "date_order": line_date,
                "source": "import",
                "state": "delivered",
                "date_delivered": line_date,
                "line_ids": [
                    (
                        0,
                        0,
                        {"product_id": line["product"].id, "quantity": line["quantity"], "price_unit": line["price"]},
                    )
                    for line in group
                ],
            }
            for (buyer_id, line_date), group in sorted(grouped.items(), key=lambda item: (item[0][1], item[0][0]))
        ]
        orders = self.sudo().create(vals_list)
        orders.line_ids._sellout_create_violations()
        return orders

    @api.model
    def _sellout_import_file(self, seller, content, filename, preview=False):
        """Parse and (unless ``preview``) import a file for ``seller``; all rows or nothing.

        Public callers are refused unless staff: the portal page calls it as superuser after
        identifying the seller from the session.
        :return: (lines, errors, orders)
        """
        self.env["res.users"]._channel_check_internal_caller()
        rows = self._sellout_read_file(content, filename)
        lines, errors = self._sellout_parse_rows(seller, rows)
        if not rows:
            errors.append((0, self.env._("The file holds no rows.")))
        orders = self.browse()
        if not preview and not errors:
            orders = self._sellout_import_lines(seller, lines)
        return lines, errors, orders

    @api.model
    def _sellout_decode(self, data):
        try:
            return base64.b64decode(data or b"", validate=True)
        except ValueError as error:
            raise UserError(self.env._("The file could not be read.")) from error

    @api.model
    def _sellout_month_bounds(self, day):
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
