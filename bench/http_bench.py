"""HTTP figures against Odoo run with ``--workers=2`` on 127.0.0.1 only.

Portal pages: wall time seen by the client, and the server time and query count Odoo logs for each
request (werkzeug line: ``... 200 - <queries> <query time> <other time>``). Order submission: each of
``concurrency`` dealers' users saves a cart and submits it in a loop for ``duration`` seconds (bounded:
the loop stops by itself), p50/p95 of the submission request. Back to back (the target's figure: every
dealer starts its next order as soon as the last one is submitted, a stress test of the workers), then
paced (``submission_rate`` orders a minute in all, each dealer starting an order at a fixed interval,
for the latency at a stated load). The baseline of each submission figure is plain Odoo under the
same load: as many salespeople create the same 3-line order for the same dealers over JSON-RPC and
post a note on it, the note timed.
"""

import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests
from generate import PASSWORD

LOG_LINE = re.compile(r'"(?:GET|POST) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) - (?P<queries>\d+) '
                      r'(?P<qtime>[\d.]+) (?P<other>[\d.]+)')
QUICK_ORDER_LIMIT = 0.150
SUBMIT_P95_LIMIT = 0.300


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, config, database, workers=2):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logfile = tempfile.NamedTemporaryFile(prefix="bench-http-", suffix=".log", delete=False).name
        self.workers = workers
        self.args = [sys.executable, "-m", "odoo", "-c", config, "-d", database, f"--workers={workers}",
                     "--max-cron-threads=0", "--http-interface=127.0.0.1", f"--http-port={self.port}",
                     "--limit-time-real=600", "--limit-time-cpu=600", "--log-level=info",
                     f"--logfile={self.logfile}"]
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"{self.url}/web/login", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited while starting (log: {self.logfile})")
            time.sleep(1)
        self.__exit__()
        raise RuntimeError(f"Odoo did not answer within 120 s (log: {self.logfile})")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return False

    def server_figures(self, marker):
        """(server seconds, queries) Odoo logged for the request whose path holds ``marker``."""
        for _attempt in range(20):
            with open(self.logfile, errors="replace") as f:
                for line in f:
                    if marker in line:
                        match = LOG_LINE.search(line)
                        if match:
                            return float(match["qtime"]) + float(match["other"]), int(match["queries"])
            time.sleep(0.1)
        return None, None


def _login(url, login):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = session.post(f"{url}/web/login", data={"login": login, "password": PASSWORD, "csrf_token": token,
                                                       "redirect": "/my"}, timeout=60, allow_redirects=False)
    if response.status_code not in (302, 303):
        raise RuntimeError(f"login of {login} failed ({response.status_code})")
    return session


def _csrf(session, url):
    page = session.get(f"{url}/my/channel/order?ppg=5", timeout=60).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on the quick order page")
    return match[1]


def _page(server, session, path, repeat=3, warmup=3):
    """Median client and server seconds and the server query count of GET ``path`` (warm: each
    worker has served it before)."""
    walls, servers, queries = [], [], []
    for index in range(repeat + warmup):
        marker = f"bench={uuid.uuid4().hex}"
        sep = "&" if "?" in path else "?"
        started = time.perf_counter()
        response = session.get(f"{server.url}{path}{sep}{marker}", timeout=120, allow_redirects=False)
        wall = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        seconds, count = server.server_figures(marker)
        if index >= warmup:
            walls.append(wall)
            servers.append(seconds if seconds is not None else wall)
            queries.append(count)
    return statistics.median(walls), statistics.median(servers), int(statistics.median(q or 0 for q in queries))


def _figure(name, seconds, queries, limit=None, note="", baseline=None):
    met = None if limit is None else seconds <= limit
    flag = "" if limit is None else (" [ok]" if met else f" [MISSES ≤ {limit * 1000:.0f} ms]")
    ratio = seconds / baseline if baseline else None
    base = "-" if baseline is None else f"{baseline:.3f} s"
    print(f"{name}: ours {seconds:.3f} s, baseline {base}, ratio {'-' if ratio is None else f'{ratio:.2f}'}, "
          f"queries {queries}{flag}" + (f"  ({note})" if note else ""), flush=True)
    return {"name": name, "ours_s": round(seconds, 4), "baseline_s": None if baseline is None else round(baseline, 4),
            "ratio": None if ratio is None else round(ratio, 2), "queries": queries, "note": note, "target_s": limit,
            "met": met}


