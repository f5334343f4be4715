from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    channel_memory_line_id = fields.Many2one(
        "sale.order.line",
        string="Remembered Line",
        compute="_compute_channel_memory_line_id",
        store=True,
        precompute=True,
        copy=False,
        index="btree_not_null",
        help="Confirmed order line of the same dealer and product whose net price this line takes.",
    )
    channel_price_origin = fields.Selection(
        [("memory", "Last Price"), ("pricelist", "Pricelist"), ("manual", "Manual")],
        string="Price Origin",
        compute="_compute_channel_price_source",
        store=True,
        precompute=True,
    )
    channel_price_source = fields.Char(
        string="Price Source",
        compute="_compute_channel_price_source",
        store=True,
        precompute=True,
        help="Where the unit price came from: the dealer's last price or the pricelist.",
    )

    @api.model
    def _channel_memory_conditions(self):
        """SQL conditions a confirmed line must meet to give a dealer's last price (hook).

        In the query ``line`` is the ``sale_order_line`` and ``so`` its ``sale_order``. Free or fully
        discounted lines are no price: lines priced at or below zero and lines at a 100 % discount are
        never remembered. Modules adding lines that are no real price (rewards, deductions) extend
        this list.

        :return: list of ``SQL`` conditions, all of which must hold
        """
        return [
            SQL("line.price_unit > 0"),
            SQL("COALESCE(line.discount, 0) < 100"),
        ]

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_channel_memory_line_id(self):
        """Find each line's remembered line, one query per dealer (so one per order)."""
        candidates = self.filtered(lambda ln: ln._channel_memory_applies())
        (self - candidates).channel_memory_line_id = False
        groups = {}
        for line in candidates:
            order = line.order_id
            key = (order.partner_id.commercial_partner_id, order.currency_id, order.company_id, order.date_order)
            groups.setdefault(key, []).append(line)
        known = self.env.context.get("channel_memory_known") or {}
        for (partner, currency, company, date), lines in groups.items():
            products = self.env["product.product"].concat(*(ln.product_id for ln in lines))
            exclude = [ln.order_id._origin.id for ln in lines if ln.order_id._origin.id]
            # Already looked up in this operation (``channel_memory_known``, see
            # res.partner._channel_memory_price_get)? Excluding orders that are not confirmed changes
            # nothing: only confirmed orders give a last price.
            confirmed = [ln.order_id._origin.id for ln in lines if ln.order_id._origin.state == "sale"]
            line_ids = known.get(partner._channel_memory_known_key(currency, company, date, confirmed))
            if line_ids is None or any(product.id not in line_ids for product in products):
                memory = partner.sudo().with_company(company)._channel_memory_price_get(
                    products, date=date, currency=currency, exclude_order_ids=exclude
                )
                line_ids = {pid: info.get("order_line_id") for pid, info in memory.items()}
            for line in lines:
                line.channel_memory_line_id = line_ids.get(line.product_id.id) or False

    def _channel_memory_applies(self):
        """Whether this line may take a remembered price at all."""
        self.ensure_one()
        tier = self.order_id.partner_id.commercial_partner_id.sudo().channel_tier_id
        return bool(
            tier.price_memory
            and self.product_id
            and not self.display_type
            and not self.is_downpayment
            and not self.combo_item_id
            and self.product_type != "combo"
            and not (self._fields.get("is_reward_line") and self.is_reward_line)
        )

    def _channel_memory_price(self):
        """Net unit price of the remembered line, in this line's unit of measure."""
        self.ensure_one()
        memory = self.channel_memory_line_id.sudo()
        if memory.currency_id != self.currency_id:
            raise UserError(self.env._(
                "The last price of %(product)s is in %(memory)s, this order is in %(order)s.",
                product=self.product_id.display_name,
                memory=memory.currency_id.name,
                order=self.currency_id.name,
            ))
        price = memory.price_unit * (1.0 - (memory.discount or 0.0) / 100.0)
        return self.env["res.partner"]._channel_convert_memory_price(
            price, memory.product_uom, self.product_uom or self.product_id.uom_id, self.product_id
        )

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_price_unit(self):
        if self.env.context.get("force_price_recomputation"):
            self._compute_channel_memory_line_id()
        memory_lines = self.filtered(
            lambda ln: ln.order_id
            and ln.channel_memory_line_id
            and ln.product_uom
            and not (
                (ln.technical_price_unit != ln.price_unit and not ln.env.context.get("force_price_recomputation"))
                or ln.qty_invoiced > 0
            )
        )
        res = super(SaleOrderLine, self - memory_lines)._compute_price_unit()
        for line in memory_lines:
            price = line._channel_memory_price()
            line.price_unit = price
            line.technical_price_unit = price
        return res

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_discount(self):
        res = super()._compute_discount()
        for line in self:
            if line.channel_memory_line_id:
                line.discount = 0.0
        return res

    @api.depends("channel_memory_line_id", "price_unit", "technical_price_unit", "order_id.pricelist_id")
    def _compute_channel_price_source(self):
        for line in self:
            memory = line.channel_memory_line_id.sudo()
            if not line.product_id or line.display_type:
                line.channel_price_origin = False
                line.channel_price_source = False
            elif (
                memory
                and memory.currency_id == line.currency_id
                and not line.currency_id.compare_amounts(line.price_unit, line._channel_memory_price())
            ):
                line.channel_price_origin = "memory"
                line.channel_price_source = self.env._(
                    "last price of %(order)s, %(date)s",
                    order=memory.order_id.name,
                    date=fields.Date.to_string(memory.order_id.date_order.date()),
                )
            elif memory or line.technical_price_unit != line.price_unit:
                line.channel_price_origin = "manual"
                line.channel_price_source = self.env._("manual price")
            else:
                line.channel_price_origin = "pricelist"
                line.channel_price_source = line.order_id.partner_id._channel_pricelist_label(
                    line.order_id.pricelist_id
                )
