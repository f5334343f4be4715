from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import JOB_ROLES
from .res_users import PORTAL_DEFAULT_ROLES, PORTAL_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_care_call_days = fields.Integer(
        string="Call dealers at least every (days)",
        config_parameter="channel_base.care_call_days",
        default=31,
    )
    channel_care_visit_days = fields.Integer(
        string="Visit dealers at least every (days)",
        config_parameter="channel_base.care_visit_days",
        default=61,
    )
    # Who may do what in the portal: one box per action and job role (see res.users._channel_portal_can).
    channel_portal_order_owner = fields.Boolean(string="Owner may order and submit")
    channel_portal_order_sales = fields.Boolean(string="Sales may order and submit")
    channel_portal_order_back_office = fields.Boolean(string="Back Office may order and submit")
    channel_portal_order_warehouse = fields.Boolean(string="Warehouse may order and submit")
    channel_portal_order_store_owner = fields.Boolean(string="Store Owner may order and submit")
    channel_portal_receipt_owner = fields.Boolean(string="Owner may confirm receipts")
    channel_portal_receipt_sales = fields.Boolean(string="Sales may confirm receipts")
    channel_portal_receipt_back_office = fields.Boolean(string="Back Office may confirm receipts")
    channel_portal_receipt_warehouse = fields.Boolean(string="Warehouse may confirm receipts")
    channel_portal_receipt_store_owner = fields.Boolean(string="Store Owner may confirm receipts")
    channel_portal_statement_owner = fields.Boolean(string="Owner may read the statement")
    channel_portal_statement_sales = fields.Boolean(string="Sales may read the statement")
    channel_portal_statement_back_office = fields.Boolean(string="Back Office may read the statement")
    channel_portal_statement_warehouse = fields.Boolean(string="Warehouse may read the statement")
    channel_portal_statement_store_owner = fields.Boolean(string="Store Owner may read the statement")
    channel_portal_claim_owner = fields.Boolean(string="Owner may file claims")
    channel_portal_claim_sales = fields.Boolean(string="Sales may file claims")
    channel_portal_claim_back_office = fields.Boolean(string="Back Office may file claims")
    channel_portal_claim_warehouse = fields.Boolean(string="Warehouse may file claims")
    channel_portal_claim_store_owner = fields.Boolean(string="Store Owner may file claims")

    @api.constrains("channel_care_call_days", "channel_care_visit_days")
    def _check_channel_care_days(self):
        for settings in self:
            if settings.channel_care_call_days < 1 or settings.channel_care_visit_days < 1:
                raise ValidationError(self.env._("The dealer call and visit intervals must be at least one day."))

    @api.model
    def _channel_portal_field(self, action, role):
        return f"channel_portal_{action}_{role}"

    @api.model
    def get_values(self):
        res = super().get_values()
        Users = self.env["res.users"]
        for action in PORTAL_DEFAULT_ROLES:
            allowed = Users._channel_portal_roles(action)
            for role, _label in JOB_ROLES:
                res[self._channel_portal_field(action, role)] = role in allowed
        return res

    def set_values(self):
        res = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for action in PORTAL_DEFAULT_ROLES:
            allowed = [role for role, _label in JOB_ROLES if self[self._channel_portal_field(action, role)]]
            # "none" keeps an empty choice apart from "not set yet" (the defaults).
            params.set_param(PORTAL_PARAM % action, ",".join(allowed) or "none")
        return res
