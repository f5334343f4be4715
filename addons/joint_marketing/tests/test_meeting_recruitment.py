from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import JointMarketingCommon


@tagged("post_install", "-at_install")
class TestMeeting(JointMarketingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a = cls._jm_portal_user("jm_meet_a", cls.dealer_a)
        cls.user_b = cls._jm_portal_user("jm_meet_b", cls.dealer_b)
        cls.user_c = cls._jm_portal_user("jm_meet_c", cls.dealer_c)
        cls.user_a1 = cls._jm_portal_user("jm_meet_a1", cls.distributor_a1)
        start = datetime.now() + timedelta(days=30)
        cls.meeting = cls.env["event.event"].create({
            "name": "Annual dealer meeting",
            "channel_meeting": True,
            "channel_meeting_type": "annual",
            "date_begin": start,
            "date_end": start + timedelta(hours=8),
            "territory_ids": [Command.set(cls.territory_zj.ids)],
            "channel_roles": [Command.set(cls.env.ref("joint_marketing.audience_role_dealer").ids)],
        })

    def test_invitations_to_the_audience_only_once(self):
        self.meeting.action_channel_invite()
        ours = self.user_a | self.user_b | self.user_c | self.user_a1
        self.assertEqual(self.meeting.channel_invited_user_ids & ours, self.user_a | self.user_b)
        mails = self.env["mail.mail"].search([("model", "=", "event.event"), ("res_id", "=", self.meeting.id)])
        self.assertEqual(mails.recipient_ids & ours.partner_id,
                         (self.user_a | self.user_b).partner_id)
        count = len(mails)
        self.meeting.action_channel_invite()
        self.assertEqual(
            self.env["mail.mail"].search_count([("model", "=", "event.event"), ("res_id", "=", self.meeting.id)]),
            count,
        )

    def test_not_a_meeting_is_refused(self):
        self.meeting.channel_meeting = False
        with self.assertRaises(UserError):
            self.meeting.action_channel_invite()

    def test_registration_attendance_and_history(self):
        Event = self.env["event.event"]
        self.assertIn(self.meeting, Event.search(Event._channel_portal_domain(self.user_a)))
        self.assertNotIn(self.meeting, Event.search(Event._channel_portal_domain(self.user_c)))
        registration = self.meeting._channel_register(self.user_a)
        self.assertEqual(self.meeting._channel_register(self.user_a), registration)
        self.assertEqual(registration.channel_member_id, self.dealer_a)
        registration.action_set_done()
        self.assertEqual(registration.state, "done")
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.channel_meeting_count, 1)
        self.assertEqual(self.dealer_a.channel_meeting_registration_ids, registration)
        action = self.dealer_a.action_view_channel_meetings()
        self.assertEqual(self.env["event.registration"].search(action["domain"]), registration)


@tagged("post_install", "-at_install")
class TestRecruitment(JointMarketingCommon):
    def _lead(self, **vals):
        values = {
            "name": "Candidate dealer in Xihu",
            "type": "opportunity",
            "partner_name": "JM Xihu Trading",
            "contact_name": "Wang Wei",
            "email_from": "wang@example.com",
            "channel_recruitment": True,
            "channel_recruit_source": "street",
            "channel_territory_id": self.territory_xh.id,
            "channel_tier_id": self.tier_silver.id,
        }
        values.update(vals)
        return self.env["crm.lead"].create(values)

    def test_qualification_score(self):
        lead = self._lead()
        self.assertEqual(lead.channel_qualification_score, 0)
        lead.write({"channel_qual_licence": True, "channel_qual_capital": True, "channel_qual_philosophy": True})
        self.assertEqual(lead.channel_qualification_score, 50)
        lead.write({"channel_qual_warehouse": True, "channel_qual_vehicles": True, "channel_qual_outlets": True,
                    "channel_qual_competition": True})
        self.assertEqual(lead.channel_qualification_score, 100)

    def test_convert_creates_dealer_and_draft_agreement(self):
        lead = self._lead()
        action = lead.action_channel_convert()
        dealer = lead.partner_id.commercial_partner_id
        self.assertEqual(dealer.name, "JM Xihu Trading")
        self.assertTrue(dealer.is_company)
        self.assertEqual(dealer.channel_role, "dealer")
        self.assertEqual(dealer.channel_state, "active")
        self.assertEqual(dealer.channel_territory_id, self.territory_xh)
        self.assertEqual(dealer.channel_tier_id, self.tier_silver)
        agreement = lead.channel_agreement_id
        self.assertEqual(action["res_id"], agreement.id)
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(agreement.dealer_id, dealer)
        self.assertEqual(agreement.territory_id, self.territory_xh)
        # Converting again reuses the draft agreement.
        lead.action_channel_convert()
        self.assertEqual(lead.channel_agreement_id, agreement)

    def test_convert_updates_existing_prospect(self):
        prospect = self.env["res.partner"].create({
            "name": "JM Prospect", "is_company": True, "channel_role": "dealer", "channel_state": "prospect",
        })
        lead = self._lead(partner_id=prospect.id, partner_name=False)
        lead.action_channel_convert()
        self.assertEqual(prospect.channel_state, "active")
        self.assertEqual(prospect.channel_territory_id, self.territory_xh)
        self.assertEqual(lead.channel_agreement_id.dealer_id, prospect)

    def test_convert_refusals(self):
        with self.assertRaises(UserError):
            self._lead(channel_recruitment=False).action_channel_convert()
        with self.assertRaises(UserError):
            self._lead(channel_territory_id=False).action_channel_convert()
        distributor_lead = self._lead(partner_id=self.distributor_a1.id, partner_name=False)
        with self.assertRaises(UserError):
            distributor_lead.action_channel_convert()
