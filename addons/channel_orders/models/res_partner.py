import io
import math

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_round

# Longest statement period, in months: the portal page and the backend wizard and report alike.
MAX_STATEMENT_MONTHS = 24


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_route_id = fields.Many2one(
        "channel.delivery.route",
        string="Delivery Route",
        index=True,
        ondelete="set null",
        tracking=True,
        help="The route on which this dealer's regular orders are delivered.",
    )
    channel_route_sequence = fields.Integer(string="Route Sequence", default=10, help="Stop order on the route.")
    channel_order_count = fields.Integer(compute="_compute_channel_order_count", string="Channel Orders")

    def _compute_channel_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("channel_dealer_id", "in", self.ids), ("channel_state", "!=", False)],
                ["channel_dealer_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.channel_order_count = counts.get(partner, 0)

    # ------------------------------------------------------------------
    # Assortment and quantities (portal quick order)
    # ------------------------------------------------------------------
    def _channel_assortment_domain(self):
        """Domain on product.product of what this dealer may order: saleable products of the
        company, restricted to its tier's assortment when the tier has one."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        domain = [
            ("sale_ok", "=", True),
            ("company_id", "in", (False, company.id)),
        ]
        tier = partner.sudo().channel_tier_id
        if tier and (tier.assortment_product_ids or tier.assortment_categ_ids):
            parts = []
            if tier.assortment_product_ids:
                parts.append([("product_tmpl_id", "in", tier.assortment_product_ids.ids)])
            if tier.assortment_categ_ids:
                parts.append([("categ_id", "child_of", tier.assortment_categ_ids.ids)])
            domain = expression.AND([domain, expression.OR(parts)])
        return domain

    def _channel_orderable_products(self, product_ids):
        """The products among ``product_ids`` this dealer may order (one query)."""
        self.ensure_one()
        return (
            self.env["product.product"]
            .sudo()
            .search(expression.AND([[("id", "in", list(product_ids))], self._channel_assortment_domain()]))
        )

    @api.model
    def _channel_sale_packaging(self, product):
        packagings = product.packaging_ids.filtered(lambda p: p.sales and p.qty > 0)
        return packagings[:1]

    @api.model
    def _channel_round_quantity(self, product, quantity):
        """Round a positive quantity up to the product's sale packaging, then to its UoM rounding."""
        packaging = self._channel_sale_packaging(product)
        if packaging:
            packs = math.ceil(float_round(quantity / packaging.qty, precision_digits=6))
            quantity = packs * packaging.qty
        return float_round(quantity, precision_rounding=product.uom_id.rounding or 0.01, rounding_method="UP")

    # ------------------------------------------------------------------
    # Earned tiers: purchases of the last 12 months
    # ------------------------------------------------------------------
    def _channel_tier_figures(self):
        figures = super()._channel_tier_figures()
        amounts = self._channel_tier_purchase_amounts()
        for partner_id, partner_figures in figures.items():
            partner_figures["purchase_amount"] = amounts.get(partner_id, 0.0)
        return figures

    @api.model
    def _channel_tier_purchase_period(self, date_to=None):
        """(first excluded day, last included day) of the 12 months the purchase criterion reads."""
        date_to = date_to or fields.Date.context_today(self)
        return date_to - relativedelta(months=12), date_to

    def _channel_tier_purchase_amounts(self, date_to=None):
        """{commercial partner id: untaxed amount of its posted customer invoices minus its posted
        credit notes dated in the last 12 months (company currency)}, in one grouped query."""
        date_from, date_to = self._channel_tier_purchase_period(date_to)
        groups = self.env["account.move"].sudo()._read_group(
            [
                ("commercial_partner_id", "in", self.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("invoice_date", ">", date_from),
                ("invoice_date", "<=", date_to),
                ("company_id", "in", self.env.companies.ids),
            ],
            ["commercial_partner_id"],
            ["amount_untaxed_signed:sum"],
        )
        return {partner.id: amount for partner, amount in groups}

    # ------------------------------------------------------------------
    # Credit exposure
    # ------------------------------------------------------------------
    def _channel_receivable_balance(self, company=None):
        """Balance of the posted receivable journal items of each commercial partner in ``self``."""
        company = company or self.env.company
        partners = self.commercial_partner_id
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("company_id", "=", company.id),
                ],
                ["partner_id"],
                ["balance:sum"],
            )
        )
        return {partner.id: balance for partner, balance in groups}

    def _channel_uninvoiced_amount(self, company=None, exclude_orders=None):
        """Amount (company currency, taxes included) of confirmed orders not yet invoiced."""
        company = company or self.env.company
        partners = self.commercial_partner_id
        domain = [
            ("channel_dealer_id", "in", partners.ids),
            ("state", "=", "sale"),
            ("invoice_status", "!=", "invoiced"),
            ("company_id", "=", company.id),
        ]
        if exclude_orders:
            domain.append(("id", "not in", exclude_orders.ids))
        result = dict.fromkeys(partners.ids, 0.0)
        today = fields.Date.context_today(self)
        for order in self.env["sale.order"].sudo().search(domain):
            result[order.channel_dealer_id.id] += order.currency_id._convert(
                order.amount_to_invoice, company.currency_id, company, order.date_order or today
            )
        return result

    def _channel_exposure(self, company=None, exclude_orders=None):
        """Receivable balance + confirmed, not yet invoiced orders, per commercial partner id."""
        receivable = self._channel_receivable_balance(company)
        uninvoiced = self._channel_uninvoiced_amount(company, exclude_orders)
        return {
            partner.id: receivable.get(partner.id, 0.0) + uninvoiced.get(partner.id, 0.0)
            for partner in self.commercial_partner_id
        }

    # ------------------------------------------------------------------
    # Statement of account
    # ------------------------------------------------------------------
    def _channel_statement_domain(self):
        self.ensure_one()
        return [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("company_id", "=", self.env.company.id),
        ]

    @api.model
    def _channel_statement_line_kind(self, move):
        if move.move_type == "out_invoice":
            return self.env._("Invoice")
        if move.move_type == "out_refund":
            return self.env._("Credit Note")
        if move.origin_payment_id or move.statement_line_id:
            return self.env._("Payment")
        return self.env._("Entry")

    @api.model
    def _channel_statement_length_error(self, date_from, date_to):
        """Why a statement period is too long (a sentence), or None; the only rule on a statement's
        length (:data:`MAX_STATEMENT_MONTHS`). A period without a start (from the first item) is not
        capped."""
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if not date_from or not date_to:
            return None
        earliest = date_to - relativedelta(months=MAX_STATEMENT_MONTHS)
        if date_from < earliest:
            return self.env._(
                "A statement covers at most %(months)s months: choose a start on or after %(date)s.",
                months=MAX_STATEMENT_MONTHS,
                date=fields.Date.to_string(earliest),
            )
        return None

    def _channel_statement(self, date_from, date_to):
        """Statement of account of the commercial partner for a period.

        Opening balance, every posted receivable journal item of the period with its running
        balance, and the closing balance (company currency).
        """
        self.ensure_one()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_from and date_to and date_from > date_to:
            raise UserError(
                self.env._(
                    "The statement period starts after it ends (%(start)s > %(end)s).", start=date_from, end=date_to
                )
            )
        Line = self.env["account.move.line"]
        domain = self._channel_statement_domain()
        opening = 0.0
        if date_from:
            [(opening,)] = Line._read_group(domain + [("date", "<", date_from)], [], ["balance:sum"])
            opening = opening or 0.0
        period = list(domain)
        if date_from:
            period.append(("date", ">=", date_from))
        if date_to:
            period.append(("date", "<=", date_to))
        move_lines = Line.search(period, order="date, move_name, id")
        currency = self.env.company.currency_id
        balance = opening
        lines = []
        for aml in move_lines:
            balance = currency.round(balance + aml.debit - aml.credit)
            move = aml.move_id
            lines.append(
                {
                    "date": aml.date,
                    "move_id": move.id,
                    "name": move.name,
                    "ref": move.ref or aml.name or "",
                    "kind": self._channel_statement_line_kind(move),
                    "date_maturity": aml.date_maturity,
                    "debit": aml.debit,
                    "credit": aml.credit,
                    "balance": balance,
                }
            )
        return {
            "partner_id": self.commercial_partner_id.id,
            "date_from": date_from,
            "date_to": date_to,
            "currency_id": currency.id,
            "opening_balance": currency.round(opening),
            "lines": lines,
            "total_debit": currency.round(sum(line["debit"] for line in lines)),
            "total_credit": currency.round(sum(line["credit"] for line in lines)),
            "closing_balance": currency.round(balance),
        }

    def _channel_statement_xlsx(self, date_from, date_to):
        """The statement as an XLSX file (bytes)."""
        self.ensure_one()
        statement = self._channel_statement(date_from, date_to)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Statement"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        partner = self.commercial_partner_id
        sheet.write(0, 0, self.env._("Statement of Account"), bold)
        sheet.write(1, 0, partner.name)
        sheet.write(2, 0, self.env._("From"))
        sheet.write(2, 1, str(statement["date_from"] or ""))
        sheet.write(2, 2, self.env._("To"))
        sheet.write(2, 3, str(statement["date_to"] or ""))
        headers = [
            self.env._("Date"),
            self.env._("Number"),
            self.env._("Type"),
            self.env._("Reference"),
            self.env._("Debit"),
            self.env._("Credit"),
            self.env._("Balance"),
        ]
        for col, header in enumerate(headers):
            sheet.write(4, col, header, bold)
        sheet.write(5, 0, self.env._("Opening balance"), bold)
        sheet.write_number(5, 6, statement["opening_balance"], money_bold)
        row = 6
        for line in statement["lines"]:
            sheet.write_datetime(row, 0, fields.Datetime.to_datetime(line["date"]), day)
            sheet.write(row, 1, line["name"])
            sheet.write(row, 2, line["kind"])
            sheet.write(row, 3, line["ref"])
            sheet.write_number(row, 4, line["debit"], money)
            sheet.write_number(row, 5, line["credit"], money)
            sheet.write_number(row, 6, line["balance"], money)
            row += 1
        sheet.write(row, 0, self.env._("Closing balance"), bold)
        sheet.write_number(row, 4, statement["total_debit"], money_bold)
        sheet.write_number(row, 5, statement["total_credit"], money_bold)
        sheet.write_number(row, 6, statement["closing_balance"], money_bold)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 3, 22)
        sheet.set_column(4, 6, 14)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_channel_statement(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_orders.channel_statement_wizard_action")
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_view_channel_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_orders.sale_order_channel_action")
        action["domain"] = [("channel_dealer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Cockpit (/my/channel)
    # ------------------------------------------------------------------
    @api.model
    def _channel_open_order_states(self):
        """The channel states of the orders still on their way (the cockpit's "open orders")."""
        return ("draft", "to_sales", "to_finance", "confirmed", "picked", "shipped")

    def _channel_cockpit_orders_card(self):
        """The dealer's open orders counted by channel state, with one grouped query (the orders of
        /my/channel/orders: channel orders, never the cart)."""
        self.ensure_one()
        states = self._channel_open_order_states()
        counts = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("channel_dealer_id", "=", self.id),
                    ("channel_state", "in", states),
                    ("channel_cart", "=", False),
                ],
                ["channel_state"],
                ["__count"],
            )
        )
        labels = dict(self.env["sale.order"]._fields["channel_state"]._description_selection(self.env))
        return {
            "name": "orders",
            "sequence": 30,
            "title": self.env._("Open orders"),
            "template": "channel_orders.portal_channel_card_orders",
            "url": "/my/channel/orders",
            "url_label": self.env._("My orders"),
            "states": [
                {"state": state, "label": labels[state], "count": counts[state]}
                for state in states
                if counts.get(state)
            ],
            "total": sum(counts.values()),
        }

    def _channel_cockpit_statement_card(self):
        """The balance of the statement of account up to today (the closing balance that
        /my/channel/statement shows for a period ending today), with one grouped query."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        [(balance, line_count)] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(self._channel_statement_domain() + [("date", "<=", today)], [], ["balance:sum", "__count"])
        )
        currency = self.env.company.currency_id
        return {
            "name": "statement",
            "sequence": 40,
            "title": self.env._("Statement of account"),
            "template": "channel_orders.portal_channel_card_statement",
            "url": "/my/channel/statement",
            "url_label": self.env._("Statement"),
            "balance": currency.round(balance or 0.0),
            "line_count": line_count,
            "currency": currency,
            "date": today,
        }

    def _channel_cockpit_cards(self):
        cards = super()._channel_cockpit_cards()
        if self.channel_role != "dealer":
            return cards
        user = self.env.user
        if user._channel_portal_can("read"):
            cards.append(self._channel_cockpit_orders_card())
        if user._channel_portal_can("statement"):
            cards.append(self._channel_cockpit_statement_card())
        return cards
