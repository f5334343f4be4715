from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutAccess(SelloutCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        cls.user_dealer = cls._portal_user("so_acc_dealer", cls.dealer)
        cls.user_other = cls._portal_user("so_acc_other", cls.dealer_other)
        cls.user_buyer = cls._portal_user("so_acc_buyer", cls.buyer)
        cls.user_buyer_2 = cls._portal_user("so_acc_buyer2", cls.buyer_2)
        cls.order_1 = cls._order(buyer=cls.buyer, state="submitted")
        cls.order_2 = cls._order(buyer=cls.buyer_2, state="submitted")
        cls.order_other = cls._order(seller=cls.dealer_other, buyer=cls.buyer_other, state="submitted")

    def _visible(self, user):
        return self.env["channel.sellout.order"].with_user(user).search([])

    def test_dealer_sees_own_sellout_only(self):
        self.assertEqual(self._visible(self.user_dealer), self.order_1 | self.order_2)
        self.assertEqual(self._visible(self.user_other), self.order_other)
        lines = self.env["channel.sellout.line"].with_user(self.user_dealer).search([])
        self.assertEqual(lines, (self.order_1 | self.order_2).line_ids)

    def test_buyer_sees_own_orders_only(self):
        self.assertEqual(self._visible(self.user_buyer), self.order_1)
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.user_buyer).read(["amount_total"])

    def test_nobody_sets_price_or_partner(self):
        Order = self.env["channel.sellout.order"]
        for user in (self.user_dealer, self.user_buyer):
            with self.assertRaises(AccessError):
                Order.with_user(user).create({"seller_id": self.dealer.id, "buyer_id": self.buyer.id})
            with self.assertRaises(AccessError):
                self.order_1.with_user(user).write({"buyer_id": self.buyer_2.id})
            with self.assertRaises(AccessError):
                self.order_1.line_ids.with_user(user).write({"price_unit": 1.0})
        self.assertEqual(self.order_1.buyer_id, self.buyer)
        self.assertEqual(self.order_1.line_ids.price_unit, 120.0)

    def test_party_actions(self):
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.user_buyer).action_accept()
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.user_other).action_accept()
        self.assertEqual(self.order_1.state, "submitted")
        self.order_1.with_user(self.user_dealer).action_accept()
        self.order_1.with_user(self.user_dealer).action_deliver()
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.user_dealer).action_receive()
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.user_buyer_2).action_receive()
        self.assertEqual(self.order_1.state, "delivered")
        self.order_1.with_user(self.user_buyer).action_receive()
        self.assertEqual(self.order_1.state, "received")

    def test_staff_reads_everything(self):
        staff = self.env["res.users"].create({
            "name": "SO Staff", "login": "so_staff",
            "groups_id": [(6, 0, [self.env.ref("channel_base.group_channel_user").id])],
        })
        orders = self.env["channel.sellout.order"].with_user(staff).search(
            [("id", "in", (self.order_1 | self.order_other).ids)])
        self.assertEqual(len(orders), 2)
        self.order_1.with_user(staff).action_accept()
        self.assertEqual(self.order_1.state, "accepted")
