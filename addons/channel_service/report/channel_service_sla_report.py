from odoo import fields, models
from odoo.tools import SQL

from ..models.channel_service_request import REQUEST_STATES


class ChannelServiceSlaReport(models.Model):
    """SLA kept per type, department and responsible: one row per request that is not cancelled."""

    _name = "channel.service.sla.report"
    _description = "Service Request SLA Report"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(string="Requested on", readonly=True)
    request_id = fields.Many2one("channel.service.request", string="Request", readonly=True)
    type_id = fields.Many2one("channel.service.type", string="Type", readonly=True)
    department = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Channel Member", readonly=True)
    territory_id = fields.Many2one("channel.territory", string="Territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(REQUEST_STATES, readonly=True)
    request_count = fields.Integer(string="Requests", readonly=True)
    breached_count = fields.Integer(string="SLA Breached", readonly=True)
    kept_count = fields.Integer(string="SLA Kept", readonly=True)
    kept_rate = fields.Float(string="SLA Kept (%)", readonly=True, aggregator="avg")
    response_time = fields.Float(
        string="Avg Response Time (h)", readonly=True, aggregator="avg", help="Over the requests answered."
    )
    resolution_time = fields.Float(
        string="Avg Resolution Time (h)", readonly=True, aggregator="avg", help="Over the requests done."
    )

    @property
    def _table_query(self):
        # Empty times stay NULL so that the averages only count the requests answered / done.
        return SQL(
            """
            SELECT r.id, r.id AS request_id, r.create_date AS date, r.type_id,
                   r.department,
                   r.user_id, r.partner_id, r.territory_id, r.company_id, r.state,
                   1 AS request_count,
                   CASE WHEN r.sla_breached THEN 1 ELSE 0 END AS breached_count,
                   CASE WHEN r.sla_breached THEN 0 ELSE 1 END AS kept_count,
                   CASE WHEN r.sla_breached THEN 0.0 ELSE 100.0 END AS kept_rate,
                   CASE WHEN r.date_responded IS NOT NULL THEN r.response_time END AS response_time,
                   CASE WHEN r.date_done IS NOT NULL THEN r.resolution_time END AS resolution_time
              FROM channel_service_request r
             WHERE r.state != %(cancelled)s
            """,
            cancelled="cancelled",
        )
