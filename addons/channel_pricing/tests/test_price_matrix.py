import base64
import io
import zipfile

from odoo.tests import HttpCase, tagged

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


@tagged("post_install", "-at_install")
class TestPriceMatrixDownload(HttpCase):
    def test_xlsx_download_route(self):
        product = self.env["product.product"].create({"name": "Matrix Download Tea", "list_price": 12.0})
        tier = self.env["channel.tier"].create({"name": "Download tier", "code": "TP-DL"})
        self.env.ref("base.user_admin").write({
            "groups_id": [(4, self.env.ref("channel_base.group_channel_manager").id)],
        })
        self.authenticate("admin", "admin")
        wizard = self.env["channel.price.matrix"].with_user(self.env.ref("base.user_admin")).create({
            "tier_ids": [(6, 0, tier.ids)],
            "product_ids": [(6, 0, product.ids)],
        })
        action = wizard.action_export_xlsx()
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
