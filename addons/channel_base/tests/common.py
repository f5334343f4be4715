from odoo.tests import TransactionCase, new_test_user


class ChannelBaseCommon(TransactionCase):
    """A small channel network built once per test class, independent of demo data.

    Zhejiang (T-ZJ, China, state Zhejiang) > Hangzhou (T-ZJ-HZ, city Hangzhou);
    dealer (Gold, Hangzhou, active) > distributor > retailer; a second dealer (Silver) with its own
    distributor and retailer.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Partner = cls.env["res.partner"]
        cls.country_cn = cls.env.ref("base.cn")
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.tier_gold = cls.env["channel.tier"].create({"name": "Gold", "code": "T-GOLD"})
        cls.tier_silver = cls.env["channel.tier"].create({"name": "Silver", "code": "T-SILVER"})
        cls.territory_zj = cls.env["channel.territory"].create({
            "name": "Zhejiang", "code": "T-ZJ", "country_id": cls.country_cn.id,
            "state_ids": [(6, 0, cls.state_zj.ids)],
            "city_names": "Hangzhou, Ningbo",
        })
        cls.territory_hz = cls.env["channel.territory"].create({
            "name": "Hangzhou", "code": "T-ZJ-HZ", "level": "city", "parent_id": cls.territory_zj.id,
            "city_names": "Hangzhou",
        })
        cls.dealer = Partner.create({
            "name": "Dealer A", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": cls.tier_gold.id, "channel_territory_id": cls.territory_hz.id,
            "channel_state": "active", "city": "Hangzhou",
        })
        cls.distributor = Partner.create({
            "name": "Distributor A1", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer.id, "channel_state": "active",
        })
        cls.retailer = Partner.create({
            "name": "Retailer A1-1", "is_company": True, "channel_role": "retailer",
            "channel_parent_id": cls.distributor.id, "channel_state": "active",
        })
        cls.dealer_b = Partner.create({
            "name": "Dealer B", "is_company": True, "channel_role": "dealer",
            "channel_tier_id": cls.tier_silver.id, "channel_state": "active", "city": "Nanjing",
        })
        cls.distributor_b = Partner.create({
            "name": "Distributor B1", "is_company": True, "channel_role": "distributor",
            "channel_parent_id": cls.dealer_b.id, "channel_state": "active",
        })
        cls.retailer_b = Partner.create({
            "name": "Retailer B1-1", "is_company": True, "channel_role": "retailer",
            "channel_parent_id": cls.distributor_b.id, "channel_state": "active",
        })

    @classmethod
    def _new_portal_user(cls, login, partner, groups="base.group_portal", **values):
        """A portal user (password = login) for an existing contact, keeping its name and email."""
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=groups,
            partner_id=partner.id,
            name=partner.name,
            email=partner.email or False,
            **values,
        )


class ChannelCockpitMixin:
    """Reading the cockpit cards of /my/channel (``res.partner._channel_cockpit_cards``) in tests, and
    the portal users the cockpit tests read them as."""

    @classmethod
    def _new_cockpit_user(cls, login, company, name, **values):
        """A portal user ``login`` (password = login) for a new contact ``name`` of ``company``
        (``values``: more values of the contact, e.g. its ``channel_job_role``)."""
        contact = cls.env["res.partner"].create(dict(values, name=name, parent_id=company.id))
        return new_test_user(
            cls.env, login=login, password=login, groups="base.group_portal", partner_id=contact.id, name=name,
            email=False,
        )

    @classmethod
    def _new_cockpit_distributor(cls, dealer, name, login):
        """An active sub-distributor ``name`` of ``dealer`` and the portal user ``login`` of its boss:
        ``(distributor, user)``."""
        distributor = cls.env["res.partner"].create({
            "name": name,
            "is_company": True,
            "channel_role": "distributor",
            "channel_parent_id": dealer.id,
            "channel_state": "active",
        })
        return distributor, cls._new_cockpit_user(login, distributor, f"{name} Boss")

    def _cards(self, partner, user):
        """{card name: card} of ``partner`` as ``user`` sees them (computed as the page does, from the
        user's elevated partner record)."""
        return {card["name"]: card for card in partner.with_user(user).sudo()._channel_cockpit_sorted_cards()}

    def _cockpit_queries(self, partner, user):
        """The queries of one computation of every card, the records' cache emptied: pending writes
        flushed and the caches warmed first (by computations on a full and on an empty cache)."""
        partner = partner.with_user(user).sudo()
        self.env.flush_all()
        for _warm_up in range(2):
            partner._channel_cockpit_sorted_cards()
            self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partner._channel_cockpit_sorted_cards()
        return self.env.cr.sql_log_count - before

    def _cockpit_page(self, login, password=None):
        """The HTML of /my/channel for the portal user ``login`` (password: the login by default)."""
        self.authenticate(login, password or login)
        response = self.url_open("/my/channel")
        self.assertEqual(response.status_code, 200)
        return response.text


class ChannelTierCriteriaMixin:
    """Checks of the tier criteria a module adds to ``res.partner._channel_tier_proposal``."""

    def _tier_proposal_runs(self, few, many):
        """``[(dealers, proposals, queries)]`` of one ``_channel_tier_proposal()`` of the dealers ``few``,
        then of ``many``, each on an emptied cache, the caches (ormcache, registry) warmed first."""
        few._channel_tier_proposal()
        runs = []
        for dealers in (few, many):
            self.env.invalidate_all()
            dealers = dealers.browse(dealers.ids)
            before = self.env.cr.sql_log_count
            proposals = dealers._channel_tier_proposal()
            runs.append((dealers, proposals, self.env.cr.sql_log_count - before))
        return runs
