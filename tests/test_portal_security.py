"""A dealer's portal session is an API: tampering attempts over HTTP and JSON-RPC, each refused with
nothing saved.

Every attempt logs in as a portal user of a dealer (or of a sub-distributor, a suspended dealer, a
warehouse clerk), sends what a forging client would send (``/web/dataset/call_kw`` or a portal route)
and checks both the refusal and that the database holds exactly what it held before.
"""

import json

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
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
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
