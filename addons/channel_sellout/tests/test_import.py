import base64
import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import SelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutImport(SelloutCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sellout()
        cls.Order = cls.env["channel.sellout.order"]

    def _csv(self, rows):
        lines = ["date,buyer,product,qty,price"] + [",".join(str(cell) for cell in row) for row in rows]
        return "\n".join(lines).encode()

    def _count(self):
        return self.Order.search_count([("seller_id", "=", self.dealer.id)])

    def test_bad_rows_nothing_created(self):
        day = str(self.today)
        content = self._csv([
            (day, "B-1", "SO-TEA", 5, 120),
            (day, "UNKNOWN", "SO-TEA", 5, 120),
            (day, "B-1", "NO-CODE", 5, 120),
            (day, "B-1", "SO-TEA", -3, 120),
            ("yesterday", "B-1", "SO-TEA", 1, "abc"),
            (day, "SO Other Buyer", "SO-TEA", 1, 120),
        ])
        lines, errors, orders = self.Order._sellout_import_file(self.dealer, content, "sales.csv")
        self.assertEqual(len(lines), 1)
        self.assertEqual([row for row, _msg in errors], [3, 4, 5, 6, 7])
        self.assertIn("not one of your buyers", errors[0][1])
        self.assertFalse(orders)
        self.assertEqual(self._count(), 0)
        wizard = self.env["channel.sellout.import"].create({
            "seller_id": self.dealer.id, "file": base64.b64encode(content), "filename": "sales.csv"})
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self._count(), 0)

    def test_import_csv_creates_delivered_orders(self):
        day = str(self.today)
        content = self._csv([
            (day, "B-1", "SO-TEA", 5, 120),
            (day, "b-1", "SO-WINE", 2, 40),
            (day, "SO Buyer Out", "SO-TEA", 3, 90),
        ])
        wizard = self.env["channel.sellout.import"].create({
            "seller_id": self.dealer.id, "file": base64.b64encode(content), "filename": "sales.csv"})
        wizard.action_preview()
        self.assertEqual(self._count(), 0, "a preview creates nothing")
        self.assertIn("SO Tea", wizard.preview)
        wizard.action_import()
        orders = self.Order.search([("seller_id", "=", self.dealer.id)])
        self.assertEqual(len(orders), 2)
        self.assertEqual(set(orders.mapped("state")), {"delivered"})
        self.assertEqual(set(orders.mapped("source")), {"import"})
        first = orders.filtered(lambda o: o.buyer_id == self.buyer)
        self.assertAlmostEqual(first.amount_total, 5 * 120 + 2 * 40)
        violations = self.env["channel.violation"].search([("partner_id", "=", self.dealer.id)])
        self.assertEqual(set(violations.mapped("violation_type")), {"cross_territory", "price"})

    def test_import_xlsx(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["date", "buyer", "product", "qty", "price"])
        sheet.append([self.today, "B-2", "SO-TEA", 4, 120.0])
        buffer = io.BytesIO()
        book.save(buffer)
        _lines, errors, orders = self.Order._sellout_import_file(self.dealer, buffer.getvalue(), "sales.xlsx")
        self.assertFalse(errors)
        self.assertEqual(orders.buyer_id, self.buyer_2)
        self.assertAlmostEqual(orders.amount_total, 480.0)

    def test_wrong_file_type(self):
        with self.assertRaises(UserError):
            self.Order._sellout_import_file(self.dealer, b"x", "sales.pdf")

    def test_import_refused_to_portal(self):
        user = self._portal_user("so_import_portal", self.dealer)
        with self.assertRaises(AccessError):
            self.Order.with_user(user)._sellout_import_file(self.dealer_other, self._csv([]), "sales.csv")
