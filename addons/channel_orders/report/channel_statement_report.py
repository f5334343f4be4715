from odoo import api, fields, models
from odoo.exceptions import UserError


class ChannelStatementReport(models.AbstractModel):
    _name = "report.channel_orders.report_channel_statement"
    _description = "Dealer Statement of Account Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        date_from = data.get("date_from") or False
        date_to = data.get("date_to") or fields.Date.context_today(self)
        if error := partners._channel_statement_length_error(date_from, date_to):
            raise UserError(error)
        statements = {partner.id: partner._channel_statement(date_from, date_to) for partner in partners}
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": statements,
            "currency": self.env.company.currency_id,
            "company": self.env.company,
        }
