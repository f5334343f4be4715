from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestResponsibleUser(TransactionCase):
    """``res.partner._channel_responsible_user``: the salesperson, else the territory manager up
    the territory tree, else the current user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.salesperson = new_test_user(cls.env, login="resp_sales", groups="base.group_user")
        cls.manager_province = new_test_user(cls.env, login="resp_province", groups="base.group_user")
        cls.manager_other = new_test_user(cls.env, login="resp_other", groups="base.group_user")
        Territory = cls.env["channel.territory"]
        cls.province = Territory.create(
            {"name": "Resp Province", "code": "RESP-P", "manager_id": cls.manager_province.id}
        )
        cls.city = Territory.create(
            {"name": "Resp City", "code": "RESP-C", "level": "city", "parent_id": cls.province.id}
        )
        cls.district = Territory.create({"name": "Resp District", "code": "RESP-D", "parent_id": cls.city.id})
        cls.other = Territory.create({"name": "Resp Other", "code": "RESP-O", "manager_id": cls.manager_other.id})
        cls.orphan = Territory.create({"name": "Resp Orphan", "code": "RESP-X"})
        Partner = cls.env["res.partner"]
        cls.dealer = Partner.create(
            {
                "name": "Resp Dealer",
                "is_company": True,
                "channel_role": "dealer",
                "channel_state": "active",
                "channel_territory_id": cls.district.id,
            }
        )
        cls.contact = Partner.create({"name": "Resp Contact", "parent_id": cls.dealer.id})

    def test_territory_manager_up_the_tree(self):
        self.assertEqual(self.dealer.channel_territory_id, self.district)
        self.assertEqual(self.dealer._channel_responsible_user(), self.manager_province)
        # A contact is followed up by whoever follows up its company.
        self.assertEqual(self.contact._channel_responsible_user(), self.manager_province)

    def test_nearest_manager_wins(self):
        self.city.manager_id = self.manager_other
        self.assertEqual(self.dealer._channel_responsible_user(), self.manager_other)

    def test_salesperson_first(self):
        self.dealer.user_id = self.salesperson
        self.assertEqual(self.dealer._channel_responsible_user(), self.salesperson)
        self.assertEqual(self.dealer._channel_responsible_user(territory=self.other), self.salesperson)

    def test_other_territory_and_fallback(self):
        self.assertEqual(self.dealer._channel_responsible_user(territory=self.other), self.manager_other)
        self.dealer.channel_territory_id = self.orphan
        self.assertEqual(self.dealer._channel_responsible_user(), self.env.user)
        # No partner at all (e.g. a violation without offender yet): the territory decides.
        self.assertEqual(self.env["res.partner"]._channel_responsible_user(territory=self.city), self.manager_province)

    def test_care_activity_goes_to_the_responsible_user(self):
        activities = self.dealer._schedule_care_activities()
        self.assertEqual(activities.user_id, self.manager_province)
        self.assertEqual(activities.res_id, self.dealer.id)
        # Deduplicated: a dealer with an open call or visit activity gets no second one.
        self.assertFalse(self.dealer._schedule_care_activities())
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.dealer.id)]
            ),
            1,
        )

    def test_care_activities_own_the_lapse(self):
        cron = self.env.ref("channel_base.ir_cron_schedule_care_activities")
        cron.active = True
        self.assertTrue(self.env["res.partner"]._channel_care_activities_enabled())
        cron.active = False
        self.assertFalse(self.env["res.partner"]._channel_care_activities_enabled())

    def test_responsible_users_in_batch(self):
        """The batch lookup gives for each partner what the one-by-one lookup gives."""
        Partner = self.env["res.partner"]
        orphan_dealer = Partner.create({"name": "Resp Orphan Dealer", "is_company": True,
                                        "channel_territory_id": self.orphan.id})
        sold = Partner.create({"name": "Resp Sold", "is_company": True, "user_id": self.salesperson.id,
                               "channel_territory_id": self.district.id})
        other = Partner.create({"name": "Resp Other Dealer", "is_company": True,
                                "channel_territory_id": self.other.id})
        partners = self.dealer | self.contact | orphan_dealer | sold | other
        self.city.manager_id = self.manager_other
        expected = {partner.id: partner._channel_responsible_user() for partner in partners}
        self.assertEqual(partners._channel_responsible_users(), expected)
        self.assertEqual(expected[orphan_dealer.id], self.env.user)
        self.assertEqual(expected[sold.id], self.salesperson)
        self.assertEqual(expected[self.contact.id], self.manager_other)
