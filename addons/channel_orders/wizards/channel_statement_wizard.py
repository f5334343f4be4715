from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ChannelStatementWizard(models.TransientModel):
    _name = "channel.statement.wizard"
    _description = "Dealer Statement of Account"

    partner_id = fields.Many2one("res.partner", string="Partner", required=True)
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=2),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    opening_balance = fields.Monetary(compute="_compute_statement", currency_field="currency_id")
    closing_balance = fields.Monetary(compute="_compute_statement", currency_field="currency_id")
    line_count = fields.Integer(compute="_compute_statement")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)

    @api.depends("partner_id", "date_from", "date_to")
    def _compute_statement(self):
        for wizard in self:
            if (
                not wizard.partner_id
                or not wizard.date_from
                or not wizard.date_to
                or wizard.date_from > wizard.date_to
                or wizard._statement_length_error()
            ):
                wizard.opening_balance = wizard.closing_balance = wizard.line_count = 0
                continue
            statement = wizard.partner_id._channel_statement(wizard.date_from, wizard.date_to)
            wizard.opening_balance = statement["opening_balance"]
            wizard.closing_balance = statement["closing_balance"]
            wizard.line_count = len(statement["lines"])

    @api.constrains("date_from", "date_to")
    def _check_statement_length(self):
        for wizard in self:
            if error := wizard._statement_length_error():
                raise ValidationError(error)

    def _statement_length_error(self):
        """Why the period is too long (the portal's rule, see
        ``res.partner._channel_statement_length_error``), or None."""
        self.ensure_one()
        return self.env["res.partner"]._channel_statement_length_error(self.date_from, self.date_to)

    def _report_data(self):
        return {"date_from": fields.Date.to_string(self.date_from), "date_to": fields.Date.to_string(self.date_to)}

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("channel_orders.action_report_channel_statement").report_action(
            self.partner_id, data=self._report_data()
        )

    def action_download_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/channel_orders/statement/{self.partner_id.id}.xlsx"
            f"?date_from={self.date_from}&date_to={self.date_to}",
            "target": "self",
        }
