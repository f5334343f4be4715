import base64
import io
from datetime import date

from PIL import Image

from odoo.tests import HttpCase, new_test_user

from odoo.addons.rebate_policy.tests.common import RebateCommon


def signature_image():
    """A small PNG drawing, base64-encoded, as the portal signature widget sends it."""
    image = Image.new("RGB", (60, 20), "white")
    image.putpixel((10, 10), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


class JointMarketingCommon(RebateCommon):
    """Zhejiang > Hangzhou > Xihu, Jiangsu apart; dealers A and D in Hangzhou (A with three
    distributors), B in Zhejiang, C in Jiangsu with one distributor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.territory_xh = cls.env["channel.territory"].create({
            "name": "Xihu", "code": "JM-ZJ-HZ-XH", "level": "district", "parent_id": cls.territory_hz.id,
        })
        cls.dealer_d = Partner.create({
            "name": "JM Dealer D (Hangzhou)", "is_company": True, "channel_role": "dealer",
            "channel_state": "active", "channel_tier_id": cls.tier_silver.id,
            "channel_territory_id": cls.territory_hz.id,
        })

        def distributor(name, dealer, territory):
            return Partner.create({
                "name": name, "is_company": True, "channel_role": "distributor", "channel_state": "active",
                "channel_parent_id": dealer.id, "channel_territory_id": territory.id,
            })

        cls.distributor_a1 = distributor("JM Distributor A1", cls.dealer_a, cls.territory_hz)
        cls.distributor_a2 = distributor("JM Distributor A2", cls.dealer_a, cls.territory_xh)
        cls.distributor_a3 = distributor("JM Distributor A3", cls.dealer_a, cls.territory_hz)
        cls.distributor_c1 = distributor("JM Distributor C1", cls.dealer_c, cls.territory_js)
        cls.signature = signature_image()
        cls.year_start, cls.year_end = date(2025, 1, 1), date(2025, 12, 31)

    @classmethod
    def _agreement(cls, **vals):
        values = {
            "dealer_id": cls.dealer_a.id,
            "territory_id": cls.territory_hz.id,
            "date_start": cls.year_start,
            "date_end": cls.year_end,
            "exclusive": True,
        }
        values.update(vals)
        return cls.env["channel.agreement"].create(values)

    @classmethod
    def _jm_portal_user(cls, login, company):
        """A portal user (login = password) whose contact belongs to ``company``."""
        contact = cls.env["res.partner"].create({"name": login, "parent_id": company.id,
                                                 "email": f"{login}@example.com"})
        return new_test_user(cls.env, login=login, password=login, groups="base.group_portal",
                             partner_id=contact.id)

    @classmethod
    def _sign_all(cls, agreement):
        """Sends the agreement and signs it for every party, as the portal and the wizard do."""
        if agreement.state == "draft":
            agreement.action_send()
        for party in agreement._get_signing_parties():
            if not agreement[f"{party}_signed_on"]:
                agreement._sign(party, f"{party} signer", cls.signature)
        return agreement


class JointMarketingHttpCommon(HttpCase, JointMarketingCommon):
    pass
