from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ChannelServiceType(models.Model):
    """A kind of business a dealer contacts the manufacturer for (order, payment check, logistics,
    technical support, complaint): who handles it and within which times (seed 003, 业务衔接流程)."""

    _name = "channel.service.type"
    _description = "Service Request Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True, help="What the dealer contacts this desk for (shown on the portal contacts page)."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain=[("share", "=", False)],
        index=True,
        help="Every new request of this type is assigned to this person.",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Escalation Manager",
        domain=[("share", "=", False)],
        help="Gets an activity when a request of this type misses its response or resolution time. "
        "Empty: the manager of the dealer's territory (or of its nearest parent territory that has one).",
    )
    department = fields.Char(help="The department that handles this type (finance, logistics...).")
    phone = fields.Char()
    email = fields.Char()
    response_hours = fields.Float(
        default=4.0, help="Hours after the request within which the responsible answers it (0: no response time)."
    )
    resolution_hours = fields.Float(
        default=48.0, help="Hours after the request within which it is done (0: no resolution time)."
    )
    prospect_ok = fields.Boolean(
        string="Open to Prospects",
        help="Prospects (companies that have not signed yet) may file requests of this type, e.g. technical "
        "support before a contract.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    request_ids = fields.One2many("channel.service.request", "type_id", string="Requests")
    open_request_count = fields.Integer(compute="_compute_open_request_count")

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        for service_type in self:
            if service_type.response_hours < 0 or service_type.resolution_hours < 0:
                raise ValidationError(
                    self.env._("The response and resolution times of %s cannot be negative.", service_type.name)
                )
            if service_type.resolution_hours and service_type.response_hours > service_type.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "The response time of %s cannot be longer than its resolution time.", service_type.name
                    )
                )

    def _compute_open_request_count(self):
        counts = dict(
            self.env["channel.service.request"]._read_group(
                [("type_id", "in", self.ids), ("state", "in", ("new", "in_progress"))], ["type_id"], ["__count"]
            )
        )
        for service_type in self:
            service_type.open_request_count = counts.get(service_type._origin, 0)

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_service.channel_service_request_action")
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id, "search_default_filter_open": 1}
        return action
