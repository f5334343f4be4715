from odoo import Command, api, models

FOLLOWERS_CREATE = "odoo.addons.mail.models.mail_followers"


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _channel_subscribe(self, res_model, pairs):
        """Subscribe partners to documents as ``message_subscribe`` does for each of them (default
        subtypes, existing followers kept, inactive partners skipped), for many documents at once:
        ``pairs`` is a list of (document id, partner id). The new followers are inserted with
        ``channel.batch._insert_records`` (a query per table instead of the ORM's work per follower).

        :return: the followers created"""
        pairs = list(dict.fromkeys(pair for pair in pairs if pair[0] and pair[1]))
        if not pairs:
            return self.browse()
        documents = self.env[res_model].browse(sorted({res_id for res_id, _partner_id in pairs}))
        partner_ids = {partner_id for _res_id, partner_id in pairs}
        current = self.env.user.partner_id.id
        # The access rule of message_subscribe: read access to add oneself, write access to add others.
        documents.check_access("read" if partner_ids == {current} else "write")
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search_fetch(
            [("id", "in", list(partner_ids))], ["active", "partner_share"]
        )
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes(res_model)
        subtypes = {
            partner.id: (external if partner.partner_share else default).ids
            for partner in partners
            if partner.active or partner.id == current
        }
        existing = {
            (res_id, partner_id)
            for _follower_id, res_id, partner_id, _subtype_ids in self._get_subscription_data(
                [(res_model, documents.ids)], list(partner_ids)
            )
        }
        vals_list = [
            {
                "res_model": res_model,
                "res_id": res_id,
                "partner_id": partner_id,
                "subtype_ids": [Command.set(subtypes[partner_id])],
            }
            for res_id, partner_id in pairs
            if partner_id in subtypes and (res_id, partner_id) not in existing
        ]
        followers = self.env["channel.batch"]._insert_records(
            self.sudo().with_context(default_partner_id=False), vals_list, create_overrides=(FOLLOWERS_CREATE,)
        )
        followers._invalidate_documents(vals_list)
        return followers.with_env(self.env)
