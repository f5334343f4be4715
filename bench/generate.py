"""Fill a fresh database (suite installed, no demo data) with a channel at scale.

Master data (tiers, territories, routes, dealers, sub-distributors, products, pricelists, portal users)
is created through the ORM in batches; the history (posted invoices, confirmed orders and their done
deliveries over the last 12 months) is written with ``INSERT ... SELECT`` over ``generate_series``,
with the columns the ORM would write and that the suite reads (see README).
"""

import logging
import time
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tools import SQL

_logger = logging.getLogger("bench.generate")

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True,
         "mail_notrack": True, "no_reset_password": True}
PASSWORD = "bench-dealer"


def sizes(scale, lines=None):
    """Sizes at ``scale`` (1 = 5,000 dealers and 1,000,000 invoice lines)."""
    dealers = max(int(5000 * scale), 20)
    lines = int(lines or max(1_000_000 * scale, 2000))
    return {
        "tiers": 5,
        "territories": max(int(300 * scale), 12),
        "dealers": dealers,
        "distributors": max(int(45000 * scale), dealers),
        "products": max(int(5000 * scale), 100),
        "invoice_lines": lines,
        "order_lines": lines,
        # Dealers on the benchmark route: a route day of 500 from scale 0.1 on, a few at smoke size.
        "route_dealers": 500 if dealers >= 500 else max(dealers // 5, 10),
        "route_products": 20,
        # Sell-out (dealer -> sub-distributor) lines, 5 per order: 2,000,000 at full size.
        "sellout_lines": 2 * lines,
    }


def _batched(items, size=1000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _create(model, vals_list, size=1000):
    records = model.browse()
    for chunk in _batched(vals_list, size):
        records |= model.create(chunk)
    return records


def generate(env, scale=0.01, lines=None, today=None, users=25):
    """Create the data set; return a dict of what the measures need (ids, dates, sizes)."""
    started = time.time()
    size = sizes(scale, lines)
    today = today or date.today()
    env = env(context=dict(env.context, **QUIET))
    company = env.company
    company.write({"channel_forecast_cycles": 4, "channel_safety_stock_pct": 10.0})
    info = {"sizes": size, "timings": {}}

    # Products: 10 categories, sale packagings on none (rounding by UoM only).
    all_categ = env.ref("product.product_category_all")
    categs = _create(env["product.category"], [
        {"name": f"Bench category {i}", "parent_id": all_categ.id} for i in range(10)
    ])
    product_vals = [{
        "name": f"Bench product {i:05d}",
        "default_code": f"BP{i:05d}",
        "type": "consu",
        "is_storable": True,
        "sale_ok": True,
        "list_price": 10.0 + (i % 97),
        "standard_price": 5.0 + (i % 53),
        "categ_id": categs[i % len(categs)].id,
        "invoice_policy": "order",
    } for i in range(size["products"])]
    templates = _create(env["product.template"], product_vals)
    products = templates.product_variant_ids.sorted("id")
    info["timings"]["products"] = time.time() - started

    # Tiers with their pricelists (a global discount, a category rule); the top tier remembers prices.
    pricelists = _create(env["product.pricelist"], [{
        "name": f"Bench tier {i + 1}",
        "currency_id": company.currency_id.id,
        "item_ids": [
            Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 2.0 * i}),
            Command.create({"applied_on": "2_product_category", "categ_id": categs[i].id,
                            "compute_price": "percentage", "percent_price": 2.0 * i + 5}),
        ],
    } for i in range(size["tiers"])])
    tiers = _create(env["channel.tier"], [{
        "name": f"Bench tier {i + 1}",
        "code": f"BT{i + 1}",
        "sequence": i,
        "pricelist_id": pricelists[i].id,
        "price_memory": i == 0,
        "price_memory_days": 90,
    } for i in range(size["tiers"])])

    # Territories: regions with their sub-territories.
    regions = _create(env["channel.territory"], [
        {"name": f"Bench region {i}", "code": f"BR{i}"} for i in range(10)
    ])
    territories = _create(env["channel.territory"], [{
        "name": f"Bench territory {i}", "code": f"BTE{i}", "parent_id": regions[i % 10].id,
    } for i in range(size["territories"] - 10)])

    # Routes: one weekly route per weekday, the first one holds ``route_dealers`` dealers.
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    route_count = max(1, -(-size["dealers"] // size["route_dealers"]))
    routes = _create(env["channel.delivery.route"], [{
        "name": f"Bench route {i}", "code": f"BRT{i}", "warehouse_id": warehouse.id,
        "weekday": i % 7, "interval_weeks": 1, "date_start": today - timedelta(days=400), "cutoff_hour": 12.0,
    } for i in range(route_count)])

    # Dealers (active, with tier, territory and route) and their sub-distributors.
    dealer_vals = [{
        "name": f"Bench dealer {i:05d}",
        "is_company": True,
        "channel_role": "dealer",
        "channel_state": "active",
        "channel_join_date": today - timedelta(days=500),
        "channel_tier_id": tiers[i % size["tiers"]].id,
        "channel_territory_id": territories[i % len(territories)].id,
        "channel_route_id": routes[i // size["route_dealers"]].id,
        "channel_route_sequence": i,
        "last_call_date": today - timedelta(days=i % 60),
        "last_visit_date": today - timedelta(days=i % 90),
        "user_id": env.user.id,
    } for i in range(size["dealers"])]
    t0 = time.time()
    dealers = _create(env["res.partner"], dealer_vals).sorted("id")
    info["timings"]["dealers"] = time.time() - t0
    # The cockpit dealers: dealer 0 has 5 sub-distributors, dealer 1 has 50; the rest share the others.
    parents = [dealers[0].id] * 5 + [dealers[1].id] * 50
    others = dealers[2:].ids or dealers.ids
    parents += [others[i % len(others)] for i in range(max(size["distributors"] - len(parents), 0))]
    t0 = time.time()
    _create(env["res.partner"], [{
        "name": f"Bench distributor {i:06d}",
        "is_company": True,
        "channel_role": "distributor",
        "channel_state": "active",
        "channel_parent_id": parent_id,
    } for i, parent_id in enumerate(parents)])
    info["timings"]["distributors"] = time.time() - t0

    # Portal users (owner contacts) of the first dealers: pages and concurrent submissions.
    contacts = _create(env["res.partner"], [{
        "name": f"Owner of {dealer.name}", "parent_id": dealer.id, "channel_job_role": "owner",
        "email": f"bench{index}@example.com",
    } for index, dealer in enumerate(dealers[:max(users, 2)])])
    portal = env.ref("base.group_portal")
    users = _create(env["res.users"].with_context(no_reset_password=True), [{
        "login": f"bench{index}", "password": PASSWORD, "partner_id": contact.id,
        "groups_id": [Command.set(portal.ids)],
    } for index, contact in enumerate(contacts)])
    info["users"] = users.mapped("login")

    env.flush_all()
    info["timings"]["master"] = time.time() - started
    t0 = time.time()
    _history(env, company, warehouse, dealers, products, size, today)
    info["timings"]["history"] = time.time() - t0
    if "channel.sellout.order" in env:
        t0 = time.time()
        _sellout(env, company, dealers, products, size, today)
        info["timings"]["sellout"] = time.time() - t0
    info["timings"]["total"] = time.time() - started
    info.update({
        "dealer_ids": dealers.ids,
        "product_ids": products.ids,
        "route_id": routes[0].id,
        "tier_ids": tiers.ids,
        "today": today.isoformat(),
    })
    env.cr.execute("ANALYZE")
    return info


def sales_users(env, count):
    """Internal salespeople ``bench_sales0``.. (created when missing): the plain Odoo baseline of the
    submissions, a sale order created over JSON-RPC and a note posted on it, under the same load.
    They see all documents: the dealers' orders take the dealers' own salesperson, as ours do."""
    Users = env["res.users"].with_context(**QUIET)
    logins = [f"bench_sales{index}" for index in range(count)]
    existing = Users.search([("login", "in", logins)])
    group = env.ref("sales_team.group_sale_salesman_all_leads")
    for user in existing.filtered(lambda user: group not in user.groups_id or not user.email):
        user.write({"groups_id": [Command.link(group.id)], "email": f"{user.login}@example.com"})
    known = set(existing.mapped("login"))
    missing = [login for login in logins if login not in known]
    if missing:
        _create(Users, [{"name": f"Bench salesperson {login[11:]}", "login": login, "password": PASSWORD,
                         "email": f"{login}@example.com", "groups_id": [Command.set(group.ids)]} for login in missing])
    env.flush_all()
    return logins


def _history(env, company, warehouse, dealers, products, size, today):
    """Posted invoices (10 lines each, 3 % credit notes reversing an invoice), confirmed orders
    (10 lines each) and their done deliveries, spread over the 12 months before ``today``; the
    dealers of the benchmark route also get weekly deliveries of their 20 products in the last 8 weeks."""
    cr = env.cr
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1)
    income = journal.default_account_id
    customer_loc = env.ref("stock.stock_location_customers")
    stock_loc = warehouse.lot_stock_id
    pick_type = warehouse.out_type_id
    pricelist_by_tier = {t.id: t.pricelist_id.id for t in env["channel.tier"].search([])}
    unit = env.ref("uom.product_uom_unit")
    start = today - relativedelta(months=12)
    days = (today - start).days
    n_dealers = len(dealers)
    n_products = len(products)
    env["res.partner"].flush_model()
    params = {
        "dealers": dealers.ids, "products": products.ids, "nd": n_dealers, "np": n_products,
        "journal": journal.id, "company": company.id, "currency": company.currency_id.id,
        "receivable": receivable.id, "income": income.id, "start": start, "days": days,
        "uom": unit.id, "customer_loc": customer_loc.id, "stock_loc": stock_loc.id,
        "pick_type": pick_type.id, "warehouse": warehouse.id, "uid": env.uid,
        "tiers": list(pricelist_by_tier), "pricelists": list(pricelist_by_tier.values()),
    }
    # --- Invoices: move i goes to dealer (i mod nd), dated over the 12 months.
    n_moves = max(size["invoice_lines"] // 10, 1)
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_moves AS
        SELECT g AS n,
               (%(dealers)s::int[])[1 + mod(g, %(nd)s)] AS partner_id,
               (%(start)s::date + mod(g::bigint * 7919, %(days)s)::int)::date AS inv_date,
               (mod(g, 33) = 0) AS refund
          FROM generate_series(0, %(n)s - 1) g
    """, n=n_moves, **params))
    cr.execute(SQL("""
        INSERT INTO account_move (name, journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                  invoice_date, invoice_date_due, partner_id, commercial_partner_id,
                                  partner_shipping_id, payment_state, amount_untaxed, amount_total,
                                  amount_untaxed_signed, amount_total_signed, amount_residual,
                                  amount_residual_signed, amount_total_in_currency_signed, sequence_prefix,
                                  sequence_number, invoice_partner_display_name, create_uid, write_uid,
                                  create_date, write_date)
        SELECT CASE WHEN refund THEN 'BRINV/' ELSE 'BINV/' END || n, %(journal)s, %(company)s, %(currency)s,
               'posted', CASE WHEN refund THEN 'out_refund' ELSE 'out_invoice' END, 'no', inv_date, inv_date,
               inv_date + 30, partner_id, partner_id, partner_id, 'not_paid', 0, 0, 0, 0, 0, 0, 0,
               CASE WHEN refund THEN 'BRINV/' ELSE 'BINV/' END, n, 'bench', %(uid)s, %(uid)s, now(), now()
          FROM bench_moves ORDER BY n
    """, **params))
    cr.execute("""
        CREATE TEMP TABLE bench_move_ids AS
        SELECT m.id, b.n, b.partner_id, b.inv_date, b.refund
          FROM account_move m JOIN bench_moves b ON m.name = CASE WHEN b.refund THEN 'BRINV/' ELSE 'BINV/' END || b.n
         WHERE m.name LIKE 'B%INV/%'
    """)
    # Credit notes reverse the previous invoice of the same dealer (n - nd), dated up to 20 days later.
    cr.execute(SQL("""
        UPDATE account_move m
           SET reversed_entry_id = src.id,
               invoice_date = LEAST(src.inv_date + 20, CURRENT_DATE), date = LEAST(src.inv_date + 20, CURRENT_DATE)
          FROM bench_move_ids r JOIN bench_move_ids src ON src.n = r.n - %(nd)s AND NOT src.refund
         WHERE m.id = r.id AND r.refund
    """, **params))
    cr.execute("UPDATE bench_move_ids b SET inv_date = m.invoice_date FROM account_move m WHERE m.id = b.id")
    # Product lines: 10 per move, the dealer's 20 products in turn; quantity 1..12, price from the catalog.
    cr.execute(SQL("""
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id, company_currency_id, currency_id,
                                       account_id, partner_id, product_id, product_uom_id, display_type,
                                       parent_state, date, invoice_date, name, quantity, price_unit, discount,
                                       price_subtotal, price_total, balance, amount_currency, debit, credit,
                                       amount_residual, amount_residual_currency, sequence, reconciled,
                                       create_uid, write_uid, create_date, write_date)
        SELECT b.id, 'BINV/' || b.n, %(journal)s, %(company)s, %(currency)s, %(currency)s, %(income)s, b.partner_id,
               p.id, %(uom)s, 'product', 'posted', b.inv_date, b.inv_date, pt.name->>'en_US', q.qty, pt.list_price, 0,
               q.qty * pt.list_price, q.qty * pt.list_price,
               s.sign * q.qty * pt.list_price, s.sign * q.qty * pt.list_price,
               GREATEST(s.sign * q.qty * pt.list_price, 0), GREATEST(-s.sign * q.qty * pt.list_price, 0),
               0, 0, 10 + l, false, %(uid)s, %(uid)s, now(), now()
          FROM bench_move_ids b
         CROSS JOIN generate_series(0, 9) l
         CROSS JOIN LATERAL (SELECT CASE WHEN b.refund THEN 1 ELSE -1 END AS sign) s
         CROSS JOIN LATERAL (SELECT 1 + mod(b.n * 31 + l * 7, 12) AS qty) q
          JOIN product_product p
            ON p.id = (%(products)s::int[])[1 + mod(mod(b.n, %(nd)s) * 7 + mod((b.n / %(nd)s) * 10 + l, 20), %(np)s)]
          JOIN product_template pt ON pt.id = p.product_tmpl_id
    """, **params))
    # Receivable line of each move, and the move totals.
    cr.execute(SQL("""
        WITH tot AS (SELECT move_id, SUM(price_subtotal) AS amount, SUM(balance) AS balance
                       FROM account_move_line WHERE move_id IN (SELECT id FROM bench_move_ids) GROUP BY move_id)
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id, company_currency_id, currency_id,
                                       account_id, partner_id, display_type, parent_state, date, invoice_date,
                                       date_maturity, name, quantity, price_unit, balance, amount_currency, debit,
                                       credit, amount_residual, amount_residual_currency, sequence, reconciled,
                                       create_uid, write_uid, create_date, write_date)
        SELECT b.id, 'BINV/' || b.n, %(journal)s, %(company)s, %(currency)s, %(currency)s, %(receivable)s,
               b.partner_id, 'payment_term', 'posted', b.inv_date, b.inv_date, b.inv_date + 30, '', 1, 0,
               -tot.balance, -tot.balance, GREATEST(-tot.balance, 0), GREATEST(tot.balance, 0),
               -tot.balance, -tot.balance, 100, false, %(uid)s, %(uid)s, now(), now()
          FROM bench_move_ids b JOIN tot ON tot.move_id = b.id
    """, **params))
    cr.execute("""
        UPDATE account_move m
           SET amount_untaxed = t.amount, amount_total = t.amount, amount_residual = t.amount,
               amount_untaxed_signed = -t.balance, amount_total_signed = -t.balance,
               amount_residual_signed = -t.balance, amount_total_in_currency_signed = -t.balance
          FROM (SELECT move_id, SUM(price_subtotal) AS amount, SUM(balance) AS balance
                  FROM account_move_line WHERE display_type = 'product'
                   AND move_id IN (SELECT id FROM bench_move_ids) GROUP BY move_id) t
         WHERE m.id = t.move_id
    """)

    # --- Confirmed orders, 10 lines each, and their done deliveries.
    n_orders = max(size["order_lines"] // 10, 1)
    route_dealers = dealers[:size["route_dealers"]]
    weeks = 8
    # Route dealers: one more order a week over the last ``weeks`` weeks with their 20 products.
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_orders AS
        SELECT g AS n, mod(g, %(nd)s) AS di, (%(dealers)s::int[])[1 + mod(g, %(nd)s)] AS partner_id,
               (%(start)s::date + mod(g::bigint * 7919, %(days)s)::int)::timestamp + interval '9 hours' AS date_order,
               10 AS nlines, (g / %(nd)s) * 10 AS first_line
          FROM generate_series(0, %(n)s - 1) g
        UNION ALL
        SELECT %(n)s + w * %(nr)s + d, d, (%(route)s::int[])[1 + d],
               (CURRENT_DATE - 7 * (w + 1) + 1)::timestamp + interval '9 hours', 20, 0
          FROM generate_series(0, %(weeks)s - 1) w, generate_series(0, %(nr)s - 1) d
    """, n=n_orders, nr=len(route_dealers), route=route_dealers.ids, weeks=weeks, **params))
    cr.execute(SQL("""
        INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id, partner_shipping_id, date_order,
                                state, picking_policy, channel_order_type, channel_dealer_id, channel_state,
                                channel_tier_id, channel_territory_id, channel_route_id, pricelist_id, currency_id,
                                warehouse_id, user_id, amount_untaxed, amount_tax, amount_total, invoice_status,
                                delivery_status, create_uid, write_uid, create_date, write_date)
        SELECT 'BSO/' || b.n, %(company)s, b.partner_id, b.partner_id, b.partner_id, b.date_order, 'sale',
               'direct', 'regular', b.partner_id, 'done', p.channel_tier_id, p.channel_territory_id,
               p.channel_route_id, t.pricelist_id, %(currency)s, %(warehouse)s, %(uid)s, 0, 0, 0, 'invoiced',
               'full', %(uid)s, %(uid)s, b.date_order, b.date_order
          FROM bench_orders b JOIN res_partner p ON p.id = b.partner_id
          LEFT JOIN channel_tier t ON t.id = p.channel_tier_id
    """, **params))
    cr.execute("""
        CREATE TEMP TABLE bench_order_ids AS
        SELECT so.id, b.n, b.di, b.partner_id, b.date_order, b.nlines, b.first_line
          FROM sale_order so JOIN bench_orders b ON so.name = 'BSO/' || b.n
    """)
    cr.execute(SQL("""
        INSERT INTO sale_order_line (order_id, name, sequence, product_id, product_uom_qty, product_uom, price_unit,
                                     discount, price_subtotal, price_total, price_tax, price_reduce_taxexcl,
                                     price_reduce_taxinc, qty_delivered, qty_delivered_method, qty_invoiced,
                                     qty_to_invoice, untaxed_amount_invoiced, untaxed_amount_to_invoice,
                                     customer_lead, company_id, currency_id, order_partner_id, salesman_id, state,
                                     invoice_status, create_uid, write_uid, create_date, write_date)
        SELECT b.id, pt.name->>'en_US', 10 + l, p.id, q.qty, %(uom)s, pt.list_price, 0, q.qty * pt.list_price,
               q.qty * pt.list_price, 0, pt.list_price, pt.list_price, q.qty, 'stock_move', q.qty, 0,
               q.qty * pt.list_price, 0, 0, %(company)s, %(currency)s, b.partner_id, %(uid)s, 'sale', 'invoiced',
               %(uid)s, %(uid)s, b.date_order, b.date_order
          FROM bench_order_ids b
         CROSS JOIN LATERAL generate_series(0, b.nlines - 1) l
         CROSS JOIN LATERAL (SELECT 1 + mod(b.n * 31 + l * 7, 12) AS qty) q
          JOIN product_product p
            ON p.id = (%(products)s::int[])[1 + mod(b.di * 7 + mod(b.first_line + l, 20), %(np)s)]
          JOIN product_template pt ON pt.id = p.product_tmpl_id
    """, **params))
    cr.execute("""
        UPDATE sale_order so SET amount_untaxed = t.amount, amount_total = t.amount
          FROM (SELECT order_id, SUM(price_subtotal) AS amount FROM sale_order_line
                 WHERE order_id IN (SELECT id FROM bench_order_ids) GROUP BY order_id) t
         WHERE so.id = t.order_id
    """)
    # Done deliveries two days after the order: one picking per order (what the dealer stock estimate
    # reads), one move per line.
    cr.execute(SQL("""
        INSERT INTO stock_picking (name, origin, move_type, state, priority, scheduled_date, date_deadline,
                                   date, date_done, location_id, location_dest_id, picking_type_id, partner_id,
                                   company_id, sale_id, user_id, create_uid, write_uid, create_date, write_date)
        SELECT 'BOUT/' || b.n, 'BSO/' || b.n, 'direct', 'done', '0', b.date_order + interval '2 days',
               b.date_order + interval '2 days', b.date_order, b.date_order + interval '2 days', %(stock_loc)s,
               %(customer_loc)s, %(pick_type)s, b.partner_id, %(company)s, b.id, %(uid)s, %(uid)s, %(uid)s,
               b.date_order, b.date_order
          FROM bench_order_ids b
    """, **params))
    cr.execute("""
        CREATE TEMP TABLE bench_picking_ids AS
        SELECT sp.id, b.id AS order_id FROM stock_picking sp JOIN bench_order_ids b ON sp.name = 'BOUT/' || b.n
    """)
    cr.execute(SQL("""
        INSERT INTO stock_move (name, company_id, product_id, product_uom, product_uom_qty, product_qty, quantity,
                                location_id, location_dest_id, location_final_id, state, date, date_deadline,
                                procure_method, sale_line_id, picking_id, partner_id, picking_type_id, warehouse_id,
                                picked, reference, create_uid, write_uid, create_date, write_date)
        SELECT sol.name, %(company)s, sol.product_id, %(uom)s, sol.product_uom_qty, sol.product_uom_qty,
               sol.product_uom_qty, %(stock_loc)s, %(customer_loc)s, %(customer_loc)s, 'done',
               b.date_order + interval '2 days', b.date_order + interval '2 days', 'make_to_stock', sol.id, sp.id,
               b.partner_id, %(pick_type)s, %(warehouse)s, true, 'BSO/' || b.n, %(uid)s, %(uid)s,
               b.date_order, b.date_order
          FROM sale_order_line sol JOIN bench_order_ids b ON b.id = sol.order_id
          JOIN bench_picking_ids sp ON sp.order_id = b.id
    """, **params))
    for table in ("bench_moves", "bench_move_ids", "bench_orders", "bench_order_ids", "bench_picking_ids"):
        cr.execute(SQL("DROP TABLE %s", SQL.identifier(table)))
    env.invalidate_all()


