"""A dealer's portal session is an API: tampering attempts over HTTP and JSON-RPC, each refused with
nothing saved.

Every attempt logs in as a portal user of a dealer (or of a sub-distributor, a suspended dealer, a
warehouse clerk), sends what a forging client would send (``/web/dataset/call_kw`` or a portal route)
and checks both the refusal and that the database holds exactly what it held before.
"""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


class PortalSecurityCase(HttpCase):
    """Two dealers of one territory, each with a portal user, independent of demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.tier = cls.env["channel.tier"].create({"name": "Security Gold", "code": "SEC-GOLD"})
        cls.territory = cls.env["channel.territory"].create({"name": "Security Land", "code": "SEC-T"})
        common = {
            "is_company": True, "channel_role": "dealer", "channel_state": "active",
            "channel_tier_id": cls.tier.id, "channel_territory_id": cls.territory.id,
        }
        cls.dealer_a = Partner.create(dict(common, name="Security Dealer A"))
        cls.dealer_b = Partner.create(dict(common, name="Security Dealer B"))
        cls.user_a = cls._channel_portal_user("sec_dealer_a", cls.dealer_a)
        cls.user_b = cls._channel_portal_user("sec_dealer_b", cls.dealer_b)

    @classmethod
    def _channel_portal_user(cls, login, company, **contact_vals):
        """A portal user (login = password) whose contact belongs to ``company``."""
        contact = cls.env["res.partner"].create(
            dict({"name": login, "parent_id": company.id, "email": f"{login}@example.com"}, **contact_vals)
        )
        return new_test_user(cls.env, login=login, password=login, groups="base.group_portal",
                             partner_id=contact.id)

    def _call_kw(self, model, method, args, kwargs=None):
        """Call a model method over JSON-RPC as the authenticated user; returns the JSON-RPC answer
        (``{"result": …}`` or ``{"error": …}``) without raising."""
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with mute_logger("odoo.http"):
            response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", json=payload)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRpcRefused(self, answer, msg=None):
        self.assertIn("error", answer, msg or f"JSON-RPC call accepted: {answer.get('result')!r}")

    def _count(self, model, domain=None):
        """Rows of ``model`` in the database (flushed, as superuser)."""
        self.env.flush_all()
        return self.env[model].sudo().with_context(active_test=False).search_count(domain or [])


@tagged("post_install", "-at_install")
class TestPortalSecurityBase(PortalSecurityCase):
    def test_portal_cannot_write_own_channel_fields(self):
        """A dealer cannot promote itself: its company's channel fields are not writable over RPC."""
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        gold_b = self.env["channel.tier"].create({"name": "Security Platinum", "code": "SEC-PLAT"})
        answer = self._call_kw("res.partner", "write", [[self.dealer_a.id], {"channel_tier_id": gold_b.id}])
        self.assertRpcRefused(answer)
        self.dealer_a.invalidate_recordset()
        self.assertEqual(self.dealer_a.channel_tier_id, self.tier)


