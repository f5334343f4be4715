from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ChannelOrdersCommon, DealerInvoiceMixin


@tagged("post_install", "-at_install")
class TestStatement(DealerInvoiceMixin, ChannelOrdersCommon):
    """Worked example.

    10 Jan invoice 1,000 (before the period) · 5 Feb invoice 500 · 10 Feb credit note 200 ·
    20 Feb payment 700 · 5 Mar invoice 50 (after the period) · a draft invoice (ignored).
    Statement 1–28 Feb: opening 1,000; 1,500; 1,300; 600; closing 600.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_jan = cls._invoice("out_invoice", "2026-01-10", 1000.0)
        cls.inv_feb = cls._invoice("out_invoice", "2026-02-05", 500.0)
        cls.refund = cls._invoice("out_refund", "2026-02-10", 200.0)
        cls.inv_mar = cls._invoice("out_invoice", "2026-03-05", 50.0)
        cls._invoice("out_invoice", "2026-02-15", 999.0, post=False)
        bank = cls.env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
        receivable = cls.dealer.property_account_receivable_id
        cls.payment = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": "2026-02-20",
                "ref": "Bank transfer",
                "line_ids": [
                    Command.create({"account_id": bank.default_account_id.id, "debit": 700.0, "credit": 0.0}),
                    Command.create(
                        {"account_id": receivable.id, "partner_id": cls.dealer.id, "debit": 0.0, "credit": 700.0}
                    ),
                ],
            }
        )
        cls.payment.action_post()
        # Another dealer's invoice never shows.
        cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.other_dealer.id,
                "invoice_date": "2026-02-06",
                "invoice_line_ids": [
                    Command.create({"name": "x", "quantity": 1, "price_unit": 77.0, "tax_ids": [Command.clear()]})
                ],
            }
        ).action_post()

    def test_worked_example(self):
        statement = self.dealer._channel_statement(date(2026, 2, 1), date(2026, 2, 28))
        self.assertEqual(statement["opening_balance"], 1000.0)
        self.assertEqual(
            [
                (line["date"], line["move_id"], line["debit"], line["credit"], line["balance"])
                for line in statement["lines"]
            ],
            [
                (date(2026, 2, 5), self.inv_feb.id, 500.0, 0.0, 1500.0),
                (date(2026, 2, 10), self.refund.id, 0.0, 200.0, 1300.0),
                (date(2026, 2, 20), self.payment.id, 0.0, 700.0, 600.0),
            ],
        )
        self.assertEqual(
            [line["name"] for line in statement["lines"]], [self.inv_feb.name, self.refund.name, self.payment.name]
        )
        self.assertEqual(statement["closing_balance"], 600.0)
        self.assertEqual(statement["total_debit"], 500.0)
        self.assertEqual(statement["total_credit"], 900.0)

    def test_statement_of_contact_is_the_company(self):
        statement = self.dealer_contact._channel_statement("2026-01-01", "2026-03-31")
        self.assertEqual(statement["opening_balance"], 0.0)
        self.assertEqual(len(statement["lines"]), 5)
        self.assertEqual(statement["closing_balance"], 650.0)

    def test_wrong_period(self):
        with self.assertRaises(UserError):
            self.dealer._channel_statement("2026-03-01", "2026-02-01")

    def test_xlsx_and_pdf(self):
        content = self.dealer._channel_statement_xlsx(date(2026, 2, 1), date(2026, 2, 28))
        self.assertTrue(content.startswith(b"PK"))
        wizard = self.env["channel.statement.wizard"].create(
            {
                "partner_id": self.dealer.id,
                "date_from": "2026-02-01",
                "date_to": "2026-02-28",
            }
        )
        self.assertEqual(wizard.opening_balance, 1000.0)
        self.assertEqual(wizard.closing_balance, 600.0)
        self.assertEqual(wizard.line_count, 3)
        action = wizard.action_print_pdf()
        # The report itself, or first the document layout set-up of a fresh company.
        self.assertIn(action["type"], ("ir.actions.report", "ir.actions.act_window"))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "channel_orders.action_report_channel_statement", self.dealer.ids, data=wizard._report_data()
        )[0]
        self.assertIn(self.inv_feb.name.encode(), html)
        self.assertIn(b"o_channel_closing", html)
        self.assertIn(f"/channel_orders/statement/{self.dealer.id}.xlsx", wizard.action_download_xlsx()["url"])
        self.assertEqual(self.dealer.action_channel_statement()["context"]["default_partner_id"], self.dealer.id)

    def test_wizard_period_capped_like_the_portal(self):
        """The backend wizard, its report and its download keep the portal's rule: 24 months at most."""
        Wizard = self.env["channel.statement.wizard"]
        with self.assertRaisesRegex(ValidationError, "at most 24 months: choose a start on or after 2024-02-28"):
            Wizard.create({"partner_id": self.dealer.id, "date_from": "2024-02-27", "date_to": "2026-02-28"})
        wizard = Wizard.create({"partner_id": self.dealer.id, "date_from": "2024-02-28", "date_to": "2026-02-28"})
        self.assertEqual((wizard.opening_balance, wizard.closing_balance, wizard.line_count), (0.0, 600.0, 4))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            wizard.date_from = "2020-01-01"
        # In the form, too long a period computes nothing before it is refused on saving.
        wizard = Wizard.new({"partner_id": self.dealer.id, "date_from": "2020-01-01", "date_to": "2026-02-28"})
        self.assertEqual((wizard.closing_balance, wizard.line_count), (0.0, 0))
        with self.assertRaisesRegex(UserError, "at most 24 months"):
            self.env["ir.actions.report"]._render_qweb_html(
                "channel_orders.action_report_channel_statement",
                self.dealer.ids,
                data={"date_from": "2020-01-01", "date_to": "2026-02-28"},
            )
        # The same sentence in Chinese for a user who reads Chinese.
        self.env["res.lang"]._activate_lang("zh_CN")
        with self.assertRaisesRegex(ValidationError, "对账单最多覆盖 24 个月"):
            Wizard.with_context(lang="zh_CN").create(
                {"partner_id": self.dealer.id, "date_from": "2020-01-01", "date_to": "2026-02-28"}
            )
