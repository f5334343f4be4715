from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.channel_orders.tests.common import ChannelOrdersCommon


class RebateCommon(ChannelOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        Partner = cls.env["res.partner"]
        cls.tier_gold = cls.env["channel.tier"].create({"name": "Gold", "code": "RB-GOLD"})
        cls.tier_silver = cls.env["channel.tier"].create({"name": "Silver", "code": "RB-SILVER"})
        cls.territory_zj = cls.env["channel.territory"].create({"name": "Zhejiang", "code": "RB-ZJ"})
        cls.territory_hz = cls.env["channel.territory"].create({
            "name": "Hangzhou", "code": "RB-ZJ-HZ", "level": "city", "parent_id": cls.territory_zj.id,
        })
        cls.territory_js = cls.env["channel.territory"].create({"name": "Jiangsu", "code": "RB-JS"})

        def dealer(name, tier, territory):
            return Partner.create({
                "name": name, "is_company": True, "channel_role": "dealer", "channel_state": "active",
                "channel_tier_id": tier.id, "channel_territory_id": territory.id,
            })

        cls.dealer_a = dealer("RB Dealer A (Gold, Hangzhou)", cls.tier_gold, cls.territory_hz)
        cls.dealer_b = dealer("RB Dealer B (Silver, Zhejiang)", cls.tier_silver, cls.territory_zj)
        cls.dealer_c = dealer("RB Dealer C (Gold, Jiangsu)", cls.tier_gold, cls.territory_js)
        cls.dealer_a_contact = Partner.create({"name": "RB Boss A", "parent_id": cls.dealer_a.id,
                                               "email": "boss.a@example.com"})
        cls.dealer_b_contact = Partner.create({"name": "RB Boss B", "parent_id": cls.dealer_b.id,
                                               "email": "boss.b@example.com"})

        Category = cls.env["product.category"]
        cls.categ_food = Category.create({"name": "RB Food"})
        cls.categ_drink = Category.create({"name": "RB Drinks", "parent_id": cls.categ_food.id})
        cls.categ_other = Category.create({"name": "RB Other"})
        Product = cls.env["product.product"]
        cls.product_drink = Product.create({
            "name": "RB Green Tea", "categ_id": cls.categ_drink.id, "list_price": 100.0, "type": "consu",
            "taxes_id": [Command.clear()],
        })
        cls.product_other = Product.create({
            "name": "RB Napkins", "categ_id": cls.categ_other.id, "list_price": 10.0, "type": "consu",
            "taxes_id": [Command.clear()],
        })
        cls.rebate_account = cls.env["account.account"].create({
            "name": "Rebates granted", "code": "RB4190", "account_type": "income",
        })
        cls.day = date(2025, 2, 10)  # in Q1 2025
        cls.q1_start, cls.q1_end = date(2025, 1, 1), date(2025, 3, 31)

    @classmethod
    def _policy(cls, **vals):
        values = {
            "name": "Quarterly thresholds",
            "date_start": date(2025, 1, 1),
            "date_end": date(2025, 12, 31),
            "period": "quarter",
            "computation": "threshold",
            "threshold_mode": "retroactive",
            "account_id": cls.rebate_account.id,
            "threshold_ids": [
                Command.create({"min_base": 0, "rate": 0}),
                Command.create({"min_base": 100000, "rate": 2}),
                Command.create({"min_base": 300000, "rate": 3.5}),
                Command.create({"min_base": 500000, "rate": 5}),
            ],
        }
        values.update(vals)
        policy = cls.env["rebate.policy"].create(values)
        policy.action_activate()
        return policy

    @classmethod
    def _invoice(cls, partner, amount, invoice_date=None, product=None, move_type="out_invoice", qty=1.0, post=True):
        move = cls.env["account.move"].create({
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date or cls.day,
            "invoice_line_ids": [Command.create({
                "product_id": (product or cls.product_drink).id,
                "quantity": qty,
                "price_unit": amount / qty,
                "tax_ids": [Command.clear()],
            })],
        })
        if post:
            move.action_post()
        return move

    @classmethod
    def _refund(cls, partner, amount, **kwargs):
        return cls._invoice(partner, amount, move_type="out_refund", **kwargs)

    @classmethod
    def _portal_user(cls, contact, login):
        return new_test_user(cls.env, login=login, groups="base.group_portal", partner_id=contact.id,
                             password=login + "pwd")
