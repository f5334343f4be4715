from odoo import api, fields, models


class ChannelTerritory(models.Model):
    _inherit = "channel.territory"

    managed_by_user_ids = fields.Many2many(
        "res.users",
        string="Managed By",
        compute="_compute_managed_by_user_ids",
        search="_search_managed_by_user_ids",
        help="Managers of this territory or of one of its ancestors.",
    )

    def _compute_managed_by_user_ids(self):
        ancestor_ids = {int(pid) for territory in self for pid in (territory.parent_path or "").split("/") if pid}
        managers = {t.id: t.manager_id for t in self.browse(ancestor_ids)}
        for territory in self:
            users = self.env["res.users"]
            for pid in (territory.parent_path or "").split("/"):
                if pid:
                    users |= managers.get(int(pid), users)
            territory.managed_by_user_ids = users

    @api.model
    def _search_managed_by_user_ids(self, operator, value):
        if operator not in ("in", "="):
            raise NotImplementedError()
        user_ids = value if isinstance(value, (list, tuple)) else [value]
        managed = self.sudo().with_context(active_test=False).search([("manager_id", "in", list(user_ids))])
        return [("id", "child_of", managed.ids)]
