"""HTTP figures against Odoo run with ``--workers=2`` on 127.0.0.1 only.

Portal pages: wall time seen by the client, and the server time and query count Odoo logs for each
request (werkzeug line: ``... 200 - <queries> <query time> <other time>``). Order submission: each of
``concurrency`` dealers' users saves a cart and submits it in a loop for ``duration`` seconds (bounded:
the loop stops by itself), p50/p95 of the submission request. Back to back (the target's figure: every
dealer starts its next order as soon as the last one is submitted, a stress test of the workers), then
paced (``submission_rate`` orders a minute in all, each dealer starting an order at a fixed interval,
for the latency at a stated load).
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


def _figure(name, seconds, queries, limit=None, note=""):
    met = None if limit is None else seconds <= limit
    flag = "" if limit is None else (" [ok]" if met else f" [MISSES ≤ {limit * 1000:.0f} ms]")
    print(f"{name}: ours {seconds:.3f} s, baseline -, ratio -, queries {queries}{flag}"
          + (f"  ({note})" if note else ""), flush=True)
    return {"name": name, "ours_s": round(seconds, 4), "baseline_s": None, "ratio": None, "queries": queries,
            "note": note, "target_s": limit, "met": met}


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
        results += _submissions(server, logins[:concurrency], products, duration)
        # The request on its own, for information: one dealer alone, nothing queued before it.
        results += _submissions(server, logins[:1], products, min(duration, 15.0), name="order_submission_alone",
                                limit=None)
        if submission_rate:
            # The same dealers at a stated load: each starts an order every concurrency / rate minutes.
            results += _submissions(server, logins[:concurrency], products, duration, name="order_submission_paced",
                                    limit=None, interval=60.0 * len(logins[:concurrency]) / submission_rate)
    if submission_workers and submission_workers != workers:
        with Server(config, database, submission_workers) as server:
            results += _submissions(server, logins[:concurrency], products, duration,
                                    name=f"order_submission_{submission_workers}w")
    return results


def _submissions(server, logins, products, duration, name="order_submission", limit=SUBMIT_P95_LIMIT,
                 interval=None):
    """Each user: save 3 products in the cart, submit it; repeat until ``duration`` is over. With
    ``interval`` (seconds), each user starts an order every ``interval`` seconds (the users' starts
    spread over the first interval; an order that ends late starts the next one at once)."""
    latencies, errors, lock = [], [], threading.Lock()
    sessions = []
    for login in logins:
        session = _login(server.url, login)
        sessions.append((session, _csrf(session, server.url)))
    started_at = time.time()
    deadline = started_at + duration

    def worker(index, session, token):
        loop = 0
        while time.time() < deadline and loop < 10000:
            if interval:
                wait = started_at + interval * (index / len(sessions) + loop) - time.time()
                if wait > 0:
                    time.sleep(wait)
                if time.time() >= deadline:
                    break
            loop += 1
            chosen = [products[(index * 7 + loop + k) % len(products)] for k in range(3)]
            data = {"csrf_token": token, **{f"qty_{pid}": str(1 + k) for k, pid in enumerate(chosen)}}
            try:
                response = session.post(f"{server.url}/my/channel/order/update", data=data, timeout=120,
                                        allow_redirects=False)
                if response.status_code not in (302, 303):
                    raise RuntimeError(f"cart update {response.status_code}")
                started = time.perf_counter()
                response = session.post(f"{server.url}/my/channel/cart/submit", data={"csrf_token": token},
                                        timeout=120, allow_redirects=False)
                elapsed = time.perf_counter() - started
                if response.status_code not in (302, 303) or "submitted=1" not in response.headers.get("Location", ""):
                    raise RuntimeError(f"submit {response.status_code} {response.headers.get('Location')}")
                with lock:
                    latencies.append(elapsed)
            except Exception as error:  # noqa: BLE001 - counted and reported, the loop goes on
                with lock:
                    errors.append(str(error)[:200])
                time.sleep(0.5)

    threads = [threading.Thread(target=worker, args=(i, s, t), daemon=True) for i, (s, t) in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 300)
    note = (f"{len(sessions)} dealer{'' if len(sessions) == 1 else 's'}, {server.workers} workers, "
            f"{duration:.0f} s, {len(latencies)} orders submitted, {len(errors)} errors")
    if interval:
        rate = 60.0 * len(sessions) / interval
        note += f", paced: an order per dealer every {interval:.1f} s ({rate:.0f} a minute in all)"
    if errors:
        note += f" (first: {errors[0]})"
    if not latencies:
        print(f"{name}: no order submitted ({note})", flush=True)
        return [{"name": f"{name}_p95", "ours_s": None, "baseline_s": None, "ratio": None,
                 "queries": None, "note": note, "met": False if limit else None}]
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return [
        _figure(f"{name}_p50", p50, None, note=note),
        _figure(f"{name}_p95", p95, None, limit, note=note),
    ]

