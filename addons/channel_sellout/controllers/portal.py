import base64
import math

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
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
        dealer = partner.sudo().channel_parent_id
        return dealer if dealer.channel_role == "dealer" else None

    def _sellout_party(self):
        """(partner, is_seller) of the logged-in user for the sell-out pages; 403 for anyone else."""
        partner = self._channel_partner()
        if partner and partner.channel_role == "dealer":
            return partner, True
        if self._sellout_buyer_dealer(partner):
            return partner, False
        raise Forbidden()

    def _sellout_parse_quantities(self, params, allowed):
        """{product: quantity} from ``qty_<id>`` parameters; 403 for a product outside ``allowed``."""
        raw = {}
        for key, value in params.items():
            if not key.startswith("qty_"):
                continue
            try:
                product_id = int(key[4:])
            except ValueError as error:
                raise BadRequest() from error
            if (value or "").strip():
                raw[product_id] = value.strip()
        if set(raw) - set(allowed.ids):
            raise Forbidden()
        quantities, errors = {}, []
        Partner = request.env["res.partner"]
        for product in allowed.filtered(lambda p: p.id in raw):
            try:
                quantity = float(raw[product.id].replace(",", "."))
            except ValueError:
                quantity = -1
            if not math.isfinite(quantity) or quantity <= 0 or quantity > MAX_QUANTITY:
                errors.append(
                    request.env._(
                        "%(product)s: “%(qty)s” is not a valid quantity.",
                        product=product.display_name,
                        qty=raw[product.id],
                    )
                )
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
        route = request.env["channel.sellout.route"].sudo().search([("seller_id", "=", dealer.id)], limit=1)
        suggestions = route._get_suggested_quantities(buyer).get(buyer.id, {}) if route else {}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_order",
                "buyer": buyer,
                "dealer": dealer,
                "products": products.sorted(lambda p: (p.default_code or "", p.id)),
                "prices": prices,
                "stock": self._sellout_stock(dealer, products),
                "route_date": route.next_date if route else False,
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
        partner = self._channel_partner()
        dealer = self._sellout_buyer_dealer(partner)
        if not dealer:
            raise Forbidden()
        if refused := self._channel_portal_refused("order"):
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
        partner, is_seller = self._sellout_party()
        if refused := self._channel_portal_refused("read"):
            return refused
        self._sellout_check_params(kw)
        filters = self._sellout_filters()
        filterby = filterby if filterby in filters else "all"
        # Read with the user's own rights: the record rules give a dealer its sell-out, a buyer its orders.
        Order = request.env["channel.sellout.order"]
        domain = [("seller_id" if is_seller else "buyer_id", "=", partner.id)] + filters[filterby]["domain"]
        from odoo.addons.portal.controllers.portal import pager as portal_pager  # noqa: PLC0415

        pager = portal_pager(
            url="/my/channel/sellout",
            url_args={"filterby": filterby},
            total=Order.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        # Found with the user's rights; the other party's name is read as superuser (a buyer does not
        # read its dealer's partner record).
        orders = Order.search(domain, limit=self._items_per_page, offset=pager["offset"]).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout",
                "partner": partner,
                "is_seller": is_seller,
                "orders": orders,
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
                "default_url": "/my/channel/sellout",
                "notes": request.session.pop("channel_sellout_notes", []),
            }
        )
        return request.render("channel_sellout.portal_sellout_orders", values)

    def _sellout_order(self, order_id):
        """A sell-out order the user may read (record rules), or 404."""
        order = request.env["channel.sellout.order"].browse(order_id)
        try:
            order.check_access("read")
            if not order.exists():
                raise NotFound()
        except AccessError as error:
            raise NotFound() from error
        return order

    @http.route("/my/channel/sellout/<int:order_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_sellout_order(self, order_id, **kw):
        partner, is_seller = self._sellout_party()
        if refused := self._channel_portal_refused("read"):
            return refused
        self._sellout_check_params(kw)
        order = self._sellout_order(order_id)
        user = request.env.user
        actions = []
        if is_seller and order.seller_id == partner and user._channel_portal_can("order"):
            actions = {"submitted": ["accept", "reject", "cancel"], "accepted": ["deliver", "cancel"]}.get(
                order.state, []
            )
        elif order.buyer_id == partner:
            if order.state == "delivered" and user._channel_portal_can("receipt"):
                actions = ["receive"]
            elif order.state == "submitted" and user._channel_portal_can("order"):
                actions = ["cancel"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_sellout_detail",
                "order": order.sudo(),
                "is_seller": is_seller,
                "actions": actions,
                "state_names": dict(order._fields["state"]._description_selection(request.env)),
                "notes": request.session.pop("channel_sellout_notes", []),
            }
        )
        return request.render("channel_sellout.portal_sellout_order", values)

    @http.route(
        "/my/channel/sellout/<int:order_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_sellout_order_action(self, order_id, action, **kw):
        partner, is_seller = self._sellout_party()
        self._sellout_check_params(kw)
        if action not in (SELLER_ACTIONS if is_seller else BUYER_ACTIONS):
            raise NotFound()
        if refused := self._channel_portal_refused("receipt" if action == "receive" else "order"):
            return refused
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
        partner = self._channel_partner()
        if not partner or partner.channel_role != "dealer":
            raise Forbidden()
        return partner

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
        dealer = self._sellout_dealer()
        if refused := self._channel_portal_refused("order"):
            return refused
        self._sellout_check_params(kw)
        if request.httprequest.method != "POST":
            return request.render("channel_sellout.portal_sellout_new", self._sellout_new_values(dealer))
        try:
            buyer = request.env["res.partner"].sudo().browse(int(buyer_id or 0)).exists()
        except ValueError as error:
            raise BadRequest() from error
        if not buyer or buyer.channel_parent_id != dealer:
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
        order_sudo = Order.sudo().create(Order._sellout_prepare_order_vals(dealer, buyer, quantities, "dealer_portal"))
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
        dealer = self._sellout_dealer()
        if refused := self._channel_portal_refused("order"):
            return refused
        if request.httprequest.method != "POST":
            self._sellout_check_params(kw)
            return request.render("channel_sellout.portal_sellout_prices", self._sellout_prices_values(dealer))
        raw = {}
        for key, value in kw.items():
            if key == "csrf_token":
                continue
            if not key.startswith("resale_"):
                raise Forbidden()
            try:
                raw[int(key[7:])] = (value or "").strip()
            except ValueError as error:
                raise BadRequest() from error
        allowed = (
            request.env["product.product"]
            .sudo()
            .search([("id", "in", list(raw))] + dealer._channel_assortment_domain())
        )
        if set(raw) - set(allowed.ids):
            raise Forbidden()
        prices, errors = {}, []
        for product in allowed:
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
        if errors:
            return request.render(
                "channel_sellout.portal_sellout_prices", self._sellout_prices_values(dealer, errors=errors, typed=raw)
            )
        self._sellout_save_prices(dealer, prices)
        request.session["channel_sellout_notes"] = [request.env._("Your resale prices are saved.")]
        return request.redirect("/my/channel/sellout/prices")

    def _sellout_save_prices(self, dealer, prices):
        """Write the dealer's resale prices {product id: price or None} in its own pricelist."""
        pricelist = dealer._channel_sellout_pricelist()
        Item = request.env["product.pricelist.item"].sudo()
        items = Item.search([("pricelist_id", "=", pricelist.id), ("product_id", "in", list(prices))])
        by_product = {item.product_id.id: item for item in items}
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
                product = request.env["product.product"].sudo().browse(product_id)
                to_create.append(
                    {
                        "pricelist_id": pricelist.id,
                        "applied_on": "0_product_variant",
                        "product_id": product_id,
                        "product_tmpl_id": product.product_tmpl_id.id,
                        "compute_price": "fixed",
                        "fixed_price": price,
                    }
                )
        if to_create:
            Item.create(to_create)

    # ------------------------------------------------------------------
    # Import from the dealer's own system
    # ------------------------------------------------------------------
    @http.route("/my/channel/sellout/import", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_sellout_import(self, upload=None, content=None, filename=None, confirm=None, **kw):
        dealer = self._sellout_dealer()
        if refused := self._channel_portal_refused("order"):
            return refused
        self._sellout_check_params(kw)
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
        if request.httprequest.method == "POST":
            Order = request.env["channel.sellout.order"].sudo()
            try:
                if upload and hasattr(upload, "read"):
                    data, filename = upload.read(), upload.filename
                else:
                    data = Order._sellout_decode(content)
                lines, errors, orders = Order._sellout_import_file(dealer, data, filename, preview=not confirm)
            except UserError as error:
                lines, errors, orders, data = [], [(0, error.args[0])], Order.browse(), b""
            values.update(
                {
                    "lines": lines,
                    "errors": errors,
                    "imported": orders,
                    "content": base64.b64encode(data).decode() if lines and not errors and not orders else False,
                    "filename": filename,
                }
            )
        return request.render("channel_sellout.portal_sellout_import", values)

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
