from odoo import api, fields, models
from odoo.exceptions import UserError


class ChannelInspection(models.Model):
    _name = "channel.inspection"
    _description = "Market Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    user_id = fields.Many2one(
        "res.users", string="Inspector", required=True, default=lambda self: self.env.user, index=True, tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    territory_id = fields.Many2one(
        "channel.territory", string="Territory", required=True, index=True, tracking=True,
        help="Where the inspection took place.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Inspected Outlet", index=True, tracking=True,
        help="The shop or distributor inspected, if any.",
    )
    notes = fields.Html()
    photo_ids = fields.Many2many(
        "ir.attachment", "channel_inspection_photo_rel", "inspection_id", "attachment_id", string="Photos"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True, copy=False, tracking=True
    )
    line_ids = fields.One2many("channel.inspection.line", "inspection_id", string="Lines", copy=True)
    violation_ids = fields.One2many("channel.violation", "inspection_id", string="Violations")
    violation_count = fields.Integer(compute="_compute_violation_count")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    def _compute_violation_count(self):
        counts = dict(
            self.env["channel.violation"]._read_group(
                [("inspection_id", "in", self.ids)], ["inspection_id"], ["__count"]
            )
        )
        for inspection in self:
            inspection.violation_count = counts.get(inspection, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("channel.inspection") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(inspection.state == "done" for inspection in self):
            raise UserError(self.env._("A finished inspection cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_done(self):
        """Finish the inspections: check every line and record the violations found."""
        self.env["res.users"]._channel_check_internal_caller()
        done = self.filtered(lambda i: i.state == "done")
        if done:
            raise UserError(self.env._("The inspection %s is already done.", ", ".join(done.mapped("name"))))
        vals_list = self.line_ids._prepare_violations()
        violations = self.env["channel.violation"].create(vals_list)
        self.write({"state": "done"})
        return violations

    def action_view_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("channel_pricing.channel_violation_action")
        action["domain"] = [("inspection_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
