from odoo import api, fields, models
from odoo.tools import SQL

ACTIVITY_CREATE = "odoo.addons.mail.models.mail_activity"
THREAD_MODULE = "odoo.addons.mail.models.mail_thread"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        self._channel_register_care()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _channel_register_care(self):
        """A done "Dealer call" / "Dealer visit" activity dates the dealer's last call / visit."""
        care_fields = {
            self.env.ref("channel_base.mail_activity_type_dealer_call", raise_if_not_found=False): "last_call_date",
            self.env.ref("channel_base.mail_activity_type_dealer_visit", raise_if_not_found=False): "last_visit_date",
        }
        today = fields.Date.context_today(self)
        for activity_type, field_name in care_fields.items():
            activities = self.filtered(
                lambda a, t=activity_type: t and a.res_model == "res.partner" and a.activity_type_id == t
            )
            if activities:
                # Whoever may mark the activity done may date the dealer's care, even without
                # write access on partners: only this date is written.
                partners = self.env["res.partner"].sudo().browse(activities.mapped("res_id")).exists()
                partners.commercial_partner_id.write({field_name: today})

    @api.model
    def _channel_schedule(self, records, prepare, open_types=None):
        """Schedule at most one activity per record of ``records`` (one model) in one ``create``.

        ``prepare(record)`` returns the values of the record's activity (``activity_type_id`` and
        ``user_id`` required; ``summary``, ``note``, ``date_deadline`` (default: the type's delay)...) or a falsy
        value to skip it. A record that already has an open activity of one of ``open_types``
        (default: the type prepared for it) gets none. No assignment e-mail per activity: they show
        in each user's activity menu. The activities are marked automated, like ``activity_schedule``
        does, so that ``activity_unlink`` / ``activity_feedback`` find them.

        :return: the activities created"""
        vals_by_record = {}
        for record in records:
            vals = prepare(record)
            if vals and vals.get("user_id"):
                vals_by_record[record.id] = vals
        if not vals_by_record:
            return self.browse()
        type_ids = set(open_types.ids) if open_types is not None else set()
        type_ids |= {vals["activity_type_id"] for vals in vals_by_record.values()}
        open_pairs = {
            (res_id, activity_type.id)
            for res_id, activity_type in self.sudo()._read_group(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", list(vals_by_record)),
                    ("activity_type_id", "in", list(type_ids)),
                ],
                ["res_id", "activity_type_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id(records._name)
        types = self.env["mail.activity.type"].browse(type_ids)
        deadlines = {activity_type.id: activity_type._get_date_deadline() for activity_type in types}
        vals_list = []
        for res_id, vals in vals_by_record.items():
            blocking = open_types.ids if open_types is not None else [vals["activity_type_id"]]
            if any((res_id, type_id) in open_pairs for type_id in blocking):
                continue
            deadline = deadlines[vals["activity_type_id"]]
            vals_list.append(
                {"date_deadline": deadline, "automated": True, **vals, "res_model_id": model_id, "res_id": res_id}
            )
        if not vals_list:
            return self.browse()
        # The record names in one batch (the stored res_name is otherwise computed record by record).
        targets = records.browse([vals["res_id"] for vals in vals_list]).sudo()
        for vals, target in zip(vals_list, targets, strict=True):
            vals.setdefault("res_name", target.display_name)
        quick = self.with_context(mail_activity_quick_update=True)
        if self.env["channel.batch"]._insert_create_ok(quick, (ACTIVITY_CREATE,)):
            return quick._channel_insert(records._name, vals_list)
        # Notes are stored after the create, sanitised once each (see _channel_store_notes).
        notes = [vals.pop("note") if vals.get("note") else None for vals in vals_list]
        activities = quick.create(vals_list)
        activities._channel_store_notes(notes)
        return activities

    @api.model
    def _channel_insert(self, res_model, vals_list):
        """What ``create(vals_list)`` does in the ``mail_activity_quick_update`` context (no assignment
        notification), with ``channel.batch._insert_records``: the activities inserted with their
        stored computed values (model name, time zone of the user, no done date), the assigned users
        subscribed to the documents (``mail.followers._channel_subscribe``), and the activity menus of
        the users whose activities are due told to refresh."""
        users = self.env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list})
        users.fetch(["tz", "partner_id"])
        for vals in vals_list:
            user = users.browse(vals["user_id"])
            vals.setdefault("res_model", res_model)
            vals.setdefault("user_tz", user.tz)
            vals.setdefault("date_done", False)
        activities = self.env["channel.batch"]._insert_records(self, vals_list, create_overrides=(ACTIVITY_CREATE,))
        Document = self.env[res_model]
        if all(
            cls.__module__ in ("odoo.models", THREAD_MODULE)
            for cls in type(Document).__mro__
            if {"message_subscribe", "_message_subscribe"} & set(vars(cls))
        ):
            self.env["mail.followers"]._channel_subscribe(
                res_model, [(activity.res_id, activity.user_id.sudo().partner_id.id) for activity in activities]
            )
        else:
            # The documents subscribe their followers their own way: as mail.activity.create does.
            for user in activities.user_id:
                documents = Document.browse(activities.filtered(lambda a, u=user: a.user_id == u).mapped("res_id"))
                documents.message_subscribe(partner_ids=user.sudo().partner_id.ids)
        today = fields.Date.today()
        due = activities.filtered(lambda activity: activity.date_deadline <= today)
        due.user_id._bus_send("mail.activity/updated", {"activity_created": True})
        return activities

    def _channel_store_notes(self, notes):
        """Store the ``note`` of each of these new activities (same order; None: leave it as created).

        Sanitised exactly as the ORM does it, but once per distinct note: creating the activities
        with their notes sanitises every note twice (cache and column)."""
        field = self._fields["note"]
        sanitized = {}
        activities, values, rows = [], [], []
        for activity, note in zip(self, notes, strict=True):
            if not note:
                continue
            if note not in sanitized:
                sanitized[note] = field.convert_to_cache(note, activity)
            activities.append(activity.id)
            values.append(sanitized[note])
            rows.append(SQL("(%s, %s)", activity.id, sanitized[note]))
        if not rows:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE mail_activity SET note = v.note FROM (VALUES %s) AS v(id, note) WHERE mail_activity.id = v.id",
                SQL(", ").join(rows),
            )
        )
        self.env.cache.update(self.browse(activities), field, values)
