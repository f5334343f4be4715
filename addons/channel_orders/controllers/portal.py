import math
from datetime import date

from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.urls import url_encode

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import float_compare

from odoo.addons.channel_base.controllers.portal import ChannelPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.sale.controllers.portal import PaymentPortal

from ..models.res_partner import MAX_STATEMENT_MONTHS  # noqa: F401 (the portal's cap, kept importable here)

# Request parameters a dealer never decides: their mere presence is a tampering attempt.
FORBIDDEN_PARAMS = (
    "price", "partner", "pricelist", "tax", "discount", "company", "currency", "fiscal", "amount",
    "state", "route", "user_id", "approv", "commitment", "warehouse",
)
MAX_QUANTITY = 1000000


class ChannelOrderPortal(ChannelPortal):
    _channel_order_step = 50

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _channel_dealer_member(self, action):
        """The prelude of the dealer pages: ``(dealer, None)`` or ``(None, the "not allowed" page)``."""
        return self._channel_portal_member(action, roles=("dealer",))

    def _channel_dealer(self):
        """The dealer (commercial partner) of the logged-in portal user; 403 for anyone else."""
        dealer, refused = self._channel_dealer_member("read")
        if refused:
            raise Forbidden()
        return dealer

    def _channel_dealer_refused(self, action):
        """A message page when the dealer's user may not do ``action`` (see res.users._channel_portal_can)."""
        return self._channel_portal_refused(action)

    def _channel_check_params(self, params):
        """Refuse any request that tries to decide a price, a partner or taxes."""
        for key in params:
            lowered = key.lower()
            if any(word in lowered for word in FORBIDDEN_PARAMS):
                raise Forbidden()

    def _channel_dealer_order(self, dealer, order_id):
        """One of the dealer's channel orders (sudo), or 404."""
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order_sudo or order_sudo.channel_dealer_id != dealer or not order_sudo.channel_state:
            raise NotFound()
        return order_sudo

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        partner = self._channel_partner()
        is_dealer = bool(partner and partner.channel_role == "dealer")
        user = request.env.user
        values["channel_is_dealer"] = is_dealer and user._channel_portal_can("read")
        values["channel_can_order"] = is_dealer and user._channel_portal_can("order")
        values["channel_can_statement"] = is_dealer and user._channel_portal_can("statement")
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_order_count" in counters:
            partner = self._channel_partner()
            values["channel_order_count"] = (
                request.env["sale.order"].sudo().search_count(self._channel_orders_domain(partner))
                if partner and partner.channel_role == "dealer" and request.env.user._channel_portal_can("read")
                else 0
            )
        return values

    def _channel_warehouse(self, dealer):
        warehouse_sudo = dealer.sudo().channel_route_id.warehouse_id
        return warehouse_sudo or request.env["stock.warehouse"].sudo().search(
            [("company_id", "=", request.env.company.id)], limit=1
        )

    # ------------------------------------------------------------------
    # Quantities sent by the dealer
    # ------------------------------------------------------------------
    def _channel_read_quantity_params(self, params):
        """{product id: typed text} of the non-empty ``qty_<product id>`` parameters; 400 for a bad id."""
        raw = {}
        for key, value in params.items():
            if not key.startswith("qty_"):
                continue
            try:
                product_id = int(key[4:])
            except ValueError as error:
                raise BadRequest() from error
            text = (value or "").strip()
            if text:
                raw[product_id] = text
        return raw

    def _channel_quantity_products(self, dealer, raw, restrict_to=None):
        """The products of ``raw`` the dealer may order; 403 when one is outside its assortment (or
        outside ``restrict_to``)."""
        products = dealer._channel_orderable_products(raw)
        allowed_ids = set(products.ids)
        if restrict_to is not None:
            allowed_ids &= set(restrict_to.ids)
        if set(raw) - allowed_ids:
            raise Forbidden()
        return products

    def _channel_check_quantity(self, product, text):
        """``(quantity, None)`` for a valid typed quantity, else ``(None, error message)``."""
        try:
            quantity = float(text.replace(",", "."))
        except ValueError:
            return None, request.env._(
                "%(product)s: “%(qty)s” is not a quantity.", product=product.display_name, qty=text
            )
        if not math.isfinite(quantity) or quantity <= 0:
            return None, request.env._("%(product)s: the quantity must be positive.", product=product.display_name)
        if quantity > MAX_QUANTITY:
            return None, request.env._(
                "%(product)s: the quantity %(qty)s is too large.", product=product.display_name, qty=text
            )
        return quantity, None

    def _channel_round_typed_quantity(self, product, quantity):
        """``(rounded quantity, note or None)``: the quantity rounded to the sale packaging or the unit,
        with a note for the dealer when the rounding changed it."""
        Partner = request.env["res.partner"]
        rounded = Partner._channel_round_quantity(product, quantity)
        if not float_compare(rounded, quantity, precision_digits=6):
            return rounded, None
        packaging = Partner._channel_sale_packaging(product)
        return rounded, request.env._(
            "%(product)s: quantity rounded to %(qty)s (%(unit)s).",
            product=product.display_name,
            qty=self._channel_format_qty(rounded),
            unit=packaging.name if packaging else product.uom_id.name,
        )

    def _channel_parse_quantities(self, dealer, params, restrict_to=None):
        """Read ``qty_<product id>`` parameters.

        :return: ({product: rounded quantity}, [errors], [notes], {product id: raw text});
            403 when a product is outside the dealer's assortment (or outside ``restrict_to``).
        """
        raw = self._channel_read_quantity_params(params)
        if not raw:
            return {}, [], [], raw
        products = self._channel_quantity_products(dealer, raw, restrict_to=restrict_to)
        quantities, errors, notes = {}, [], []
        for product in products.sorted(lambda p: (p.default_code or "", p.id)):
            quantity, error = self._channel_check_quantity(product, raw[product.id])
            if error:
                errors.append(error)
                continue
            quantities[product], note = self._channel_round_typed_quantity(product, quantity)
            if note:
                notes.append(note)
        return quantities, errors, notes, raw

    # ------------------------------------------------------------------
    # Quick order
    # ------------------------------------------------------------------
    def _channel_order_page_size(self, ppg):
        """Products per page of the quick order: ``ppg`` from the request (1 to 200), else the default."""
        if ppg:
            try:
                return min(max(int(ppg), 1), 200)
            except ValueError:
                pass
        return self._channel_order_step

    def _channel_order_categories(self, dealer):
        """The product categories of the dealer's assortment, sorted by full name (one grouped query)."""
        Product_sudo = request.env["product.product"].sudo()
        groups = Product_sudo._read_group(dealer._channel_assortment_domain(), ["categ_id"], ["__count"])
        categories = [categ for categ, _count in groups if categ]
        categories.sort(key=lambda c: c.complete_name or "")
        return categories

    def _channel_order_category_id(self, category, categories):
        """The id of the category asked for when it is one of ``categories``, else False."""
        if not category:
            return False
        try:
            category_id = int(category)
        except ValueError:
            return False
        return category_id if category_id in {c.id for c in categories} else False

    def _channel_order_product_domain(self, dealer, search=None, category_id=False):
        """The products of the quick order page: the dealer's assortment, searched and filtered."""
        domain = list(dealer._channel_assortment_domain())
        if search:
            domain += ["|", "|", ("name", "ilike", search), ("default_code", "ilike", search), ("barcode", "=", search)]
        if category_id:
            domain += [("categ_id", "child_of", category_id)]
        return domain

    def _channel_order_stock(self, dealer, products):
        """{product id: {quantity figures}} in the dealer's warehouse, {} when stock is hidden."""
        if not products or request.env.company.channel_stock_display == "hidden":
            return {}
        warehouse = self._channel_warehouse(dealer)
        return products.with_context(warehouse_id=warehouse.id)._compute_quantities_dict(None, None, None)

    def _channel_order_values(self, dealer, page=1, search=None, category=None, ppg=None):
        """The values of the quick order page (override to add blocks to it)."""
        Product_sudo = request.env["product.product"].sudo()
        company = request.env.company
        step = self._channel_order_page_size(ppg)
        categories = self._channel_order_categories(dealer)
        category_id = self._channel_order_category_id(category, categories)
        domain = self._channel_order_product_domain(dealer, search, category_id)
        total = Product_sudo.search_count(domain)
        url_args = {"search": search, "category": category_id or None}
        if ppg:
            url_args["ppg"] = step
        pager = portal_pager(url="/my/channel/order", url_args=url_args, total=total, page=page, step=step)
        products_sudo = Product_sudo.search(domain, order="default_code, name, id", limit=step, offset=pager["offset"])
        # Load what the rows read for all the page's products at once (units, packagings, variant
        # values, the attribute values the price lookup reads): one query each whatever the page size.
        products_sudo.fetch(["uom_id", "product_tmpl_id", "packaging_ids", "product_template_attribute_value_ids",
                             "product_template_variant_value_ids"])
        products_sudo.uom_id.fetch(["name", "rounding"])
        prices = dealer.sudo()._channel_price_get(products_sudo, quantity=1.0) if products_sudo else {}
        cart = request.env["sale.order"]._channel_get_cart(dealer)
        cart_lines = cart.order_line.filtered(lambda line: line.product_id and not line.display_type)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_order",
                "dealer": dealer,
                "products": products_sudo,
                "prices": prices,
                "stock": self._channel_order_stock(dealer, products_sudo),
                "stock_display": company.channel_stock_display,
                "cart": cart,
                "cart_qty": {line.product_id.id: line.product_uom_qty for line in cart_lines},
                "categories": categories,
                "category_id": category_id,
                "search": search or "",
                "pager": pager,
                "ppg": ppg,
                "packaging": {
                    product.id: request.env["res.partner"]._channel_sale_packaging(product)
                    for product in products_sudo
                },
                "format_qty": self._channel_format_qty,
                "currency": self._channel_price_currency(dealer),
                "errors": [],
                "notes": request.session.pop("channel_order_notes", []),
                "typed": {},
            }
        )
        return values

    def _channel_price_currency(self, dealer):
        """The currency of the dealer's prices (its pricelist's, as ``_channel_price_get`` returns them)."""
        return dealer.sudo()._channel_pricelist().currency_id or request.env.company.currency_id

    def _channel_order_page_other_role(self, partner, page=1, search=None, category=None, ppg=None, **kw):
        """The quick order page of a channel member that is not a dealer (a response), or None.

        The page orders from the manufacturer for dealers; modules that let other roles order
        (e.g. sub-distributors from their dealer) override this and dispatch on ``partner.channel_role``.
        """
        return False

    @http.route(
        ["/my/channel/order", "/my/channel/order/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_channel_order(self, page=1, search=None, category=None, ppg=None, **kw):
        other = self._channel_order_page_other_role(self._channel_partner(), page, search, category, ppg, **kw)
        if other:
            return other
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._channel_check_params(kw)
        values = self._channel_order_values(dealer, page, search, category, ppg)
        return request.render("channel_orders.portal_channel_order", values)

    @http.route("/my/channel/order/update", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_order_update(self, page=1, search=None, category=None, ppg=None, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._channel_check_params(kw)
        if kw.get("order_id"):
            cart = request.env["sale.order"]._channel_get_cart(dealer)
            if str(cart.id) != str(kw["order_id"]):
                raise NotFound()
        quantities, errors, notes, raw = self._channel_parse_quantities(dealer, kw)
        if errors or not quantities:
            try:
                page = int(page)
            except ValueError:
                page = 1
            values = self._channel_order_values(dealer, page, search, category, ppg)
            values["errors"] = errors or [request.env._("Enter a quantity for at least one product.")]
            values["typed"] = raw
            return request.render("channel_orders.portal_channel_order", values)
        cart = request.env["sale.order"]._channel_get_cart(dealer, create=True)
        cart._channel_set_quantities(quantities)
        request.session["channel_order_notes"] = notes + [
            request.env._("%(count)s product(s) saved in your cart.", count=len(quantities))
        ]
        url_args = {key: value for key, value in {"search": search, "category": category, "ppg": ppg}.items() if value}
        url = f"/my/channel/order/page/{int(page) if str(page).isdigit() else 1}"
        return request.redirect(f"{url}?{url_encode(url_args)}" if url_args else url)

    # ------------------------------------------------------------------
    # Cart
    # ------------------------------------------------------------------
    def _channel_cart_values(self, dealer, errors=None, notes=None):
        cart = request.env["sale.order"]._channel_get_cart(dealer)
        lines = cart.order_line.filtered(lambda line: not line.display_type)
        values = self._prepare_portal_layout_values()
        order_types = request.env["sale.order"]._fields["channel_order_type"]._description_selection(request.env)
        values.update(
            {
                "page_name": "channel_cart",
                "dealer": dealer,
                "cart": cart,
                "lines": lines,
                "packaging": {
                    product.id: request.env["res.partner"]._channel_sale_packaging(product)
                    for product in lines.product_id
                },
                "order_types": order_types,
                "format_qty": self._channel_format_qty,
                "errors": errors or [],
                "notes": (notes or []) + request.session.pop("channel_order_notes", []),
            }
        )
        return values

    @http.route("/my/channel/cart", type="http", auth="user", website=True, methods=["GET"])
    def portal_channel_cart(self, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._channel_check_params(kw)
        return request.render("channel_orders.portal_channel_cart", self._channel_cart_values(dealer))

    def _channel_cart_header_values(self, params):
        vals = {}
        order_type = params.get("order_type")
        if order_type:
            if order_type not in dict(request.env["sale.order"]._fields["channel_order_type"].selection):
                raise BadRequest()
            vals["channel_order_type"] = order_type
        if "client_order_ref" in params:
            vals["client_order_ref"] = (params.get("client_order_ref") or "").strip()[:64] or False
        return vals

    def _channel_posted_cart(self, dealer, params):
        """The dealer's cart a form was posted for (None when it has none); 404 for another order id."""
        self._channel_check_params(params)
        cart = request.env["sale.order"]._channel_get_cart(dealer)
        if params.get("order_id") and str(params["order_id"]) != str(cart.id):
            raise NotFound()
        return cart or None

    def _channel_remove_product_line(self, order, product_ref):
        """Remove the lines of the product ``product_ref`` (a posted id) from ``order``; 404 when none."""
        try:
            product_id = int(product_ref)
        except ValueError as error:
            raise BadRequest() from error
        lines = order.order_line.filtered(lambda line: line.product_id.id == product_id)
        if not lines:
            raise NotFound()
        lines.unlink()

    @http.route("/my/channel/cart/update", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_cart_update(self, remove=None, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        cart = self._channel_posted_cart(dealer, kw)
        if not cart:
            return request.redirect("/my/channel/order")
        header = self._channel_cart_header_values(kw)
        if remove:
            self._channel_remove_product_line(cart, remove)
            if header:
                cart.write(header)
            cart._channel_apply_prices()
            return request.redirect("/my/channel/cart")
        quantities, errors, notes, _raw = self._channel_parse_quantities(
            dealer, kw, restrict_to=cart.order_line.product_id
        )
        if errors:
            return request.render(
                "channel_orders.portal_channel_cart", self._channel_cart_values(dealer, errors=errors)
            )
        if header:
            cart.write(header)
        cart._channel_set_quantities(quantities)
        request.session["channel_order_notes"] = notes + [request.env._("Your cart was updated.")]
        return request.redirect("/my/channel/cart")

    @http.route("/my/channel/cart/submit", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_cart_submit(self, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        cart = self._channel_posted_cart(dealer, kw)
        if not cart:
            return request.redirect("/my/channel/order")
        header = self._channel_cart_header_values(kw)
        try:
            with request.env.cr.savepoint():
                if header:
                    cart.write(header)
                cart._channel_apply_prices()
                cart.action_channel_submit()
        except UserError as error:
            return request.render(
                "channel_orders.portal_channel_cart", self._channel_cart_values(dealer, errors=[error.args[0]])
            )
        return request.redirect(f"/my/channel/orders/{cart.id}?submitted=1")

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------
    def _channel_orders_domain(self, dealer):
        return [("channel_dealer_id", "=", dealer.id), ("channel_state", "!=", False), ("channel_cart", "=", False)]

    def _channel_orders_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "progress": {
                "label": request.env._("In progress"),
                "domain": [("channel_state", "in", ("draft", "to_sales", "to_finance", "confirmed", "picked"))],
            },
            "shipped": {"label": request.env._("To receive"), "domain": [("channel_state", "=", "shipped")]},
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("channel_state", "in", ("received", "done", "rejected", "cancelled"))],
            },
        }

    def _prepare_channel_orders_values(self, dealer, page=1, filterby="all"):
        """The values of the dealer's order list (read as superuser within the dealer's own orders)."""
        filters = self._channel_orders_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._channel_orders_domain(dealer) + filters[filterby]["domain"]
        orders_sudo, pager = self._channel_page_of(
            request.env["sale.order"].sudo(),
            domain,
            "/my/channel/orders",
            page,
            url_args={"filterby": filterby},
            order="date_order desc, id desc",
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_orders",
                "dealer": dealer,
                "orders": orders_sudo,
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
                "default_url": "/my/channel/orders",
            }
        )
        return values

    @http.route(
        ["/my/channel/orders", "/my/channel/orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_channel_orders(self, page=1, filterby="all", **kw):
        dealer, refused = self._channel_dealer_member("read")
        if refused:
            return refused
        self._channel_check_params(kw)
        values = self._prepare_channel_orders_values(dealer, page, filterby)
        return request.render("channel_orders.portal_channel_orders", values)

    @http.route("/my/channel/orders.xlsx", type="http", auth="user", methods=["GET"])
    def portal_channel_orders_xlsx(self, **kw):
        dealer, refused = self._channel_dealer_member("read")
        if refused:
            return refused
        self._channel_check_params(kw)
        orders_sudo = (
            request.env["sale.order"]
            .sudo()
            .search(self._channel_orders_domain(dealer), order="date_order desc, id desc")
        )
        return self._channel_xlsx_response(orders_sudo._channel_orders_xlsx(), "orders.xlsx")

    def _prepare_channel_order_page_values(self, dealer, order_sudo, submitted=None):
        """The values of one order's page: its approval chain, its state and what the user may do."""
        values = self._prepare_portal_layout_values()
        steps = order_sudo._channel_chain_steps()
        state_names = dict(order_sudo._fields["channel_state"]._description_selection(request.env))
        values.update(
            {
                "page_name": "channel_order_detail",
                "dealer": dealer,
                "order": order_sudo,
                "steps": [(step, state_names[step]) for step in steps],
                "state_names": state_names,
                "submitted": bool(submitted),
                "notes": request.session.pop("channel_order_notes", []),
                "can_confirm_receipt": order_sudo.channel_state == "shipped"
                and order_sudo.company_id.channel_receipt_confirmation
                and request.env.user._channel_portal_can("receipt"),
            }
        )
        return values

    @http.route("/my/channel/orders/<int:order_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_channel_order_page(self, order_id, submitted=None, **kw):
        dealer, refused = self._channel_dealer_member("read")
        if refused:
            return refused
        self._channel_check_params(kw)
        order_sudo = self._channel_dealer_order(dealer, order_id)
        values = self._prepare_channel_order_page_values(dealer, order_sudo, submitted=submitted)
        return request.render("channel_orders.portal_channel_order_page", values)

    @http.route("/my/channel/orders/<int:order_id>/receipt", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_order_receipt(self, order_id, note=None, **kw):
        dealer, refused = self._channel_dealer_member("receipt")
        if refused:
            return refused
        self._channel_check_params(kw)
        order_sudo = self._channel_dealer_order(dealer, order_id)
        if order_sudo.channel_state != "shipped" or not order_sudo.company_id.channel_receipt_confirmation:
            request.session["channel_order_notes"] = [request.env._("This order cannot be confirmed as received now.")]
            return request.redirect(f"/my/channel/orders/{order_sudo.id}")
        order_sudo.action_channel_confirm_receipt((note or "")[:2000])
        request.session["channel_order_notes"] = [request.env._("Thank you: the receipt of this order is confirmed.")]
        return request.redirect(f"/my/channel/orders/{order_sudo.id}")

    @http.route("/my/channel/orders/<int:order_id>/reorder", type="http", auth="user", website=True, methods=["POST"])
    def portal_channel_order_reorder(self, order_id, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._channel_check_params(kw)
        order_sudo = self._channel_dealer_order(dealer, order_id)
        request.session["channel_order_notes"] = self._channel_reorder_into_cart(dealer, order_sudo)
        return request.redirect("/my/channel/cart")

    def _channel_reorder_quantities(self, dealer, lines, cart):
        """{product: quantity in the cart after adding ``lines``}, rounded, for the products of
        ``lines`` the dealer may still order."""
        orderable = dealer._channel_orderable_products(lines.product_id.ids)
        in_cart = {line.product_id: line.product_uom_qty for line in cart.order_line if not line.display_type}
        quantities = {}
        for line in lines.filtered(lambda line: line.product_id in orderable):
            quantity = line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
            quantities[line.product_id] = quantities.get(line.product_id, in_cart.get(line.product_id, 0.0)) + quantity
        Partner = request.env["res.partner"]
        return {product: Partner._channel_round_quantity(product, qty) for product, qty in quantities.items()}

    def _channel_reorder_into_cart(self, dealer, order_sudo):
        """Add the products of ``order_sudo`` to the dealer's cart; the notes to show on the cart."""
        lines = order_sudo.order_line.filtered(
            lambda line: line.product_id and not line.display_type and line.product_uom_qty > 0
        )
        cart = request.env["sale.order"]._channel_get_cart(dealer, create=True)
        quantities = self._channel_reorder_quantities(dealer, lines, cart)
        notes = []
        too_large = [product for product, qty in quantities.items() if qty > MAX_QUANTITY]
        if too_large:
            notes.append(
                request.env._(
                    "Not added, the quantity would exceed %(max)s: %(products)s",
                    max=self._channel_format_qty(MAX_QUANTITY),
                    products=", ".join(product.display_name for product in too_large),
                )
            )
            quantities = {product: qty for product, qty in quantities.items() if product not in too_large}
        skipped = lines.product_id - dealer._channel_orderable_products(lines.product_id.ids)
        if skipped:
            notes.append(request.env._("No longer available to you: %s", ", ".join(skipped.mapped("display_name"))))
        if quantities:
            cart._channel_set_quantities(quantities)
            notes.append(request.env._("The products of order %s were added to your cart.", order_sudo.name))
        return notes

    # ------------------------------------------------------------------
    # Statement of account
    # ------------------------------------------------------------------
    def _channel_statement_period(self, date_from, date_to):
        today = fields.Date.context_today(request.env.user)
        try:
            start = fields.Date.to_date(date_from) if date_from else today.replace(day=1) - relativedelta(months=2)
            end = fields.Date.to_date(date_to) if date_to else today
        except ValueError as error:
            raise BadRequest() from error
        if not isinstance(start, date) or not isinstance(end, date):
            raise BadRequest()
        return start, end

    def _channel_statement_period_error(self, start, end):
        """Why a statement period is refused (a sentence), or None."""
        if start > end:
            return request.env._("The period starts after it ends.")
        return request.env["res.partner"]._channel_statement_length_error(start, end)

    def _channel_statement_redirect(self, start, end):
        """Back to the statement page for the period (where its error is shown)."""
        query = url_encode({"date_from": fields.Date.to_string(start), "date_to": fields.Date.to_string(end)})
        return request.redirect(f"/my/channel/statement?{query}")

    @http.route("/my/channel/statement", type="http", auth="user", website=True, methods=["GET"])
    def portal_channel_statement(self, date_from=None, date_to=None, **kw):
        dealer, refused = self._channel_dealer_member("statement")
        if refused:
            return refused
        self._channel_check_params(kw)
        start, end = self._channel_statement_period(date_from, date_to)
        values = self._prepare_channel_statement_values(dealer, start, end)
        return request.render("channel_orders.portal_channel_statement", values)

    def _prepare_channel_statement_values(self, dealer, start, end):
        """The values of the statement page for the period (or its error)."""
        values = self._prepare_portal_layout_values()
        errors = []
        statement = None
        error = self._channel_statement_period_error(start, end)
        if error:
            errors.append(error)
        else:
            statement = dealer.sudo()._channel_statement(start, end)
        values.update(
            {
                "page_name": "channel_statement",
                "dealer": dealer,
                "statement": statement,
                "date_from": start,
                "date_to": end,
                "currency": request.env.company.currency_id,
                "errors": errors,
            }
        )
        return values

    @http.route("/my/channel/statement/pdf", type="http", auth="user", methods=["GET"])
    def portal_channel_statement_pdf(self, date_from=None, date_to=None, **kw):
        dealer, refused = self._channel_dealer_member("statement")
        if refused:
            return refused
        self._channel_check_params(kw)
        start, end = self._channel_statement_period(date_from, date_to)
        if self._channel_statement_period_error(start, end):
            return self._channel_statement_redirect(start, end)
        data = {"date_from": fields.Date.to_string(start), "date_to": fields.Date.to_string(end)}
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("channel_orders.action_report_channel_statement", [dealer.id], data=data)
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(f"statement-{start}-{end}.pdf")),
            ],
        )

    @http.route("/my/channel/statement/xlsx", type="http", auth="user", methods=["GET"])
    def portal_channel_statement_xlsx(self, date_from=None, date_to=None, **kw):
        dealer, refused = self._channel_dealer_member("statement")
        if refused:
            return refused
        self._channel_check_params(kw)
        start, end = self._channel_statement_period(date_from, date_to)
        if self._channel_statement_period_error(start, end):
            return self._channel_statement_redirect(start, end)
        content = dealer.sudo()._channel_statement_xlsx(start, end)
        return self._channel_xlsx_response(content, f"statement-{start}-{end}.xlsx")


class ChannelOrderPaymentPortal(PaymentPortal):
    @http.route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        """Dealer orders are not paid online before their approval chain confirms them: paying would
        be a way around it. Refused with a clear message (nothing is created)."""
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if order_sudo and order_sudo.channel_dealer_id and order_sudo.state in ("draft", "sent"):
            raise ValidationError(
                request.env._(
                    "Order %s is a dealer order: it is confirmed by its approval chain, not by an online payment.",
                    order_sudo.name,
                )
            )
        return super().portal_order_transaction(order_id, access_token, **kwargs)
