from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import JointMarketingHttpCommon


@tagged("post_install", "-at_install")
class TestAgreementPortal(JointMarketingHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_dealer = cls._jm_portal_user("jm_dealer_a", cls.dealer_a)
        cls.user_distributor = cls._jm_portal_user("jm_distributor_a1", cls.distributor_a1)
        cls.user_other_distributor = cls._jm_portal_user("jm_distributor_a2", cls.distributor_a2)
        cls.user_other_dealer = cls._jm_portal_user("jm_dealer_c", cls.dealer_c)
        cls.agreement = cls._agreement(distributor_id=cls.distributor_a1.id)
        cls.agreement.action_send()
        cls.other_agreement = cls._agreement(distributor_id=cls.distributor_a2.id, exclusive=False)
        cls.other_agreement.action_send()
        cls.draft = cls._agreement(distributor_id=cls.distributor_a1.id, exclusive=False)

    def _sign(self, agreement, name="Signer", signature=None, **extra):
        params = {"name": name, "signature": signature if signature is not None else self.signature}
        params.update(extra)
        return self.make_jsonrpc_request(f"/my/channel/agreements/{agreement.id}/sign", params)

    def _signature_fields(self, agreement):
        agreement.invalidate_recordset()
        return {party: agreement[f"{party}_signed_on"] for party in ("manufacturer", "dealer", "distributor")}

    def test_signing_flow(self):
        self.authenticate("jm_dealer_a", "jm_dealer_a")
        home = self.url_open("/my")
        self.assertIn("/my/channel/agreements", home.text)
        counters = self.make_jsonrpc_request("/my/counters", {
            "counters": ["channel_agreement_count", "channel_target_count"],
        })
        self.assertEqual(counters["channel_agreement_count"], 2)
        page = self.url_open("/my/channel/agreements")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.agreement.name, page.text)
        self.assertNotIn(self.draft.name, page.text, "drafts stay in the backend")
        detail = self.url_open(f"/my/channel/agreements/{self.agreement.id}")
        self.assertIn("modal_agreement_sign", detail.text)
        result = self._sign(self.agreement, name="Boss A")
        self.assertTrue(result.get("force_refresh"), result)
        signed = self._signature_fields(self.agreement)
        self.assertTrue(signed["dealer"])
        self.assertFalse(signed["distributor"])
        self.assertFalse(signed["manufacturer"])
        self.assertEqual(self.agreement.dealer_signed_by, "Boss A")
        detail = self.url_open(f"/my/channel/agreements/{self.agreement.id}")
        self.assertNotIn("modal_agreement_sign", detail.text)

        self.authenticate("jm_distributor_a1", "jm_distributor_a1")
        result = self._sign(self.agreement, name="Boss A1")
        self.assertTrue(result.get("force_refresh"), result)
        self.assertTrue(self._signature_fields(self.agreement)["distributor"])
        self.assertEqual(self.agreement.state, "sent")

        self.env["channel.agreement.sign"].create({
            "agreement_id": self.agreement.id, "name": "Factory", "signature": self.signature,
        }).action_sign()
        self.assertEqual(self.agreement.state, "signed")
        self.assertEqual(len(self.agreement.copy_attachment_ids), 3)
        detail = self.url_open(f"/my/channel/agreements/{self.agreement.id}")
        self.assertIn("Distributor&#39;s copy", detail.text.replace("'", "&#39;"))
        report = self.url_open(f"/my/channel/agreements/{self.agreement.id}?report_type=html")
        self.assertEqual(report.status_code, 200)
        self.assertIn("Boss A1", report.text)

    def test_signing_tour(self):
        """The dealer signs with Odoo's portal signature widget, in a browser."""
        self.start_tour(f"/my/channel/agreements/{self.agreement.id}", "joint_marketing_portal_sign",
                        login="jm_dealer_a")
        self.assertTrue(self._signature_fields(self.agreement)["dealer"])
        self.assertEqual(self.agreement.dealer_signed_by, self.user_dealer.name)
        self.assertFalse(self._signature_fields(self.agreement)["distributor"])

    def test_nobody_signs_for_another_party(self):
        before = self._signature_fields(self.agreement)
        # A distributor of the same dealer, but not party to this agreement.
        self.authenticate("jm_distributor_a2", "jm_distributor_a2")
        self.assertIn("error", self._sign(self.agreement))
        # A dealer from elsewhere: the agreement is not even visible.
        self.authenticate("jm_dealer_c", "jm_dealer_c")
        self.assertIn("error", self._sign(self.agreement))
        page = self.url_open(f"/my/channel/agreements/{self.agreement.id}")
        self.assertNotIn(self.agreement.name, page.text)
        # The distributor signs as the distributor only, whatever it sends.
        self.authenticate("jm_distributor_a1", "jm_distributor_a1")
        result = self._sign(self.agreement, party="dealer", dealer_signature=self.signature, state="signed")
        self.assertTrue(result.get("force_refresh"))
        after = self._signature_fields(self.agreement)
        self.assertFalse(after["dealer"])
        self.assertFalse(after["manufacturer"])
        self.assertTrue(after["distributor"])
        self.assertEqual(self.agreement.state, "sent")
        # Twice is refused; a draft cannot be signed.
        self.assertIn("error", self._sign(self.agreement))
        self.assertIn("error", self._sign(self.draft))
        self.assertFalse(self._signature_fields(self.draft)["distributor"])
        self.assertEqual(before["dealer"], after["dealer"])

    def test_invalid_signature_saves_nothing(self):
        self.authenticate("jm_dealer_a", "jm_dealer_a")
        self.assertIn("error", self._sign(self.agreement, signature="bm90IGFuIGltYWdl"))
        self.assertIn("error", self._sign(self.agreement, signature=""))
        self.assertIn("error", self._sign(self.agreement, name="  "))
        self.assertFalse(self._signature_fields(self.agreement)["dealer"])
        self.assertEqual(len(self.agreement.message_ids.filtered(lambda m: "Signed by" in (m.body or ""))), 0)

    def test_rpc_write_refused(self):
        self.authenticate("jm_dealer_a", "jm_dealer_a")
        for method, args in (
            ("write", [[self.agreement.id], {"state": "signed"}]),
            ("write", [[self.agreement.id], {"dealer_signed_by": "Forged"}]),
            ("action_send", [[self.draft.id]]),
            ("_sign", [[self.agreement.id], "dealer", "Forged", self.signature]),
            ("unlink", [[self.agreement.id]]),
        ):
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException, msg=method):
                self.make_jsonrpc_request(f"/web/dataset/call_kw/channel.agreement/{method}", {
                    "model": "channel.agreement", "method": method, "args": args, "kwargs": {},
                })
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.state, "sent")
        self.assertFalse(self.agreement.dealer_signed_by)
        self.assertEqual(self.draft.state, "draft")

    def _search_read(self, model, fields):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/search_read", {
            "model": model, "method": "search_read", "args": [[], fields], "kwargs": {},
        })

    def test_access_distributor_sees_only_its_own(self):
        Target = self.env["channel.target"]
        root = Target.create({"territory_id": self.territory_hz.id, "year": 2025,
                              "target_amount": 9000.0, "target_qty": 90.0})
        dealers = root._decompose_partners("equal")
        node_a = dealers.filtered(lambda n: n.partner_id == self.dealer_a)
        distributors = node_a._decompose_partners("equal")
        distributors._decompose_months("equal")
        own = distributors.filtered(lambda n: n.partner_id == self.distributor_a1)

        self.authenticate("jm_distributor_a1", "jm_distributor_a1")
        agreements = self._search_read("channel.agreement", ["name"])
        self.assertEqual([a["id"] for a in agreements], [self.agreement.id])
        targets = Target.browse([t["id"] for t in self._search_read("channel.target", ["partner_id"])])
        self.assertEqual(targets, own | own.month_ids)
        page = self.url_open("/my/channel/targets?year=2025")
        self.assertEqual(page.status_code, 200)
        self.assertIn("JM Distributor A1", page.text)
        self.assertNotIn("JM Distributor A3", page.text)

        self.authenticate("jm_dealer_a", "jm_dealer_a")
        agreements = self._search_read("channel.agreement", ["name"])
        self.assertEqual({a["id"] for a in agreements}, {self.agreement.id, self.other_agreement.id})
        targets = Target.browse([t["id"] for t in self._search_read("channel.target", ["partner_id"])])
        self.assertEqual(targets.filtered(lambda n: not n.month), node_a | distributors)
        page = self.url_open("/my/channel/targets?year=2025")
        self.assertIn("JM Distributor A3", page.text)
        self.assertNotIn("JM Dealer D", page.text)

        self.authenticate("jm_dealer_c", "jm_dealer_c")
        self.assertFalse(self._search_read("channel.agreement", ["name"]))
        self.assertFalse(self._search_read("channel.target", ["partner_id"]))
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/web/dataset/call_kw/channel.target/write", {
                "model": "channel.target", "method": "write",
                "args": [own.ids, {"target_qty": 1.0}], "kwargs": {},
            })
        own.invalidate_recordset()
        self.assertEqual(own.target_qty, 15.0)

    def test_last_signature_refused_on_exclusivity_conflict(self):
        self.other_agreement.action_reset_draft()
        self.other_agreement.unlink()
        rival = self._agreement(dealer_id=self.dealer_d.id, date_start="2025-06-01", date_end="2026-05-31")
        self._sign_all(rival)
        bilateral = self._agreement(exclusive=True, date_start="2025-01-01", date_end="2025-12-31")
        bilateral.action_send()
        bilateral._sign("manufacturer", "Factory", self.signature)
        self.authenticate("jm_dealer_a", "jm_dealer_a")
        result = self._sign(bilateral, name="Boss A")
        self.assertIn("error", result)
        self.assertNotIn(self.dealer_d.name, result["error"])
        self.assertNotIn(rival.name, result["error"])
        bilateral.invalidate_recordset()
        self.assertFalse(bilateral.dealer_signed_on)
        self.assertEqual(bilateral.state, "sent")


