from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ChannelBaseCommon


@tagged("post_install", "-at_install")
class TestNetwork(ChannelBaseCommon):
    def test_distributor_parent_must_be_dealer(self):
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({
                "name": "Bad distributor",
                "is_company": True,
                "channel_role": "distributor",
                "channel_parent_id": self.distributor.id,
            })
