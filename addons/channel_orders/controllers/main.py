from werkzeug.exceptions import BadRequest, Forbidden

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.channel_base.controllers.xlsx import xlsx_response


class ChannelOrdersBackend(http.Controller):
    """Spreadsheet downloads for staff (the records are read with the user's own rights)."""

    @http.route("/channel_orders/orders.xlsx", type="http", auth="user", methods=["GET"])
    def orders_xlsx(self, ids="", **kw):
        if not request.env.user._is_internal():
            raise Forbidden()
        try:
            order_ids = [int(i) for i in ids.split(",") if i]
        except ValueError as error:
            raise BadRequest() from error
        orders = request.env["sale.order"].browse(order_ids).exists()
        orders.check_access("read")
        return xlsx_response(orders._channel_orders_xlsx(), "channel-orders.xlsx")

    @http.route("/channel_orders/statement/<int:partner_id>.xlsx", type="http", auth="user", methods=["GET"])
    def statement_xlsx(self, partner_id, date_from=None, date_to=None, **kw):
        if not request.env.user._is_internal():
            raise Forbidden()
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise BadRequest()
        partner.check_access("read")
        try:
            start = fields.Date.to_date(date_from) if date_from else False
            end = fields.Date.to_date(date_to) if date_to else fields.Date.context_today(partner)
        except ValueError as error:
            raise BadRequest() from error
        if error := partner._channel_statement_length_error(start, end):
            raise UserError(error)
        content = partner._channel_statement_xlsx(start, end)
        return xlsx_response(content, f"statement-{partner.id}-{end}.xlsx")