@tagged("post_install", "-at_install")
class TestPortalQueries(JointMarketingHttpCommon):
    """The portal pages cost the same number of queries for a few targets or agreements as for many."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_dealer = cls._jm_portal_user("jm_q_dealer_a", cls.dealer_a)

    def _count(self, url):
        self.url_open(url)  # warm the caches (templates, assets, session)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before, response

    def _tree(self, year):
        root = self.env["channel.target"].create({"territory_id": self.territory_hz.id, "year": year,
                                                  "target_amount": 9000.0, "target_qty": 90.0})
        dealers = root._decompose_partners("equal")
        yearly = dealers
        node_a = dealers.filtered(lambda n: n.partner_id == self.dealer_a)
        yearly |= node_a._decompose_partners("equal")
        yearly._decompose_months("equal")

    def _categ_trees(self, count):
        for categ in self.env["product.category"].create([{"name": f"JM Q {i}"} for i in range(count)]):
            root = self.env["channel.target"].create({"territory_id": self.territory_hz.id, "year": 2025,
                                                      "categ_id": categ.id, "target_amount": 90.0})
            node_a = root._decompose_partners("equal").filtered(lambda n: n.partner_id == self.dealer_a)
            (node_a | node_a._decompose_partners("equal"))._decompose_months("equal")

    def test_targets_page(self):
        self.authenticate("jm_q_dealer_a", "jm_q_dealer_a")
        self._tree(2025)
        self._categ_trees(1)
        small, _response = self._count("/my/channel/targets?year=2025")
        self._categ_trees(3)
        large, response = self._count("/my/channel/targets?year=2025")
        self.assertEqual(response.text.count("o_channel_target\""), 20)
        self.assertEqual(small, large)

    def test_agreements_page(self):
        self.authenticate("jm_q_dealer_a", "jm_q_dealer_a")
        self._agreement(distributor_id=self.distributor_a1.id).action_send()
        small, _response = self._count("/my/channel/agreements")
        for distributor in (self.distributor_a2, self.distributor_a3, self.distributor_a1):
            self._agreement(distributor_id=distributor.id, exclusive=False).action_send()
        large, response = self._count("/my/channel/agreements")
        self.assertEqual(response.text.count("o_channel_agreement_row"), 4)
        self.assertEqual(small, large)
