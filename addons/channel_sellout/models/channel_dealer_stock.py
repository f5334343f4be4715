from odoo import fields, models, tools
from odoo.tools import SQL

OVERSTOCK_PARAM = "channel_sellout.overstock_days"
DEFAULT_OVERSTOCK_DAYS = 60
COVER_WINDOW_DAYS = 90


class ChannelDealerStock(models.Model):
    """A dealer's estimated stock per product, aggregated in SQL.

    Received: the manufacturer's done outgoing deliveries to the dealer (its commercial partner), in
    the product's unit. Sold: the dealer's delivered sell-out. Days of cover: the stock on hand divided
    by the daily sell-out rate of the last 90 days; overstock when above the days set in Settings
    (or stock without any sell-out in 90 days).
    """

    _name = "channel.dealer.stock"
    _description = "Dealer Stock Estimate"
    _auto = False
    _order = "days_of_cover desc nulls first, partner_id, product_id"

    partner_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    territory_id = fields.Many2one("channel.territory", string="Territory", readonly=True)
    qty_received = fields.Float(string="Received", readonly=True, digits="Product Unit of Measure")
    qty_sold = fields.Float(string="Sold", readonly=True, digits="Product Unit of Measure")
    qty_sold_90 = fields.Float(string="Sold (90 days)", readonly=True, digits="Product Unit of Measure")
    qty_on_hand = fields.Float(string="Estimated Stock", readonly=True, digits="Product Unit of Measure")
    days_of_cover = fields.Float(string="Days of Cover", readonly=True, aggregator="avg", digits=(16, 1))
    sell_through = fields.Float(string="Sell-through (%)", readonly=True, aggregator="avg", digits=(16, 1))
    overstock = fields.Boolean(readonly=True)

    def _query(self):
        return SQL(
            """
            WITH moved AS (
                SELECT sp.partner_id, sm.product_id, sm.product_uom, SUM(sm.quantity) AS qty
                  FROM stock_move sm
                  JOIN stock_picking sp ON sp.id = sm.picking_id
                  JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                 WHERE sm.state = 'done' AND spt.code = 'outgoing'
              GROUP BY sp.partner_id, sm.product_id, sm.product_uom
            ), received AS (
                SELECT rp.commercial_partner_id AS partner_id, m.product_id,
                       SUM(m.qty / move_uom.factor * product_uom.factor) AS qty
                  FROM moved m
                  JOIN res_partner rp ON rp.id = m.partner_id
                  JOIN res_partner dealer ON dealer.id = rp.commercial_partner_id AND dealer.channel_role = 'dealer'
                  JOIN uom_uom move_uom ON move_uom.id = m.product_uom
                  JOIN product_product pp ON pp.id = m.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
              GROUP BY rp.commercial_partner_id, m.product_id
            ), sold AS (
                SELECT l.seller_id AS partner_id, l.product_id, SUM(l.quantity) AS qty,
                       SUM(l.quantity) FILTER (
                           WHERE l.date_order > (now() AT TIME ZONE 'UTC')::date - %(window)s
                       ) AS qty_90
                  FROM channel_sellout_line l
                 WHERE l.state IN ('delivered', 'received')
              GROUP BY l.seller_id, l.product_id
            ), setting AS (
                SELECT COALESCE(
                    (SELECT value::numeric FROM ir_config_parameter
                      WHERE key = %(param)s AND value ~ '^[0-9]+(\\.[0-9]+)?$'),
                    %(default)s
                ) AS days
            ), stock AS (
                SELECT COALESCE(r.partner_id, s.partner_id) AS partner_id,
                       COALESCE(r.product_id, s.product_id) AS product_id,
                       COALESCE(r.qty, 0) AS qty_received,
                       COALESCE(s.qty, 0) AS qty_sold,
                       COALESCE(s.qty_90, 0) AS qty_sold_90
                  FROM received r
             FULL JOIN sold s ON s.partner_id = r.partner_id AND s.product_id = r.product_id
            )
            SELECT row_number() OVER (ORDER BY st.partner_id, st.product_id) AS id,
                   st.partner_id, st.product_id, pt.categ_id, partner.channel_territory_id AS territory_id,
                   st.qty_received, st.qty_sold, st.qty_sold_90,
                   st.qty_received - st.qty_sold AS qty_on_hand,
                   CASE WHEN st.qty_sold_90 > 0
                        THEN GREATEST(st.qty_received - st.qty_sold, 0) / (st.qty_sold_90 / %(window)s)
                   END AS days_of_cover,
                   CASE WHEN st.qty_received > 0 THEN 100.0 * st.qty_sold / st.qty_received END AS sell_through,
                   CASE WHEN st.qty_received - st.qty_sold <= 0 THEN FALSE
                        WHEN st.qty_sold_90 <= 0 THEN TRUE
                        ELSE (st.qty_received - st.qty_sold) / (st.qty_sold_90 / %(window)s) > setting.days
                   END AS overstock
              FROM stock st
              JOIN res_partner partner ON partner.id = st.partner_id
              JOIN product_product pp ON pp.id = st.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN setting
            """,
            window=COVER_WINDOW_DAYS,
            param=OVERSTOCK_PARAM,
            default=DEFAULT_OVERSTOCK_DAYS,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
