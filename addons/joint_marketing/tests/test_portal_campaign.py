import io
from datetime import datetime, timedelta

from PIL import Image

from odoo.fields import Command
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import JointMarketingHttpCommon


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestCampaignPortal(JointMarketingHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a = cls._jm_portal_user("jm_portal_ann_a", cls.dealer_a)
        cls.user_c = cls._jm_portal_user("jm_portal_ann_c", cls.dealer_c)
        Announcement = cls.env["channel.announcement"]
        cls.announcement = Announcement.create({
            "name": "Zhejiang price list", "body": "<p>New prices for Zhejiang</p>",
            "territory_ids": [Command.set(cls.territory_zj.ids)],
        })
        cls.announcement.action_publish()
        cls.draft = Announcement.create({"name": "Not yet", "body": "<p>Draft</p>"})
        cls.campaign = cls.env["channel.campaign"].create({
            "name": "Tasting days", "campaign_type": "sampling", "territory_id": cls.territory_zj.id,
            "date_start": "2025-01-01", "date_end": "2030-12-31", "budget": 5000.0, "manufacturer_share": 40.0,
        })
        cls.campaign.action_approve()
        start = datetime.now() + timedelta(days=10)
        cls.meeting = cls.env["event.event"].create({
            "name": "Zhejiang dealer conference", "channel_meeting": True, "channel_meeting_type": "conference",
            "date_begin": start, "date_end": start + timedelta(hours=6),
            "territory_ids": [Command.set(cls.territory_zj.ids)],
        })

    def _csrf_token(self):
        page = self.url_open("/my").text
        return page.split('csrf_token: "', 1)[1].split('"', 1)[0]

    def _receipts(self, user):
        self.env.flush_all()
        return self.env["channel.announcement.receipt"].search([
            ("announcement_id", "=", self.announcement.id), ("user_id", "=", user.id),
        ])

    def test_list_badge_and_detail_records_receipt_once(self):
        self.authenticate("jm_portal_ann_a", "jm_portal_ann_a")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["channel_announcement_unread_count"]})
        self.assertEqual(counters["channel_announcement_unread_count"], 1)
        page = self.url_open("/my/channel/announcements")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Zhejiang price list", page.text)
        self.assertNotIn("Not yet", page.text)
        self.assertIn("o_channel_unread", page.text)
        self.assertFalse(self._receipts(self.user_a))
        detail = self.url_open(f"/my/channel/announcements/{self.announcement.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("New prices for Zhejiang", detail.text)
        self.assertIn("o_portal_chatter", detail.text)
        receipt = self._receipts(self.user_a)
        self.assertEqual(len(receipt), 1)
        first_read = receipt.date_read
        self.url_open(f"/my/channel/announcements/{self.announcement.id}")
        receipt = self._receipts(self.user_a)
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.date_read, first_read)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["channel_announcement_unread_count"]})
        self.assertEqual(counters["channel_announcement_unread_count"], 0)

    def test_outside_audience_and_draft_are_not_found(self):
        self.authenticate("jm_portal_ann_c", "jm_portal_ann_c")  # Jiangsu
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/my/channel/announcements/{self.announcement.id}").status_code, 404)
            self.assertEqual(self.url_open(f"/my/channel/announcements/{self.draft.id}").status_code, 404)
            self.assertEqual(self.url_open("/my/channel/announcements/999999").status_code, 404)
        self.assertNotIn("Zhejiang price list", self.url_open("/my/channel/announcements").text)
        self.assertFalse(self._receipts(self.user_c))

    def test_claim_from_portal_ignores_forged_fields(self):
        self.authenticate("jm_portal_ann_a", "jm_portal_ann_a")
        page = self.url_open("/my/channel/campaigns")
        self.assertIn("Tasting days", page.text)
        token = self._csrf_token()
        response = self.url_open("/my/channel/campaigns/claim", data={
            "csrf_token": token, "campaign_id": self.campaign.id, "amount": "250", "note": "Two tasting days",
            "state": "paid", "partner_id": self.dealer_c.id, "reimbursed_amount": "99999",
        }, files=[("proofs", ("photo.png", png_bytes(), "image/png")),
                  ("proofs", ("invoice.pdf", PDF_BYTES, "application/pdf"))])
        self.assertEqual(response.status_code, 200)
        claim = self.env["channel.campaign.claim"].search([("campaign_id", "=", self.campaign.id)])
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.partner_id, self.dealer_a)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.amount, 250.0)
        self.assertEqual(claim.reimbursed_amount, 100.0)
        self.assertEqual(sorted(claim.attachment_ids.mapped("mimetype")), ["application/pdf", "image/png"])

    def test_claim_proof_checked_from_content(self):
        self.authenticate("jm_portal_ann_a", "jm_portal_ann_a")
        token = self._csrf_token()
        response = self.url_open("/my/channel/campaigns/claim", data={
            "csrf_token": token, "campaign_id": self.campaign.id, "amount": "250",
        }, files=[("proofs", ("photo.png", b"MZ\x90\x00 not an image", "image/png"))])
        self.assertIn("neither an image nor a PDF", response.text)
        response = self.url_open("/my/channel/campaigns/claim", data={
            "csrf_token": token, "campaign_id": self.campaign.id, "amount": "250",
        })
        self.assertIn("Add at least one proof", response.text)
        self.assertFalse(self.env["channel.campaign.claim"].search([("campaign_id", "=", self.campaign.id)]))

    def test_claim_outside_campaign_refused(self):
        self.authenticate("jm_portal_ann_c", "jm_portal_ann_c")  # Jiangsu: not in the campaign
        token = self._csrf_token()
        response = self.url_open("/my/channel/campaigns/claim", data={
            "csrf_token": token, "campaign_id": self.campaign.id, "amount": "250",
        }, files=[("proofs", ("photo.png", png_bytes(), "image/png"))])
        self.assertIn("Choose one of your campaigns", response.text)
        self.assertFalse(self.env["channel.campaign.claim"].search([("campaign_id", "=", self.campaign.id)]))

    def test_meeting_registration(self):
        self.authenticate("jm_portal_ann_a", "jm_portal_ann_a")
        page = self.url_open("/my/channel/meetings")
        self.assertIn("Zhejiang dealer conference", page.text)
        token = self._csrf_token()
        for _i in range(2):
            self.url_open(f"/my/channel/meetings/{self.meeting.id}/register", data={"csrf_token": token})
        registrations = self.env["event.registration"].search([("event_id", "=", self.meeting.id)])
        self.assertEqual(registrations.partner_id, self.user_a.partner_id)
        self.assertEqual(len(registrations), 1)
        self.authenticate("jm_portal_ann_c", "jm_portal_ann_c")
        token = self._csrf_token()
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/channel/meetings/{self.meeting.id}/register", data={"csrf_token": token})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.env["event.registration"].search_count([("event_id", "=", self.meeting.id)]), 1)

    def test_portal_comments(self):
        self.authenticate("jm_portal_ann_a", "jm_portal_ann_a")
        page = self.url_open(f"/my/channel/announcements/{self.announcement.id}")
        self.assertEqual(page.status_code, 200)
        token = self.announcement.access_token
        self.assertTrue(token)
        self.assertIn(f'data-token="{token}"', page.text)
        self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "channel.announcement", "thread_id": self.announcement.id,
            "post_data": {"body": "Received, thanks", "message_type": "comment"}, "token": token,
        })
        message = self.announcement.message_ids.filtered(lambda m: "Received, thanks" in (m.body or ""))
        self.assertEqual(message.author_id, self.user_a.partner_id)
        # Without the token (another audience), nothing is posted.
        self.authenticate("jm_portal_ann_c", "jm_portal_ann_c")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/mail/message/post", {
                "thread_model": "channel.announcement", "thread_id": self.announcement.id,
                "post_data": {"body": "Forged", "message_type": "comment"},
            })
        self.assertFalse(self.announcement.message_ids.filtered(lambda m: "Forged" in (m.body or "")))