def run(config, database, info, duration=60.0, concurrency=20, workers=2, submission_workers=None,
        submission_rate=240):
    """The page figures and the submission figures against ``workers`` workers; with
    ``submission_workers`` (e.g. as many as the concurrency), the submissions once more against a
    server with that many workers (``order_submission_<n>w_p50/p95``): with 2 workers most of the
    2-worker latency is waiting in the queue."""
    results = []
    logins = info["users"]
    products = info["product_ids"]
    with Server(config, database, workers) as server:
        first = _login(server.url, logins[0])   # dealer with 5 sub-distributors
        second = _login(server.url, logins[1])  # dealer with 50 sub-distributors
        counts = {}
        # The first 5 products all have a remembered price (no pricelist lookup); the 50 rows and the
        # 5 rows of page 5 mix remembered and pricelist prices (what a page usually holds).
        for name, path in ((5, "/my/channel/order?ppg=5"), (50, "/my/channel/order?ppg=50"),
                           ("5_pricelist", "/my/channel/order/page/5?ppg=5")):
            wall, seconds, queries = _page(server, first, path)
            counts[name] = queries
            label = "quick_order_5_rows_pricelist" if name == "5_pricelist" else f"quick_order_{name}_rows"
            results.append(_figure(label, seconds, queries, QUICK_ORDER_LIMIT,
                                   note=f"{path}; server time; client {wall * 1000:.0f} ms"))
        flat = counts[50] <= max(counts[5], counts["5_pricelist"])
        note = (f"{counts[5]} queries at 5 remembered rows, {counts['5_pricelist']} at 5 rows with pricelist prices, "
                f"{counts[50]} at 50")
        results.append({"name": "quick_order_queries_flat", "ours_s": None, "baseline_s": None, "ratio": None,
                        "queries": counts[50], "note": note, "met": flat})
        print(f"quick_order_queries_flat: {note}{' [ok]' if flat else ' [MISSES: grows with rows]'}", flush=True)
        for rows, session in ((5, first), (50, second)):
            wall, seconds, queries = _page(server, session, "/my/channel")
            results.append(_figure(f"cockpit_{rows}_rows", seconds, queries,
                                   note=f"server time; client {wall * 1000:.0f} ms"))
        native = None
        if info.get("sales_users"):
            native = (info["sales_users"][:concurrency], info["dealer_ids"][:concurrency])
        results += _submissions(server, logins[:concurrency], products, duration, native=native)
        # The request on its own, for information: one dealer alone, nothing queued before it.
        results += _submissions(server, logins[:1], products, min(duration, 15.0), name="order_submission_alone",
                                limit=None, native=native and (native[0][:1], native[1][:1]))
        if submission_rate:
            # The same dealers at a stated load: each starts an order every concurrency / rate minutes.
            results += _submissions(server, logins[:concurrency], products, duration, name="order_submission_paced",
                                    limit=None, interval=60.0 * len(logins[:concurrency]) / submission_rate)
    if submission_workers and submission_workers != workers:
        with Server(config, database, submission_workers) as server:
            results += _submissions(server, logins[:concurrency], products, duration,
                                    name=f"order_submission_{submission_workers}w", native=native)
    return results


def _portal_order(server, state, products):
    """A dealer's order through our pages: save the cart, then the timed submission."""
    session, token = state
    begun = time.perf_counter()
    data = {"csrf_token": token, **{f"qty_{pid}": str(1 + k) for k, pid in enumerate(products)}}
    response = session.post(f"{server.url}/my/channel/order/update", data=data, timeout=120, allow_redirects=False)
    if response.status_code not in (302, 303):
        raise RuntimeError(f"cart update {response.status_code}")
    started = time.perf_counter()
    response = session.post(f"{server.url}/my/channel/cart/submit", data={"csrf_token": token}, timeout=120,
                            allow_redirects=False)
    elapsed = time.perf_counter() - started
    if response.status_code not in (302, 303) or "submitted=1" not in response.headers.get("Location", ""):
        raise RuntimeError(f"submit {response.status_code} {response.headers.get('Location')}")
    return elapsed, time.perf_counter() - begun


def _call_kw(server, session, model, method, args, kwargs=None):
    payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
               "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}
    response = session.post(f"{server.url}/web/dataset/call_kw/{model}/{method}", json=payload, timeout=120)
    body = response.json()
    if response.status_code != 200 or "error" in body:
        message = body.get("error", {}).get("data", {}).get("message", response.status_code)
        raise RuntimeError(f"{model}.{method}: {message}")
    return body["result"]


