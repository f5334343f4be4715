from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalRights(TransactionCase):
    """Who may do what in the channel portal: the company's channel status and the job role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer = Partner.create({
            "name": "Rights Dealer", "is_company": True, "channel_role": "dealer", "channel_state": "active",
        })

        def user(login, role):
            contact = Partner.create({"name": login, "parent_id": cls.dealer.id, "channel_job_role": role})
            return new_test_user(cls.env, login=login, groups="base.group_portal", partner_id=contact.id)

        cls.owner = user("rights_owner", "owner")
        cls.sales = user("rights_sales", "sales")
        cls.back_office = user("rights_back", "back_office")
        cls.warehouse = user("rights_wh", "warehouse")
        cls.no_role = user("rights_none", False)

    def _can(self, user, action):
        return user._channel_portal_can(action)

    def test_defaults(self):
        expected = {
            "order": {"owner", "sales", "back_office"},
            "receipt": {"warehouse"},
            "statement": {"owner", "back_office"},
            "claim": {"owner", "sales", "back_office"},
        }
        users = {"owner": self.owner, "sales": self.sales, "back_office": self.back_office,
                 "warehouse": self.warehouse}
        for action, roles in expected.items():
            for role, user in users.items():
                self.assertEqual(self._can(user, action), role in roles, f"{role} / {action}")
            self.assertTrue(self._can(user, "read"))

    def test_contact_without_role_is_the_company_account(self):
        self.assertFalse(self.no_role._channel_portal_job_role())
        for action in ("order", "receipt", "statement", "claim", "read"):
            self.assertTrue(self._can(self.no_role, action), action)
        self.env["ir.config_parameter"].set_param("channel_base.portal_roles_claim", "none")
        self.assertFalse(self._can(self.no_role, "claim"))

    def test_check_raises_clear_error(self):
        with self.assertRaisesRegex(AccessError, "Warehouse"):
            self.warehouse._channel_portal_check("order")
        self.assertTrue(self.owner._channel_portal_check("order"))

    def test_suspended_keeps_read_access(self):
        self.dealer.channel_state = "suspended"
        self.assertFalse(self._can(self.owner, "order"))
        self.assertFalse(self._can(self.owner, "claim"))
        self.assertTrue(self._can(self.owner, "read"))
        self.assertTrue(self._can(self.owner, "statement"))
        with self.assertRaisesRegex(AccessError, "suspended"):
            self.owner._channel_portal_check("order")

    def test_terminated_and_prospect_see_nothing(self):
        for state in ("terminated", "prospect"):
            self.dealer.channel_state = state
            for action in ("order", "receipt", "statement", "claim", "read"):
                self.assertFalse(self._can(self.owner, action), f"{state} / {action}")

    def test_settings_change_roles(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.channel_portal_order_sales)
        self.assertFalse(settings.channel_portal_receipt_owner)
        settings.channel_portal_order_sales = False
        settings.channel_portal_receipt_owner = True
        settings.channel_portal_claim_owner = False
        settings.channel_portal_claim_sales = False
        settings.channel_portal_claim_back_office = False
        settings.execute()
        self.assertFalse(self._can(self.sales, "order"))
        self.assertTrue(self._can(self.owner, "receipt"))
        self.assertFalse(self._can(self.owner, "claim"), "an empty choice is kept, not reset to the defaults")
        self.assertFalse(self.env["res.config.settings"].create({}).channel_portal_claim_owner)

    def test_internal_caller(self):
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.owner)._channel_check_internal_caller()
        self.assertTrue(self.env["res.users"]._channel_check_internal_caller())

    def test_job_role_field_in_channel_base(self):
        field = self.env["res.partner"]._fields["channel_job_role"]
        self.assertEqual(field._module, "channel_base")
