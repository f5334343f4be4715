import base64
import io
import zipfile

from odoo.tests import tagged

from .common import ChannelPricingCommon


@tagged("post_install", "-at_install")
class TestPriceMatrix(ChannelPricingCommon):
    def _matrix(self):
        return self.env["channel.price.matrix"].create({
            "tier_ids": [(6, 0, (self.tier_gold | self.tier_silver).ids)],
            "product_ids": [(6, 0, (self.product_tea | self.product_water).ids)],
        })

    def test_matrix_values(self):
        wizard = self._matrix()
        matrix = wizard._get_matrix(self.product_tea | self.product_water, self.tier_gold | self.tier_silver)
        self.assertAlmostEqual(matrix[self.tier_gold.id][self.product_tea.id], 80.0)
        self.assertAlmostEqual(matrix[self.tier_silver.id][self.product_tea.id], 90.0)
        self.assertAlmostEqual(matrix[self.tier_silver.id][self.product_water.id], 9.0)
        self.assertEqual(wizard.product_count, 2)
        self.assertIn("Green Tea", wizard.preview_html)

    def test_matrix_date(self):
        self.pricelist_gold.item_ids.write({"date_start": "2030-01-01 00:00:00"})
        wizard = self._matrix()
        matrix = wizard._get_matrix(self.product_tea, self.tier_gold)
        self.assertAlmostEqual(matrix[self.tier_gold.id][self.product_tea.id], 100.0)
        wizard.date = "2030-06-01"
        matrix = wizard._get_matrix(self.product_tea, self.tier_gold)
        self.assertAlmostEqual(matrix[self.tier_gold.id][self.product_tea.id], 80.0)

    def test_xlsx_export(self):
        wizard = self._matrix()
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        content = base64.b64decode(wizard.xlsx_file)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn("Green Tea", strings)
        self.assertIn("Gold", strings)
        self.assertTrue(wizard.xlsx_filename.endswith(".xlsx"))
