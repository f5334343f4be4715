from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ChannelBaseCommon


@tagged("post_install", "-at_install")
class TestNetwork(ChannelBaseCommon):
    def _partner(self, name, role, parent=None, **vals):
        return self.env["res.partner"].create({
            "name": name,
            "is_company": True,
            "channel_role": role,
            "channel_parent_id": parent.id if parent else False,
            **vals,
        })

    # Roles and parents --------------------------------------------------------------------
    def test_distributor_parent_must_be_dealer(self):
        with self.assertRaisesRegex(ValidationError, "must be a Dealer"), self.cr.savepoint():
            self._partner("Bad distributor", "distributor", self.distributor)
        with self.assertRaisesRegex(ValidationError, "must be a Dealer"), self.cr.savepoint():
            self._partner("Bad distributor 2", "distributor", self.retailer)
        self.assertFalse(self.env["res.partner"].search([("name", "like", "Bad distributor")]))

    def test_retailer_parent_distributor_or_dealer(self):
        under_dealer = self._partner("Retailer under dealer", "retailer", self.dealer)
        under_distributor = self._partner("Retailer under distributor", "retailer", self.distributor)
        self.assertEqual(under_dealer.channel_dealer_id, self.dealer)
        self.assertEqual(under_distributor.channel_dealer_id, self.dealer)
        with self.assertRaisesRegex(ValidationError, "Sub-distributor or Dealer"):
            self._partner("Retailer under retailer", "retailer", self.retailer)

    def test_dealer_has_no_parent(self):
        with self.assertRaisesRegex(ValidationError, "has no channel parent"):
            self._partner("Dealer with parent", "dealer", self.dealer_b)
        with self.assertRaisesRegex(ValidationError, "has no channel parent"):
            self.distributor.write({"channel_role": "dealer"})

    def test_parent_needs_a_role(self):
        with self.assertRaisesRegex(ValidationError, "no channel role"):
            self._partner("Roleless", False, self.dealer)
        plain = self.env["res.partner"].create({"name": "Plain customer", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "must be a Dealer"):
            self._partner("Distributor of a plain customer", "distributor", plain)

    def test_parent_is_a_company_not_a_contact(self):
        contact = self.env["res.partner"].create({"name": "Dealer A boss", "parent_id": self.dealer.id})
        self.assertEqual(contact.channel_role, "dealer")
        with self.assertRaisesRegex(ValidationError, "not the contact"):
            self._partner("Distributor of a contact", "distributor", contact)

    def test_role_change_must_suit_downstream(self):
        # The dealer becoming a distributor would leave its distributor under a distributor.
        with self.assertRaisesRegex(ValidationError, "must be a Dealer"), self.cr.savepoint():
            self.dealer.write({"channel_role": "distributor", "channel_parent_id": self.dealer_b.id})
        self.env.invalidate_all()
        self.assertEqual(self.dealer.channel_role, "dealer")
        self.assertFalse(self.dealer.channel_parent_id)
        # Removing the role of a partner that supplies others is refused too.
        with self.assertRaises(ValidationError):
            self.distributor.write({"channel_role": False, "channel_parent_id": False})

    def test_no_cycle(self):
        with self.assertRaisesRegex(ValidationError, "own channel parent"):
            self.distributor.write({"channel_parent_id": self.distributor.id})
        with self.assertRaises(ValidationError):
            self.dealer.write({"channel_role": "retailer", "channel_parent_id": self.retailer.id})
        self.assertFalse(self.dealer.channel_parent_id)

    def test_dealer_follows_the_chain(self):
        self.assertEqual(self.dealer.channel_dealer_id, self.dealer)
        self.assertEqual(self.distributor.channel_dealer_id, self.dealer)
        self.assertEqual(self.retailer.channel_dealer_id, self.dealer)
        self.distributor.channel_parent_id = self.dealer_b
        self.assertEqual(self.retailer.channel_dealer_id, self.dealer_b)
        self.assertFalse(self.env["res.partner"].create({"name": "Nobody"}).channel_dealer_id)

    def test_join_date_when_activated(self):
        prospect = self._partner("Prospect", "dealer")
        self.assertEqual(prospect.channel_state, "prospect")
        self.assertFalse(prospect.channel_join_date)
        prospect.channel_state = "active"
        self.assertTrue(prospect.channel_join_date)

    # Commercial fields ---------------------------------------------------------------------
    def test_contacts_mirror_their_company(self):
        contact = self.env["res.partner"].create({"name": "Dealer A buyer", "parent_id": self.dealer.id})
        self.assertEqual(contact.channel_role, "dealer")
        self.assertEqual(contact.channel_tier_id, self.tier_gold)
        self.assertEqual(contact.channel_territory_id, self.territory_hz)
        self.assertEqual(contact.channel_state, "active")
        self.assertEqual(contact.channel_dealer_id, self.dealer)
        dist_contact = self.env["res.partner"].create(
            {"name": "Distributor A1 clerk", "parent_id": self.distributor.id}
        )
        self.assertEqual(dist_contact.channel_parent_id, self.dealer)
        self.assertEqual(dist_contact.channel_dealer_id, self.dealer)

        self.dealer.write({"channel_tier_id": self.tier_silver.id, "channel_state": "suspended"})
        self.assertEqual(contact.channel_tier_id, self.tier_silver)
        self.assertEqual(contact.channel_state, "suspended")
        self.dealer.action_channel_log_call()
        self.assertEqual(contact.last_call_date, self.dealer.last_call_date)
        self.assertTrue(self.dealer.last_call_date)

        # Contacts are neither downstream partners nor extra dealers.
        self.assertEqual(self.dealer.channel_child_ids, self.distributor)
        self.assertEqual(self.dealer.channel_child_count, 1)
        self.assertEqual(self.tier_silver.dealer_count, 2)

    def test_log_on_a_contact_dates_the_company(self):
        contact = self.env["res.partner"].create({"name": "Dealer B buyer", "parent_id": self.dealer_b.id})
        contact.action_channel_log_visit()
        self.assertTrue(self.dealer_b.last_visit_date)
        self.assertEqual(contact.last_visit_date, self.dealer_b.last_visit_date)

    # Tiers -----------------------------------------------------------------------------------
    def test_tier_dealer_count(self):
        self.assertEqual(self.tier_gold.dealer_count, 1)
        self.assertEqual(self.tier_silver.dealer_count, 1)
        self._partner("Dealer C", "dealer", channel_tier_id=self.tier_gold.id)
        # A distributor with the tier is not a dealer.
        self.distributor.channel_tier_id = self.tier_gold
        self.tier_gold.invalidate_recordset(["dealer_count"])
        self.assertEqual(self.tier_gold.dealer_count, 2)
        action = self.tier_gold.action_view_dealers()
        self.assertEqual(len(self.env["res.partner"].search(action["domain"])), 2)

    def test_tier_code_unique(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["channel.tier"].create({"name": "Gold again", "code": "T-GOLD"})
            self.env.flush_all()

    def test_partner_form(self):
        with Form(self.env["res.partner"]) as form:
            form.company_type = "company"
            form.name = "Form distributor"
            form.channel_role = "distributor"
            form.channel_parent_id = self.dealer
        partner = form.record
        self.assertEqual(partner.channel_dealer_id, self.dealer)
        self.assertEqual(partner.channel_state, "prospect")
        action = self.dealer.action_view_channel_children()
        self.assertEqual(
            set(self.env["res.partner"].search(action["domain"]).ids), {self.distributor.id, partner.id}
        )