def _native_order(server, state, products):
    """The plain Odoo baseline: a salesperson creates the same 3-line sale order for the dealer over
    JSON-RPC, then the timed request posts a note on it (no portal page, no approval chain)."""
    session, partner_id = state
    begun = time.perf_counter()
    order_id = _call_kw(server, session, "sale.order", "create", [{
        "partner_id": partner_id,
        "order_line": [(0, 0, {"product_id": pid, "product_uom_qty": 1 + k}) for k, pid in enumerate(products)],
    }])
    started = time.perf_counter()
    _call_kw(server, session, "sale.order", "message_post", [[order_id]],
             {"body": "Submitted", "message_type": "comment", "subtype_xmlid": "mail.mt_note"})
    ended = time.perf_counter()
    return ended - started, ended - begun


def _portal_states(server, logins):
    states = []
    for login in logins:
        session = _login(server.url, login)
        states.append((session, _csrf(session, server.url)))
    return states


def _native_states(server, logins, partner_ids):
    return [(_login(server.url, login), partner_id) for login, partner_id in zip(logins, partner_ids, strict=True)]


def _submissions(server, logins, products, duration, name="order_submission", limit=SUBMIT_P95_LIMIT,
                 interval=None, native=None):
    """Each user: save 3 products in the cart, submit it; repeat until ``duration`` is over. With
    ``interval`` (seconds), each user starts an order every ``interval`` seconds (the users' starts
    spread over the first interval; an order that ends late starts the next one at once). With
    ``native`` (salespeople's logins and the dealers' partner ids), the same loop once more with plain
    Odoo's order creation and a note (``_native_order``), the baseline of each figure."""
    ours, note = _loop(server, _portal_states(server, logins), _portal_order, products, duration, interval,
                       who="dealer")
    base = None
    if native:
        base, base_note = _loop(server, _native_states(server, *native), _native_order, products, duration,
                                interval, who="salesperson")
        note += f"; baseline, plain Odoo: {base_note}"
    if not ours:
        print(f"{name}: no order submitted ({note})", flush=True)
        return [{"name": f"{name}_p95", "ours_s": None, "baseline_s": None, "ratio": None,
                 "queries": None, "note": note, "met": False if limit else None}]
    return [
        _figure(f"{name}_p50", _percentile(ours, 0.50), None, note=note, baseline=_percentile(base, 0.50)),
        _figure(f"{name}_p95", _percentile(ours, 0.95), None, limit, note=note, baseline=_percentile(base, 0.95)),
    ]


def _percentile(latencies, rank):
    if not latencies:
        return None
    if rank == 0.50:
        return statistics.median(latencies)
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(round(rank * (len(ordered) - 1))))]


def _loop(server, states, order, products, duration, interval=None, who="dealer"):
    """Run ``order(server, state, 3 products)`` for each state in its own thread until ``duration`` is
    over (bounded). ``order`` returns the seconds of its timed request and of the whole order; this
    returns the timed seconds of every order and a note (orders, errors, the whole order's p50, the rate)."""
    latencies, cycles, errors, lock = [], [], [], threading.Lock()
    started_at = time.time()
    deadline = started_at + duration

    def worker(index, state):
        loop = 0
        while time.time() < deadline and loop < 10000:
            if interval:
                wait = started_at + interval * (index / len(states) + loop) - time.time()
                if wait > 0:
                    time.sleep(wait)
                if time.time() >= deadline:
                    break
            loop += 1
            chosen = [products[(index * 7 + loop + k) % len(products)] for k in range(3)]
            try:
                elapsed, cycle = order(server, state, chosen)
                with lock:
                    latencies.append(elapsed)
                    cycles.append(cycle)
            except Exception as error:  # noqa: BLE001 - counted and reported, the loop goes on
                with lock:
                    errors.append(str(error)[:200])
                time.sleep(0.5)

    threads = [threading.Thread(target=worker, args=(i, state), daemon=True) for i, state in enumerate(states)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 300)
    count = len(states)
    note = (f"{count} {who}{'' if count == 1 else 's'}, "
            f"{server.workers} workers, {duration:.0f} s, {len(latencies)} orders submitted, {len(errors)} errors")
    if cycles:
        note += f", whole order (both requests) p50 {_percentile(cycles, 0.50) * 1000:.0f} ms"
    if interval:
        rate = 60.0 * count / interval
        note += f", paced: an order each every {interval:.1f} s ({rate:.0f} a minute in all)"
    if errors:
        note += f" (first: {errors[0]})"
    return latencies, note
