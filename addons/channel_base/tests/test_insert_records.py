from markupsafe import Markup

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInsertRecords(TransactionCase):
    """``channel.batch._insert_records`` writes what ``create()`` writes, column by column."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Batch = cls.env["channel.batch"]
        cls.user = new_test_user(cls.env, login="insert_user", groups="base.group_user", tz="Asia/Shanghai")
        cls.portal = new_test_user(cls.env, login="insert_portal", groups="base.group_portal")
        Partner = cls.env["res.partner"]
        cls.partners = Partner.create([{"name": f"Insert Partner {n}", "is_company": True} for n in range(3)])

    def _columns(self, records, skip=("id", "create_date", "write_date")):
        records.env.flush_all()
        self.env.cr.execute(f'SELECT * FROM "{records._table}" WHERE id IN %s ORDER BY id', [tuple(records.ids)])
        names = [column.name for column in self.env.cr.description]
        return [{name: value for name, value in zip(names, row, strict=True) if name not in skip}
                for row in self.env.cr.fetchall()]

    def test_same_rows_as_create(self):
        """Defaults, log columns, conversions (HTML sanitised, dates), cache and computed fields."""
        Activity = self.env["mail.activity"].with_context(mail_activity_quick_update=True)
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": todo.id,
                "summary": f"Call {partner.name}",
                "note": "<p>Ask <b>about</b> stock<script>alert(1)</script></p>" if index else "Plain & simple",
                "date_deadline": fields.Date.today(),
                "user_id": self.user.id,
                "automated": True,
            }
            for index, partner in enumerate(self.partners)
        ]
        if not self.Batch._insert_create_ok(Activity, ("odoo.addons.mail.models.mail_activity",)):
            self.skipTest("another module overrides mail.activity.create: the activities are created")
        created = Activity.create([dict(vals) for vals in vals_list])
        expected = self._columns(created)
        created.unlink()
        self.env.flush_all()
        count = self.env.cr.sql_log_count
        inserted = self.Batch._insert_records(
            Activity, [dict(vals) for vals in vals_list], create_overrides=("odoo.addons.mail.models.mail_activity",)
        )
        inserts = self.env.cr.sql_log_count - count
        self.assertLessEqual(inserts, 4, "one INSERT (and the lookups of defaults), not one per activity")
        self.assertEqual(len(inserted), 3)
        # Cache: the values read before any flush are the stored ones.
        self.assertEqual(inserted.mapped("res_id"), self.partners.ids)
        self.assertIsInstance(inserted[1].note, Markup)
        self.assertNotIn("script", inserted[1].note)
        self.assertEqual(inserted.mapped("res_model"), ["res.partner"] * 3)
        self.assertEqual(inserted.mapped("user_tz"), ["Asia/Shanghai"] * 3)
        self.assertEqual(inserted.mapped("res_name"), self.partners.mapped("display_name"))
        cached_notes = inserted.mapped("note")
        self.assertEqual(self._columns(inserted), expected)
        self.env.invalidate_all()
        self.assertEqual(inserted.mapped("note"), cached_notes)

    def test_falls_back_to_create(self):
        """Values it cannot insert (one2many, translated) and models whose create() is overridden by
        a module not named go through create()."""
        Partner = self.env["res.partner"]
        partners = self.Batch._insert_records(Partner, [{"name": "Insert Fallback", "is_company": True}])
        self.assertEqual(partners.name, "Insert Fallback")
        self.assertFalse(self.Batch._insert_create_ok(Partner, ()))
        category = self.Batch._insert_records(
            self.env["res.partner.category"], [{"name": "Insert Tag"}], create_overrides=()
        )
        self.assertEqual(category.name, "Insert Tag")  # translated name: created by create()

    def test_followers_as_message_subscribe(self):
        """Default subtypes (external for portal users), existing followers kept, as message_subscribe."""
        partner = self.partners[0]
        partner.message_subscribe(partner_ids=self.user.partner_id.ids)
        before = partner.message_follower_ids.filtered(lambda f: f.partner_id == self.user.partner_id)
        followers = self.env["mail.followers"]._channel_subscribe(
            "res.partner",
            [(p.id, self.user.partner_id.id) for p in self.partners]
            + [(self.partners[2].id, self.portal.partner_id.id)],
        )
        self.assertEqual(len(followers), 3, "the existing follower is kept, not added again")
        self.assertIn(before, self.partners[0].message_follower_ids)
        reference = self.env["res.partner"].create({"name": "Insert Reference", "is_company": True})
        reference.message_subscribe(partner_ids=(self.user.partner_id | self.portal.partner_id).ids)
        expected = {f.partner_id: f.subtype_ids for f in reference.message_follower_ids}
        for follower in followers:
            self.assertEqual(follower.subtype_ids, expected[follower.partner_id])
        self.env.invalidate_all()
        self.assertIn(self.portal.partner_id, self.partners[2].message_partner_ids)
        self.assertIn(self.user.partner_id, self.partners[1].message_partner_ids)

    def test_scheduled_activities_follow_documents(self):
        """The activities of _channel_schedule subscribe their users, as mail.activity.create does."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.env["mail.activity"]._channel_schedule(
            self.partners, lambda p: {"activity_type_id": todo.id, "user_id": self.user.id, "note": "Check"}
        )
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.mapped("res_name"), self.partners.mapped("display_name"))
        self.assertEqual(set(activities.mapped("note")), {Markup("<p>Check</p>")})
        self.env.invalidate_all()
        for partner in self.partners:
            self.assertIn(self.user.partner_id, partner.message_partner_ids)
            self.assertEqual(partner.activity_ids, activities.filtered(lambda a, p=partner: a.res_id == p.id))
        self.assertEqual(self.partners[0].activity_user_id, self.user)
        # A second call finds the open activities and schedules nothing.
        self.assertFalse(self.env["mail.activity"]._channel_schedule(
            self.partners, lambda p: {"activity_type_id": todo.id, "user_id": self.user.id}
        ))

    def test_many2many_set(self):
        """Many2many values given as Command.set are written to the relation table."""
        subtype = self.env.ref("mail.mt_comment")
        followers = self.Batch._insert_records(
            self.env["mail.followers"].sudo(),
            [{"res_model": "res.partner", "res_id": self.partners[1].id, "partner_id": self.portal.partner_id.id,
              "subtype_ids": [Command.set(subtype.ids)]}],
            create_overrides=("odoo.addons.mail.models.mail_followers",),
        )
        self.assertEqual(followers.subtype_ids, subtype)
        self.env.invalidate_all()
        self.assertEqual(followers.subtype_ids, subtype)
