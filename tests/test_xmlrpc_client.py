"""The suite driven as an external XML-RPC client would: authenticate, create, read, fail cleanly."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestXmlRpcClient(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="rpc_channel_manager", password="rpc_channel_manager",
            groups="base.group_user,channel_base.group_channel_manager",
        )
        Partner = cls.env["res.partner"]
        cls.dealer_a = Partner.create({"name": "RPC Dealer A", "is_company": True, "channel_role": "dealer"})
        cls.dealer_b = Partner.create({"name": "RPC Dealer B", "is_company": True, "channel_role": "dealer"})
        cls.contact_a = Partner.create({"name": "RPC Owner A", "parent_id": cls.dealer_a.id})
        cls.portal_a = new_test_user(
            cls.env, login="rpc_portal_a", password="rpc_portal_a", groups="base.group_portal",
            partner_id=cls.contact_a.id,
        )

    def _rpc(self, login):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {})
        self.assertTrue(uid, f"{login} could not authenticate over XML-RPC")

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, login, model, method, list(args), kwargs)

        return call

    def test_manager_builds_network_over_rpc(self):
        call = self._rpc("rpc_channel_manager")
        tier_id = call("channel.tier", "create", {"name": "RPC Gold", "code": "RPC-GOLD"})
        territory_id = call("channel.territory", "create", {
            "name": "RPC Province", "code": "RPC-P", "country_id": self.env.ref("base.cn").id,
            "city_names": "Rpcville",
        })
        dealer_id = call("res.partner", "create", {
            "name": "RPC Dealer C", "is_company": True, "channel_role": "dealer", "city": "Rpcville",
            "country_id": self.env.ref("base.cn").id, "channel_tier_id": tier_id,
        })
        call("res.partner", "action_channel_assign_territory", [dealer_id])
        [dealer] = call("res.partner", "read", [dealer_id], fields=["channel_territory_id", "channel_tier_id"])
        self.assertEqual(dealer["channel_territory_id"][0], territory_id)
        self.assertEqual(dealer["channel_tier_id"][0], tier_id)
        self.assertEqual(call("channel.territory", "find_for_partner", dealer_id), territory_id)
        [tier] = call("channel.tier", "read", [tier_id], fields=["dealer_count"])
        self.assertEqual(tier["dealer_count"], 1)

    def test_rpc_rejects_bad_network(self):
        call = self._rpc("rpc_channel_manager")
        distributor_id = call("res.partner", "create", {
            "name": "RPC Distributor", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": self.dealer_a.id,
        })
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call("res.partner", "create", {
                "name": "RPC Bad", "is_company": True, "channel_role": "distributor",
                "channel_parent_id": distributor_id,
            })
        self.assertIn("must be a Dealer", caught.exception.faultString)
        self.assertFalse(call("res.partner", "search", [("name", "=", "RPC Bad")]))

    def test_portal_user_reads_only_its_own_dealer(self):
        call = self._rpc("rpc_portal_a")
        [own] = call("res.partner", "read", [self.dealer_a.id], fields=["name", "channel_role"])
        self.assertEqual(own["channel_role"], "dealer")
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call("res.partner", "read", [self.dealer_b.id], fields=["name"])
        self.assertIn("doesn't have 'read' access", caught.exception.faultString)
        self.assertFalse(call("res.partner", "search", [("id", "=", self.dealer_b.id)]))