@tagged("post_install", "-at_install")
class TestPortalSecurityJointMarketing(PortalSecurityCase):
    """Agreements are signed by each party for itself only; agreements and targets are read-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A 4 x 2 white PNG, as the portal signature widget sends it (base64).
        cls.signature = (
            "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEklEQVR4nGP8//8/"
            "AwwwMSABAEgGAwG0Rz8LAAAAAElFTkSuQmCC"
        )
        cls.distributor = cls.env["res.partner"].create({
            "name": "Security Distributor A1", "is_company": True, "channel_role": "distributor",
            "channel_state": "active", "channel_parent_id": cls.dealer_a.id,
            "channel_territory_id": cls.territory.id,
        })
        cls.user_distributor = cls._channel_portal_user("sec_distributor_a1", cls.distributor)
        cls.agreement = cls.env["channel.agreement"].create({
            "dealer_id": cls.dealer_a.id, "distributor_id": cls.distributor.id,
            "territory_id": cls.territory.id, "date_start": "2026-01-01", "date_end": "2026-12-31",
        })
        cls.agreement.action_send()
        cls.target = cls.env["channel.target"].create({
            "territory_id": cls.territory.id, "year": 2026, "target_amount": 1000.0, "target_qty": 10.0,
        })
        cls.dealer_target = cls.target._decompose_partners("equal").filtered(lambda n: n.partner_id == cls.dealer_a)

    def _call_kw(self, model, method, args, kwargs=None):
        """JSON-RPC answer ({"result": ...} or {"error": ...}) of a model call as the logged-in user."""
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with mute_logger("odoo.http"):
            response = self.opener.post(f"{self.base_url()}/web/dataset/call_kw/{model}/{method}", json=payload,
                                        timeout=30)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _sign(self, agreement, **params):
        params = dict({"name": "Forger", "signature": self.signature}, **params)
        with mute_logger("odoo.http"):
            return self.make_jsonrpc_request(f"/my/channel/agreements/{agreement.id}/sign", params)

    def _signatures(self):
        self.agreement.invalidate_recordset()
        return [bool(self.agreement[f"{party}_signed_on"]) for party in ("manufacturer", "dealer", "distributor")]

    def test_other_dealer_cannot_sign(self):
        """Dealer B signs dealer A's agreement over the JSON route: refused, nothing saved."""
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        self.assertIn("error", self._sign(self.agreement))
        self.assertEqual(self._signatures(), [False, False, False])

    def test_distributor_cannot_sign_as_dealer_or_manufacturer(self):
        """Whatever the request says, a distributor's signature lands in the distributor's fields only."""
        self.authenticate("sec_distributor_a1", "sec_distributor_a1")
        self._sign(self.agreement, party="dealer", manufacturer_signature=self.signature, state="signed")
        self.assertEqual(self._signatures(), [False, False, True])
        self.assertEqual(self.agreement.state, "sent")

    def test_rpc_write_and_create_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.agreement")
        self.assertRpcRefused(self._call_kw("channel.agreement", "write", [
            self.agreement.ids, {"state": "signed", "dealer_signed_by": "Forger"},
        ]))
        self.assertRpcRefused(self._call_kw("channel.agreement", "create", [{
            "dealer_id": self.dealer_a.id, "territory_id": self.territory.id,
            "date_start": "2027-01-01", "date_end": "2027-12-31", "state": "active",
        }]))
        self.assertEqual(self._count("channel.agreement"), count)
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.state, "sent")
        self.assertFalse(self.agreement.dealer_signed_by)

    def test_rpc_private_sign_and_state_actions_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        self.assertRpcRefused(self._call_kw("channel.agreement", "_sign", [
            self.agreement.ids, "manufacturer", "Forger", self.signature,
        ]))
        self.assertRpcRefused(self._call_kw("channel.agreement", "action_terminate", [self.agreement.ids]))
        self.assertRpcRefused(self._call_kw("channel.agreement", "_cron_update_states", []))
        self.assertEqual(self._signatures(), [False, False, False])

    def test_rpc_target_changes_refused(self):
        self.authenticate("sec_dealer_a", "sec_dealer_a")
        count = self._count("channel.target")
        self.assertRpcRefused(self._call_kw("channel.target", "write", [
            self.dealer_target.ids, {"target_qty": 1.0, "achieved_qty": 999.0},
        ]))
        self.assertRpcRefused(self._call_kw("channel.target", "_decompose_months", [self.dealer_target.ids, "equal"]))
        self.assertRpcRefused(self._call_kw("channel.target", "action_refresh_progress", [self.dealer_target.ids]))
        self.assertEqual(self._count("channel.target"), count)
        self.dealer_target.invalidate_recordset()
        self.assertEqual(self.dealer_target.target_qty, 5.0)

    def test_other_dealer_reads_nothing(self):
        self.authenticate("sec_dealer_b", "sec_dealer_b")
        answer = self._call_kw("channel.agreement", "read", [self.agreement.ids, ["name"]])
        self.assertRpcRefused(answer)
        answer = self._call_kw("channel.target", "search_read", [[], ["partner_id"]])
        self.assertEqual([row["id"] for row in answer["result"]], [
            node.id for node in self.target.child_ids if node.partner_id == self.dealer_b
        ])