def _sellout(env, company, dealers, products, size, today):
    """Sell-out history (``channel_sellout``): orders of 5 lines from each dealer to its
    sub-distributors over the last 12 months, with the stored related and computed columns the ORM
    writes (territories, dealer, buyer, date and state on the lines, subtotals and totals). Lines are
    the dealer's 20 products (those it buys); one dealer in ten sells a third of what it buys
    (stockpiling), the others nearly all of it. One order in 20 is still open (submitted or
    accepted), one in 50 cancelled."""
    cr = env.cr
    env["res.partner"].flush_model()
    start = today - relativedelta(months=12)
    params = {
        "dealers": dealers.ids, "nd": len(dealers), "products": products.ids, "np": len(products),
        "company": company.id, "start": start, "days": (today - start).days, "uid": env.uid,
        "n": max(size["sellout_lines"] // 5, 1),
    }
    # The buyers of each dealer, numbered.
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_buyers AS
        SELECT channel_parent_id AS dealer_id, id AS buyer_id, channel_territory_id AS territory_id,
               row_number() OVER (PARTITION BY channel_parent_id ORDER BY id) - 1 AS rank,
               count(*) OVER (PARTITION BY channel_parent_id) AS total
          FROM res_partner WHERE channel_parent_id = ANY(%(dealers)s) AND channel_role = 'distributor'
    """, **params))
    cr.execute("CREATE INDEX ON bench_buyers (dealer_id, rank)")
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_sellout AS
        SELECT g AS n, mod(g, %(nd)s) AS di, (%(dealers)s::int[])[1 + mod(g, %(nd)s)] AS seller_id,
               (%(start)s::date + mod(g::bigint * 7919, %(days)s)::int)::date AS date_order,
               CASE WHEN mod(g, 50) = 7 THEN 'cancelled' WHEN mod(g, 20) = 3 THEN 'submitted'
                    WHEN mod(g, 20) = 13 THEN 'accepted' WHEN mod(g, 3) = 0 THEN 'delivered'
                    ELSE 'received' END AS state
          FROM generate_series(0, %(n)s - 1) g
    """, **params))
    cr.execute(SQL("""
        INSERT INTO channel_sellout_order (name, seller_id, buyer_id, seller_territory_id, buyer_territory_id,
                                           company_id, state, source, date_order, route_date, date_delivered,
                                           amount_total, create_uid, write_uid, create_date, write_date)
        SELECT 'BSL/' || s.n, s.seller_id, b.buyer_id, seller.channel_territory_id, b.territory_id, %(company)s,
               s.state, CASE WHEN mod(s.n, 4) = 0 THEN 'distributor_portal' ELSE 'dealer_portal' END,
               s.date_order, s.date_order + 2,
               CASE WHEN s.state IN ('delivered', 'received') THEN s.date_order + 2 END, 0,
               %(uid)s, %(uid)s, s.date_order, s.date_order
          FROM bench_sellout s
          JOIN res_partner seller ON seller.id = s.seller_id
          JOIN bench_buyers b ON b.dealer_id = s.seller_id AND b.rank = mod(s.n / %(nd)s, b.total)
    """, **params))
    cr.execute("""
        CREATE TEMP TABLE bench_sellout_ids AS
        SELECT o.id, s.n, s.di, o.seller_id, o.buyer_id, o.date_order, o.state
          FROM channel_sellout_order o JOIN bench_sellout s ON o.name = 'BSL/' || s.n
    """)
    cr.execute(SQL("""
        INSERT INTO channel_sellout_line (order_id, product_id, seller_id, buyer_id, state, date_order, quantity,
                                          price_unit, price_subtotal, create_uid, write_uid, create_date, write_date)
        SELECT o.id, p.id, o.seller_id, o.buyer_id, o.state, o.date_order, q.qty, round(pt.list_price * 1.08, 2),
               q.qty * round(pt.list_price * 1.08, 2), %(uid)s, %(uid)s, o.date_order, o.date_order
          FROM bench_sellout_ids o
         CROSS JOIN generate_series(0, 4) l
         CROSS JOIN LATERAL (SELECT CASE WHEN mod(o.di, 10) = 0 THEN 1 ELSE 1 + mod(o.n * 13 + l * 5, 10) END
                             AS qty) q
          JOIN product_product p
            ON p.id = (%(products)s::int[])[1 + mod(o.di * 7 + mod((o.n / %(nd)s) * 5 + l, 20), %(np)s)]
          JOIN product_template pt ON pt.id = p.product_tmpl_id
    """, **params))
    cr.execute("""
        UPDATE channel_sellout_order o SET amount_total = t.amount
          FROM (SELECT order_id, SUM(price_subtotal) AS amount FROM channel_sellout_line
                 WHERE order_id IN (SELECT id FROM bench_sellout_ids) GROUP BY order_id) t
         WHERE o.id = t.order_id
    """)
    for table in ("bench_buyers", "bench_sellout", "bench_sellout_ids"):
        cr.execute(SQL("DROP TABLE %s", SQL.identifier(table)))
    env.invalidate_all()
