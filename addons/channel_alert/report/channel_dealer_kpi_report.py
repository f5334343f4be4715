from odoo import fields, models
from odoo.tools import SQL

# Seed 003: dealers with only a first order should stay at or below this share of active dealers.
FIRST_ORDER_ONLY_TARGET = 4.0


class ChannelDealerKpiReport(models.Model):
    _name = "channel.dealer.kpi.report"
    _description = "Dealer Early-warning KPI by Month"
    _auto = False
    _order = "date desc, partner_id"

    date = fields.Date(string="Month", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    territory_id = fields.Many2one("channel.territory", string="Territory", readonly=True)
    tier_id = fields.Many2one("channel.tier", string="Tier", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    first_order_only = fields.Boolean(string="Only a First Order", readonly=True)
    first_order_only_share = fields.Float(
        string="Share with Only a First Order (%)",
        readonly=True,
        aggregator="avg",
        help="Among active dealers that had ordered by the end of the month: the share whose only confirmed "
        "order is older than the first-order delay of the settings.",
    )
    target_share = fields.Float(string="Target (%)", readonly=True, aggregator="avg")
    dealer_count = fields.Integer(string="Dealers", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH ranked AS (
                SELECT so.channel_dealer_id AS partner_id, so.date_order,
                       row_number() OVER (PARTITION BY so.channel_dealer_id ORDER BY so.date_order, so.id) AS rank
                  FROM sale_order so
                 WHERE so.state = 'sale' AND so.channel_dealer_id IS NOT NULL
            ), firsts AS (
                SELECT partner_id,
                       MIN(date_order) FILTER (WHERE rank = 1) AS first_date,
                       MIN(date_order) FILTER (WHERE rank = 2) AS second_date
                  FROM ranked
                 WHERE rank <= 2
              GROUP BY partner_id
            ), months AS (
                SELECT month::date AS month,
                       LEAST(month + interval '1 month', now() AT TIME ZONE 'UTC') AS month_end
                  FROM generate_series(
                        date_trunc('month', now() AT TIME ZONE 'UTC') - interval '11 months',
                        date_trunc('month', now() AT TIME ZONE 'UTC'),
                        interval '1 month') AS month
            ), delay AS (
                SELECT COALESCE(MIN(channel_first_order_days), 60) AS days FROM res_company
            ), flags AS (
                SELECT m.month, p.id AS partner_id, p.channel_territory_id, p.channel_tier_id, p.user_id,
                       (f.first_date < m.month_end - make_interval(days => delay.days)
                        AND (f.second_date IS NULL OR f.second_date >= m.month_end)) AS first_order_only
                  FROM months m
                  JOIN firsts f ON f.first_date < m.month_end
                  JOIN res_partner p ON p.id = f.partner_id
                 CROSS JOIN delay
                 WHERE p.channel_role = 'dealer' AND p.channel_state = 'active' AND p.active
            )
            SELECT row_number() OVER (ORDER BY month, partner_id) AS id,
                   month AS date, partner_id, channel_territory_id AS territory_id, channel_tier_id AS tier_id,
                   user_id, first_order_only,
                   CASE WHEN first_order_only THEN 100.0 ELSE 0.0 END AS first_order_only_share,
                   %(target)s AS target_share,
                   1 AS dealer_count
              FROM flags
            """,
            target=FIRST_ORDER_ONLY_TARGET,
        )
