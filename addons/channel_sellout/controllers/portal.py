import base64
import math

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.channel_orders.controllers.portal import ChannelOrderPortal

MAX_QUANTITY = 1000000
MAX_PRICE = 1e9
# Request parameters nobody decides on the sell-out pages (prices come from the dealer's
# pricelist, partners from the session).
FORBIDDEN_PARAMS = ("price_unit", "seller", "amount", "state", "company", "currency", "source", "subtotal")
SELLER_ACTIONS = ("accept", "reject", "deliver", "cancel")
BUYER_ACTIONS = ("receive", "cancel")


class ChannelSelloutPortal(ChannelOrderPortal):
    # ------------------------------------------------------------------
    # Preludes
    # ------------------------------------------------------------------
    def _sellout_check_params(self, params):
        for key in params:
            if any(word in key.lower() for word in FORBIDDEN_PARAMS):
                raise Forbidden()

    def _sellout_buyer_dealer(self, partner):
        """The dealer a sub-distributor or retailer buys from, or None."""
        if not partner or partner.channel_role not in ("distributor", "retailer"):
            return None
        dealer_sudo = partner.sudo().channel_parent_id
        return dealer_sudo if dealer_sudo.channel_role == "dealer" else None

    def _sellout_party_member(self, action):
        """The prelude of the sell-out order pages: ``(partner, is_seller, None)`` for a dealer (the
        seller) or a sub-distributor / retailer buying from one, else ``(None, False, the "not allowed"
        page)``."""
        partner, refused = self._channel_portal_member(action, roles=("dealer", "distributor", "retailer"))
        if refused:
            return None, False, refused
        if partner.channel_role == "dealer":
            return partner, True, None
        if self._sellout_buyer_dealer(partner):
            return partner, False, None
        return None, False, self._channel_portal_not_available()

    def _sellout_buyer_member(self, action):
        """The prelude of a buyer's order form: ``(buyer, its dealer, None)`` or ``(None, None, the "not
        allowed" page)``."""
        partner, refused = self._channel_portal_member(action, roles=("distributor", "retailer"))
        if refused:
            return None, None, refused
        dealer = self._sellout_buyer_dealer(partner)
        if not dealer:
            return None, None, self._channel_portal_not_available()
        return partner, dealer, None

    def _sellout_party(self):
        """(partner, is_seller) of the logged-in user for the sell-out pages; 403 for anyone else."""
        partner = self._channel_partner()
        if partner and partner.channel_role == "dealer":
            return partner, True
        if self._sellout_buyer_dealer(partner):
            return partner, False
        raise Forbidden()

    def _sellout_check_quantity(self, product, text):
        """``(quantity, None)`` for a valid typed quantity, else ``(None, error message)``."""
        try:
            quantity = float(text.replace(",", "."))
        except ValueError:
            quantity = -1
        if not math.isfinite(quantity) or quantity <= 0 or quantity > MAX_QUANTITY:
            return None, request.env._(
                "%(product)s: “%(qty)s” is not a valid quantity.", product=product.display_name, qty=text
            )
        return quantity, None

    def _sellout_parse_quantities(self, params, allowed):
        """{product: quantity} from ``qty_<id>`` parameters; 403 for a product outside ``allowed``."""
        raw = self._channel_read_quantity_params(params)
        if set(raw) - set(allowed.ids):
            raise Forbidden()
        quantities, errors = {}, []
        Partner = request.env["res.partner"]
        for product in allowed.filtered(lambda p: p.id in raw):
            quantity, error = self._sellout_check_quantity(product, raw[product.id])
            if error:
                errors.append(error)
                continue
            quantities[product] = Partner._channel_round_quantity(product, quantity)
        return quantities, errors, raw

    def _sellout_stock(self, dealer, products):
        """The dealer's estimated stock of ``products`` {product id: quantity} (one query)."""
        groups = (
            request.env["channel.dealer.stock"]
            .sudo()
            ._read_group(
                [("partner_id", "=", dealer.id), ("product_id", "in", products.ids)],
                ["product_id"],
                ["qty_on_hand:sum"],
            )
        )
        return {product.id: quantity for product, quantity in groups}

    # ------------------------------------------------------------------
    # A sub-distributor's quick order: from its dealer
    # ------------------------------------------------------------------
    def _channel_order_page_other_role(self, partner, page=1, search=None, category=None, ppg=None, **kw):
        dealer = self._sellout_buyer_dealer(partner)
        if not dealer:
            return super()._channel_order_page_other_role(partner, page, search, category, ppg, **kw)
        if refused := self._channel_portal_refused("order"):
            return refused
        self._sellout_check_params(kw)
        return request.render(
            "channel_sellout.portal_sellout_buyer_order",
            self._sellout_buyer_order_values(partner, dealer, search=search),
        )

    def _sellout_buyer_order_values(self, buyer, dealer, search=None, errors=None, typed=None):
        Order = request.env["channel.sellout.order"]
        products = Order._sellout_priced_products(dealer)
        if search:
            products = products.filtered(
                lambda p: search.lower() in (p.display_name or "").lower() or search == p.barcode
            )
        prices = Order._sellout_resale_prices(dealer, products)
        route_sudo = request.env["channel.sellout.route"].sudo().search([("seller_id", "=", dealer.id)], limit=1)
        suggestions = route_sudo._get_suggested_quantities(buyer).get(buyer.id, {}) if route_sudo else {}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_order",
                "buyer": buyer,
                "dealer": dealer,
                "products": products.sorted(lambda p: (p.default_code or "", p.id)),
                "prices": prices,
                "stock": self._sellout_stock(dealer, products),
                "route_date": route_sudo.next_date if route_sudo else False,
                "suggestions": suggestions,
                "currency": request.env.company.currency_id,
                "format_qty": self._channel_format_qty,
                "search": search or "",
                "errors": errors or [],
                "typed": typed or {},
            }
        )
        return values

    @http.route("/my/channel/order/sellout", type="http", auth="user", website=True, methods=["POST"])
    def portal_sellout_buyer_submit(self, **kw):
        partner, dealer, refused = self._sellout_buyer_member("order")
        if refused:
            return refused
        self._sellout_check_params(kw)
        Order = request.env["channel.sellout.order"]
        allowed = Order._sellout_priced_products(dealer)
        quantities, errors, raw = self._sellout_parse_quantities(kw, allowed)
        if errors or not quantities:
            values = self._sellout_buyer_order_values(
                partner,
                dealer,
                errors=errors or [request.env._("Enter a quantity for at least one product.")],
                typed=raw,
            )
            return request.render("channel_sellout.portal_sellout_buyer_order", values)
        vals = Order._sellout_prepare_order_vals(dealer, partner, quantities, "distributor_portal")
        vals["note"] = (kw.get("note") or "").strip()[:2000] or False
        order_sudo = Order.sudo().create(vals)
        order_sudo.route_date = order_sudo._sellout_route_date()
        order_sudo.with_env(request.env).action_submit()
        request.session["channel_sellout_notes"] = [request.env._("Order %s sent to your dealer.", order_sudo.name)]
        return request.redirect(f"/my/channel/sellout/{order_sudo.id}")

    # ------------------------------------------------------------------
    # Sell-out orders: the dealer's order desk, the buyer's orders
    # ------------------------------------------------------------------
    def _sellout_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "submitted": {"label": request.env._("To accept"), "domain": [("state", "=", "submitted")]},
            "accepted": {"label": request.env._("To deliver"), "domain": [("state", "=", "accepted")]},
            "delivered": {"label": request.env._("Delivered"), "domain": [("state", "in", ("delivered", "received"))]},
        }

    @http.route(
        ["/my/channel/sellout", "/my/channel/sellout/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_sellout_orders(self, page=1, filterby="all", **kw):
        partner, is_seller, refused = self._sellout_party_member("read")
        if refused:
            return refused
        self._sellout_check_params(kw)
        values = self._prepare_sellout_orders_values(partner, is_seller, page, filterby)
        return request.render("channel_sellout.portal_sellout_orders", values)

    def _prepare_sellout_orders_values(self, partner, is_seller, page=1, filterby="all"):
        """The values of the sell-out order list: the dealer's order desk, or the buyer's orders."""
        filters = self._sellout_filters()
        filterby = filterby if filterby in filters else "all"
        # Read with the user's own rights: the record rules give a dealer its sell-out, a buyer its orders.
        domain = [("seller_id" if is_seller else "buyer_id", "=", partner.id)] + filters[filterby]["domain"]
        orders, pager = self._channel_page_of(
            request.env["channel.sellout.order"], domain, "/my/channel/sellout", page, url_args={"filterby": filterby}
        )
        # Found with the user's rights; the other party's name is read as superuser (a buyer does not
        # read its dealer's partner record).
        orders_sudo = orders.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout",
                "partner": partner,
                "is_seller": is_seller,
                "orders": orders_sudo,
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
                "default_url": "/my/channel/sellout",
                "notes": request.session.pop("channel_sellout_notes", []),
            }
        )
        return values

    def _sellout_order(self, order_id):
        """A sell-out order the user may read (record rules), in the user's environment, or 404."""
        try:
            order_sudo = self._document_check_access("channel.sellout.order", order_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return order_sudo.with_env(request.env)

    @http.route("/my/channel/sellout/<int:order_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_sellout_order(self, order_id, **kw):
        partner, is_seller, refused = self._sellout_party_member("read")
        if refused:
            return refused
        self._sellout_check_params(kw)
        order = self._sellout_order(order_id)
        values = self._prepare_sellout_order_values(partner, is_seller, order)
        return request.render("channel_sellout.portal_sellout_order", values)

    def _sellout_order_actions(self, partner, is_seller, order):
        """The buttons ``partner`` gets on ``order`` (its side of the order, its job role's rights)."""
        user = request.env.user
        if is_seller and order.seller_id == partner and user._channel_portal_can("order"):
            return {"submitted": ["accept", "reject", "cancel"], "accepted": ["deliver", "cancel"]}.get(
                order.state, []
            )
        if order.buyer_id == partner:
            if order.state == "delivered" and user._channel_portal_can("receipt"):
                return ["receive"]
            if order.state == "submitted" and user._channel_portal_can("order"):
                return ["cancel"]
        return []

    def _prepare_sellout_order_values(self, partner, is_seller, order):
        """The values of one sell-out order's page (the other party's name is read as superuser)."""
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_detail",
                "order": order.sudo(),
                "is_seller": is_seller,
                "actions": self._sellout_order_actions(partner, is_seller, order),
                "state_names": dict(order._fields["state"]._description_selection(request.env)),
                "notes": request.session.pop("channel_sellout_notes", []),
            }
        )
        return values

    @http.route(
        "/my/channel/sellout/<int:order_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_sellout_order_action(self, order_id, action, **kw):
        _partner, is_seller, refused = self._sellout_party_member("receipt" if action == "receive" else "order")
        if refused:
            return refused
        self._sellout_check_params(kw)
        if action not in (SELLER_ACTIONS if is_seller else BUYER_ACTIONS):
            raise NotFound()
        order = self._sellout_order(order_id)
        try:
            with request.env.cr.savepoint():
                # The action checks the user's party on the order itself, then writes as superuser.
                getattr(order, f"action_{action}")()
            notes = [
                request.env._(
                    "Order %(order)s: %(state)s.",
                    order=order.name,
                    state=dict(order._fields["state"]._description_selection(request.env))[order.state],
                )
            ]
        except (UserError, AccessError) as error:
            notes = [error.args[0]]
        request.session["channel_sellout_notes"] = notes
        return request.redirect(f"/my/channel/sellout/{order.id}")

    # ------------------------------------------------------------------
    # Orders taken by phone (the dealer)
    # ------------------------------------------------------------------
    def _sellout_dealer(self):
        """The dealer of the logged-in user; 403 for anyone else (the pages use the dealer prelude)."""
        dealer, refused = self._channel_dealer_member("read")
        if refused:
            raise Forbidden()
        return dealer

    def _sellout_new_values(self, dealer, errors=None, typed=None):
        Order = request.env["channel.sellout.order"]
        products = Order._sellout_priced_products(dealer)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_new",
                "dealer": dealer,
                "buyers": request.env["res.partner"]
                .sudo()
                .search([("channel_parent_id", "=", dealer.id), ("is_company", "=", True)], order="name"),
                "products": products.sorted(lambda p: (p.default_code or "", p.id)),
                "prices": Order._sellout_resale_prices(dealer, products),
                "currency": request.env.company.currency_id,
                "errors": errors or [],
                "typed": typed or {},
            }
        )
        return values

    @http.route("/my/channel/sellout/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_sellout_new(self, buyer_id=None, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._sellout_check_params(kw)
        if request.httprequest.method != "POST":
            return request.render("channel_sellout.portal_sellout_new", self._sellout_new_values(dealer))
        try:
            buyer_sudo = request.env["res.partner"].sudo().browse(int(buyer_id or 0)).exists()
        except ValueError as error:
            raise BadRequest() from error
        if not buyer_sudo or buyer_sudo.channel_parent_id != dealer:
            raise Forbidden()
        Order = request.env["channel.sellout.order"]
        quantities, errors, raw = self._sellout_parse_quantities(kw, Order._sellout_priced_products(dealer))
        if errors or not quantities:
            return request.render(
                "channel_sellout.portal_sellout_new",
                self._sellout_new_values(
                    dealer, errors=errors or [request.env._("Enter a quantity for at least one product.")], typed=raw
                ),
            )
        vals = Order._sellout_prepare_order_vals(dealer, buyer_sudo, quantities, "dealer_portal")
        order_sudo = Order.sudo().create(vals)
        order = order_sudo.with_env(request.env)
        order.action_submit()
        order.action_accept()
        request.session["channel_sellout_notes"] = [request.env._("Order %s entered and accepted.", order.name)]
        return request.redirect(f"/my/channel/sellout/{order.id}")

    # ------------------------------------------------------------------
    # The dealer's resale prices
    # ------------------------------------------------------------------
    def _sellout_prices_values(self, dealer, errors=None, typed=None):
        products = (
            request.env["product.product"]
            .sudo()
            .search(dealer._channel_assortment_domain(), order="default_code, name, id", limit=500)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_prices",
                "dealer": dealer,
                "products": products,
                "resale": request.env["channel.sellout.order"]._sellout_resale_prices(dealer, products),
                "currency": request.env.company.currency_id,
                "errors": errors or [],
                "typed": typed or {},
                "notes": request.session.pop("channel_sellout_notes", []),
            }
        )
        return values

    @http.route("/my/channel/sellout/prices", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_sellout_prices(self, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        if request.httprequest.method != "POST":
            self._sellout_check_params(kw)
            return request.render("channel_sellout.portal_sellout_prices", self._sellout_prices_values(dealer))
        raw = self._sellout_read_price_params(kw)
        prices, errors = self._sellout_parse_prices(dealer, raw)
        if errors:
            return request.render(
                "channel_sellout.portal_sellout_prices", self._sellout_prices_values(dealer, errors=errors, typed=raw)
            )
        self._sellout_save_prices(dealer, prices)
        request.session["channel_sellout_notes"] = [request.env._("Your resale prices are saved.")]
        return request.redirect("/my/channel/sellout/prices")

    def _sellout_read_price_params(self, params):
        """{product id: typed text} of the ``resale_<product id>`` parameters; 403 for any other
        parameter, 400 for a bad id."""
        raw = {}
        for key, value in params.items():
            if key == "csrf_token":
                continue
            if not key.startswith("resale_"):
                raise Forbidden()
            try:
                raw[int(key[7:])] = (value or "").strip()
            except ValueError as error:
                raise BadRequest() from error
        return raw

    def _sellout_parse_prices(self, dealer, raw):
        """({product id: price, or None to remove it}, [errors]) from the typed prices; 403 for a
        product outside the dealer's assortment."""
        products_sudo = (
            request.env["product.product"]
            .sudo()
            .search([("id", "in", list(raw))] + dealer._channel_assortment_domain())
        )
        if set(raw) - set(products_sudo.ids):
            raise Forbidden()
        prices, errors = {}, []
        for product in products_sudo:
            text = raw[product.id]
            if not text:
                prices[product.id] = None
                continue
            try:
                price = float(text.replace(",", "."))
            except ValueError:
                price = -1
            if not math.isfinite(price) or price < 0 or price > MAX_PRICE:
                errors.append(
                    request.env._("%(product)s: “%(price)s” is not a price.", product=product.display_name, price=text)
                )
                continue
            prices[product.id] = price
        return prices, errors

    def _sellout_save_prices(self, dealer, prices):
        """Write the dealer's resale prices {product id: price or None} in its own pricelist."""
        pricelist = dealer._channel_sellout_pricelist()
        Item_sudo = request.env["product.pricelist.item"].sudo()
        items_sudo = Item_sudo.search([("pricelist_id", "=", pricelist.id), ("product_id", "in", list(prices))])
        by_product = {item.product_id.id: item for item in items_sudo}
        to_create = []
        for product_id, price in prices.items():
            item = by_product.get(product_id)
            if price is None:
                if item:
                    item.unlink()
            elif item:
                if item.fixed_price != price:
                    item.fixed_price = price
            else:
                product_sudo = request.env["product.product"].sudo().browse(product_id)
                to_create.append(
                    {
                        "pricelist_id": pricelist.id,
                        "applied_on": "0_product_variant",
                        "product_id": product_id,
                        "product_tmpl_id": product_sudo.product_tmpl_id.id,
                        "compute_price": "fixed",
                        "fixed_price": price,
                    }
                )
        if to_create:
            Item_sudo.create(to_create)

    # ------------------------------------------------------------------
    # Import from the dealer's own system
    # ------------------------------------------------------------------
    @http.route("/my/channel/sellout/import", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_sellout_import(self, upload=None, content=None, filename=None, confirm=None, **kw):
        dealer, refused = self._channel_dealer_member("order")
        if refused:
            return refused
        self._sellout_check_params(kw)
        values = self._prepare_sellout_import_values(dealer)
        if request.httprequest.method == "POST":
            values.update(self._sellout_import_upload(dealer, upload, content, filename, confirm))
        return request.render("channel_sellout.portal_sellout_import", values)

    def _prepare_sellout_import_values(self, dealer):
        """The values of the empty import page."""
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_import",
                "dealer": dealer,
                "lines": [],
                "errors": [],
                "content": False,
                "filename": False,
                "imported": False,
            }
        )
        return values

    def _sellout_import_upload(self, dealer, upload, content, filename, confirm):
        """Preview (or, with ``confirm``, import) the posted file: the page values it changes. The file
        comes as an upload, or as the content of a confirmed preview."""
        Order_sudo = request.env["channel.sellout.order"].sudo()
        try:
            if upload and hasattr(upload, "read"):
                data, filename = upload.read(), upload.filename
            else:
                data = Order_sudo._sellout_decode(content)
            lines, errors, orders_sudo = Order_sudo._sellout_import_file(dealer, data, filename, preview=not confirm)
        except UserError as error:
            lines, errors, orders_sudo, data = [], [(0, error.args[0])], Order_sudo.browse(), b""
        return {
            "lines": lines,
            "errors": errors,
            "imported": orders_sudo,
            "content": base64.b64encode(data).decode() if lines and not errors and not orders_sudo else False,
            "filename": filename,
        }

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_sellout_count" in counters:
            partner = self._channel_partner()
            Order = request.env["channel.sellout.order"]
            values["channel_sellout_count"] = (
                Order.search_count(["|", ("seller_id", "=", partner.id), ("buyer_id", "=", partner.id)])
                if partner and Order.has_access("read")
                else 0
            )
        return values
