from odoo import api, fields, models
from odoo.exceptions import UserError


class ChannelTargetDecompose(models.TransientModel):
    _name = "channel.target.decompose"
    _description = "Decompose Targets"

    target_ids = fields.Many2many("channel.target", string="Targets", required=True)
    partner_method = fields.Selection(
        [("none", "Do not decompose to partners"), ("share", "By last year's share of sales"), ("equal", "Equally")],
        string="To Partners", required=True, default="share",
    )
    month_method = fields.Selection(
        [("none", "Do not decompose to months"), ("pattern", "By last year's monthly pattern"),
         ("equal", "Equally")],
        string="To Months", required=True, default="pattern",
    )
    cascade = fields.Boolean(
        string="Down to the Distributors", default=True,
        help="Decompose the new dealer targets to their distributors as well, and every new yearly target into months.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "channel.target" and self.env.context.get("active_ids"):
            values["target_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return values

    def action_apply(self):
        self.ensure_one()
        nodes = self.target_ids.filtered(lambda n: not n.month)
        if not nodes:
            raise UserError(self.env._("Select yearly targets to decompose."))
        yearly = nodes
        if self.partner_method != "none":
            level = nodes.filtered(lambda n: n.level != "distributor")
            while level:
                children = level._decompose_partners(self.partner_method)
                yearly |= children
                level = children.filtered(lambda n: n.level == "dealer" and n._get_child_partner_candidates()) \
                    if self.cascade else children.browse()
        if self.month_method != "none":
            (yearly if self.cascade else nodes)._decompose_months(self.month_method)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Targets"),
            "res_model": "channel.target",
            "view_mode": "list,pivot,graph,form",
            "domain": [("id", "child_of", nodes.ids)],
        }
