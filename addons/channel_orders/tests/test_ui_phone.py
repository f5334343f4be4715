from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import ChannelOrdersCommon


class ChannelOrdersScreenCase(ChannelOrdersCommon, HttpCase):
    """A dealer like the demo ones (Chinese names, long product names, a case packaging) orders from
    its phone or its desktop: the tour fails as soon as a page scrolls sideways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"channel_sales_approval": True, "channel_finance_approval": False})
        cls.dealer.name = "杭州西湖商贸有限公司（测试）"
        cls.dealer_contact.name = "王经理"
        cls.product_a.name = "冰红茶 500ml 柠檬味 PET瓶装 整箱批发专用规格（测试长名称）"
        cls.product_b.name = "茉莉花茶 500ml"
        cls.packaging_a.name = "整箱（6瓶）"
        # More products of the tier's assortment, so that the page is as long as a real one.
        cls.env["product.product"].create(
            [
                {
                    "name": f"红烧牛肉面 五连包 {index}",
                    "default_code": f"CO-N{index}",
                    "type": "consu",
                    "list_price": 12.5 + index,
                    "taxes_id": [Command.clear()],
                    "categ_id": cls.category.id,
                }
                for index in range(1, 7)
            ]
        )

    def _run_order_tour(self):
        self.start_tour("/my/channel", "channel_orders_phone_order", login="co_dealer")
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.dealer.id), ("channel_state", "!=", False), ("channel_cart", "=", False)]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.channel_state, "to_sales")
        quantities = {line.product_id: line.product_uom_qty for line in order.order_line}
        self.assertEqual(quantities, {self.product_a: 6.0, self.product_b: 4.0})
        self.assertEqual(order.amount_untaxed, 6 * 10.0 + 4 * 20.0)


@tagged("post_install", "-at_install")
class TestOrderOnPhone(ChannelOrdersScreenCase):
    browser_size = "390x844"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        # Headless Chromium keeps its window at least 500 px wide whatever --window-size says: the
        # page is laid out at 390 px (and as a phone: viewport meta, touch) through the DevTools
        # device metrics, set before each navigation of the tour's browser.
        navigate_to = ChromeBrowser.navigate_to

        def navigate_as_phone(browser, url, wait_stop=False):
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
            )
            return navigate_to(browser, url, wait_stop=wait_stop)

        self.patch(ChromeBrowser, "navigate_to", navigate_as_phone)

    def test_phone_order_without_sideways_scroll(self):
        self._run_order_tour()


@tagged("post_install", "-at_install")
class TestOrderOnDesktop(ChannelOrdersScreenCase):
    browser_size = "1280x800"

    def test_desktop_order_without_sideways_scroll(self):
        self._run_order_tour()
