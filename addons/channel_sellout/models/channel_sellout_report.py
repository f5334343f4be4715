from odoo import fields, models, tools
from odoo.tools import SQL

from .channel_sellout_order import SOURCES, STATES


class ChannelSelloutReport(models.Model):
    """Sell-out analysis: one row per delivered or open sell-out line, for pivot and graph views by
    dealer, buyer, territory, product and month."""

    _name = "channel.sellout.report"
    _description = "Sell-out Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Date(string="Order Date", readonly=True)
    order_id = fields.Many2one("channel.sellout.order", string="Order", readonly=True)
    seller_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    buyer_id = fields.Many2one("res.partner", string="Buyer", readonly=True)
    buyer_role = fields.Selection(
        [("distributor", "Sub-distributor"), ("retailer", "Retailer"), ("dealer", "Dealer")],
        string="Buyer Role", readonly=True,
    )
    territory_id = fields.Many2one("channel.territory", string="Buyer's Territory", readonly=True)
    seller_territory_id = fields.Many2one("channel.territory", string="Dealer's Territory", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    amount = fields.Float(string="Amount", readonly=True)
    state = fields.Selection(STATES, string="Status", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT l.id, l.date_order AS date, l.order_id, l.seller_id, l.buyer_id,
                   buyer.channel_role AS buyer_role,
                   buyer.channel_territory_id AS territory_id, seller.channel_territory_id AS seller_territory_id,
                   l.product_id, pt.categ_id, l.quantity, l.price_subtotal AS amount, l.state, o.source,
                   o.company_id
              FROM channel_sellout_line l
              -- Left joins on primary keys: PostgreSQL drops those a query does not read (a total by
              -- dealer and month reads the lines only); the line holds the order's date, state and parties.
              LEFT JOIN channel_sellout_order o ON o.id = l.order_id
              LEFT JOIN res_partner buyer ON buyer.id = l.buyer_id
              LEFT JOIN res_partner seller ON seller.id = l.seller_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE l.state NOT IN ('draft', 'rejected', 'cancelled')
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
