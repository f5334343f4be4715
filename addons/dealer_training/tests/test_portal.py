import base64

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DealerTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingPortal(DealerTrainingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Channel = cls.env["slide.channel"]
        # Only the materials of the test: those of the database (demo ones) are unpublished.
        Channel.search(["|", ("dealer_material", "=", True), ("dealer_tier_ids", "!=", False)]).write(
            {"is_published": False}
        )
        cls.material_gold = Channel.create({
            "name": "Gold sales scripts", "channel_type": "documentation", "dealer_material": True,
            "visibility": "connected", "is_published": True, "dealer_tier_ids": [Command.link(cls.tier_gold.id)],
        })
        cls.material_all = Channel.create({
            "name": "Display standards", "channel_type": "documentation", "dealer_material": True,
            "visibility": "connected", "is_published": True,
        })
        cls.document_gold = cls.env["slide.slide"].create({
            "name": "Script for new products", "channel_id": cls.material_gold.id, "slide_category": "document",
            "source_type": "local_file", "binary_content": base64.b64encode(b"Sales script"),
            "is_published": True,
        })
        cls.document_all = cls.env["slide.slide"].create({
            "name": "Shelf display rules", "channel_id": cls.material_all.id, "slide_category": "article",
            "html_content": "<p>Rules</p>", "is_published": True,
        })

    def post(self, url, data=None, **kwargs):
        return self.url_open(url, data=dict(data or {}, csrf_token=http.Request.csrf_token(self)), **kwargs)

    # ------------------------------------------------------------------
    # Materials zone
    # ------------------------------------------------------------------
    def test_materials_visible_by_tier(self):
        Channel = self.env["slide.channel"]
        materials = self.material_gold | self.material_all
        self.assertEqual(Channel.with_user(self.user_owner_a).search([("id", "in", materials.ids)]), materials)
        self.assertEqual(Channel.with_user(self.user_owner_b).search([("id", "in", materials.ids)]), self.material_all)
        public = self.env.ref("base.public_user")
        self.assertEqual(Channel.with_user(public).search([("id", "in", materials.ids)]), self.env["slide.channel"])
        self.assertFalse(
            self.env["slide.slide"].with_user(self.user_owner_b).search([("id", "=", self.document_gold.id)])
        )
        self.assertEqual(Channel.with_user(self.user_manager).search([("id", "in", materials.ids)]), materials,
                         "Internal users see every course")

    def test_materials_portal_pages(self):
        self.authenticate("dt_owner_b", "dt_owner_b")
        response = self.url_open("/my/channel/materials")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Display standards", response.text)
        self.assertNotIn("Gold sales scripts", response.text)
        response = self.post(f"/my/channel/materials/{self.document_gold.id}/download")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(self.material_gold.website_url, allow_redirects=False)
        self.assertIn("no_rights", response.headers.get("Location", ""), "The course page is refused")
        self.assertEqual(self.document_gold.download_count, 0)

        self.authenticate("dt_sales_a", "dt_sales_a")
        response = self.url_open("/my/channel/materials")
        self.assertIn("Gold sales scripts", response.text)
        response = self.post(f"/my/channel/materials/{self.document_gold.id}/download")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"Sales script")
        self.document_gold.invalidate_recordset()
        self.assertEqual(self.document_gold.download_count, 1)
        self.assertEqual(self.material_gold.download_count, 1)
        # an article opens on the course page, the dealer joins the course to read it
        response = self.post(f"/my/channel/materials/{self.document_all.id}/download")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.sales_a, self.material_all.partner_ids)
        self.assertIn("Rules", response.text)

    # ------------------------------------------------------------------
    # Staff
    # ------------------------------------------------------------------
    def test_staff_page_owner_only(self):
        self.authenticate("dt_sales_a", "dt_sales_a")
        self.assertEqual(self.url_open("/my/channel/staff").status_code, 403)
        response = self.post("/my/channel/staff", {"name": "Intruder", "email": "x@example.com", "job_role": "sales"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "x@example.com")]))

        self.authenticate("dt_owner_a", "dt_owner_a")
        response = self.url_open("/my/channel/staff")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Sales A", response.text)
        self.assertNotIn("Sales B", response.text)
        self.assertIn("0 / 3", response.text, "The owner's progress on its three required items")

    def test_owner_invites_staff(self):
        self.authenticate("dt_owner_a", "dt_owner_a")
        response = self.post("/my/channel/staff", {
            "name": "New Warehouse", "email": "new.wh@example.com", "job_role": "warehouse",
        })
        self.assertEqual(response.status_code, 200)
        person = self.env["res.partner"].search([("email", "=", "new.wh@example.com")])
        self.assertEqual(person.parent_id, self.dealer_a)
        self.assertEqual(person.channel_job_role, "warehouse")
        self.assertTrue(person.user_ids._is_portal())
        self.assertEqual(self.statuses(person).slide_channel_id, self.course_profit, "The new staff is enrolled")
        # a bad email saves nothing
        response = self.post("/my/channel/staff", {"name": "Nobody", "email": "not-an-email", "job_role": "sales"})
        self.assertIn("o_training_error", response.text)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Nobody")]))
        # an email already used as a login elsewhere: refused, and the contact is not kept either
        new_test_user(self.env, login="taken@example.com", name="Someone Else")
        response = self.post("/my/channel/staff", {"name": "Taken", "email": "taken@example.com", "job_role": "sales"})
        self.assertIn("o_training_error", response.text)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Taken")]))

    def test_owner_cannot_touch_other_dealers_staff(self):
        self.authenticate("dt_owner_a", "dt_owner_a")
        response = self.post(f"/my/channel/staff/{self.sales_b.id}/role", {"job_role": "owner"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.sales_b.channel_job_role, "sales")
        response = self.post(f"/my/channel/staff/{self.sales_a.id}/role", {"job_role": "back_office"})
        self.assertEqual(self.sales_a.channel_job_role, "back_office")
        response = self.post(f"/my/channel/staff/{self.sales_a.id}/revoke", {})
        self.assertFalse(self.user_sales_a.active)

    # ------------------------------------------------------------------
    # Training page
    # ------------------------------------------------------------------
    def test_training_page_owner_matrix(self):
        self.pass_certification(self.owner_a)
        self.env["dealer.training.log"].create({
            "dealer_id": self.dealer_a.id, "topic": "Route strategy coaching",
            "attendee_ids": [Command.link(self.sales_a.id)],
        })
        self.authenticate("dt_owner_a", "dt_owner_a")
        response = self.url_open("/my/channel/training")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_training_matrix", response.text)
        self.assertIn("Sales A", response.text)
        self.assertNotIn("Sales B", response.text)
        self.assertIn("Route strategy coaching", response.text)
        self.assertIn(f"/survey/{self.survey.id}/get_certification", response.text)
        response = self.url_open(f"/survey/{self.survey.id}/get_certification")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")

    def test_portal_home_entries(self):
        self.authenticate("dt_owner_a", "dt_owner_a")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/channel/training", response.text)
        self.assertIn("/my/channel/staff", response.text)
        self.assertIn("/my/channel/materials", response.text)
        counters = self.make_jsonrpc_request("/my/counters", {
            "counters": ["training_status_count", "training_staff_count", "training_material_count"],
        })
        self.assertEqual(counters["training_status_count"], 4, "The owner counts its company's items")
        self.assertEqual(counters["training_staff_count"], 2)
        self.assertEqual(counters["training_material_count"], 2)
        self.authenticate("dt_owner_b", "dt_owner_b")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["training_material_count"]})
        self.assertEqual(counters["training_material_count"], 1, "Silver does not see the Gold materials")

    def test_take_required_certification(self):
        self.survey.access_mode = "token"
        self.authenticate("dt_owner_a", "dt_owner_a")
        response = self.post(f"/my/channel/training/certification/{self.survey.id}", allow_redirects=False)
        self.assertIn("/survey/start/", response.headers.get("Location", ""))
        answer = self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id), ("partner_id", "=", self.owner_a.id)]
        )
        self.assertEqual(len(answer), 1, "An answer is prepared for the staff member")
        self.assertIn(answer.access_token, response.headers["Location"])
        # someone the certification is not required from gets nothing
        self.authenticate("dt_sales_a", "dt_sales_a")
        response = self.post(f"/my/channel/training/certification/{self.survey.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 404)

    def test_training_page_staff_own_only(self):
        self.authenticate("dt_sales_a", "dt_sales_a")
        response = self.url_open("/my/channel/training")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_training_matrix", response.text)
        self.assertIn("Profitability", response.text)
        self.assertNotIn("Dealer certification", response.text)
