"""What the benchmark measures on a loaded, scraping engine: every dashboard query over 1 h
and 24 h (as Grafana asks it), the rule group evaluations, the series per host, memory."""
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import json

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dashboards"))
import dashboard_exprs  # noqa: E402

DASHBOARDS = os.path.join(HERE, "..", "..", "dashboards")

# The dashboards' ranges, with the steps Grafana would ask for on a panel about 1,000 pixels
# wide when the data source's scrape interval is 60 s: never finer than a scrape.
RANGES = {"1h": (3600, 60), "24h": (86400, 90)}


def get(url, path, params):
    q = urllib.parse.urlencode(params, doseq=True)
    t0 = time.monotonic()
    with urllib.request.urlopen(f"{url}{path}?{q}", timeout=120) as r:
        body = json.load(r)
    elapsed = time.monotonic() - t0
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body.get('error')}")
    return elapsed, body["data"]


def dashboard_queries(host):
    """[(dashboard, kind, where, expr, label)] per range name: the fleet dashboard over every
    host, the host dashboard on @host."""
    out = {}
    for rng, (seconds, step) in RANGES.items():
        builtins = {"__interval": f"{step}s", "__rate_interval": f"{max(4 * 60, step + 60)}s",
                    "__range": rng}
        exprs = []
        for name, instance in (("taint-fleet", ".+"), ("taint-host", host)):
            path = os.path.join(DASHBOARDS, name + ".json")
            values = dict(builtins, job="taint_exporter", instance=instance)
            for e in dashboard_exprs.extract(path, values):
                exprs.append((name, e))
        out[rng] = exprs
    return out


def run_query(url, e, rng, now, extra):
    """(seconds, result count) of one dashboard expression, asked as Grafana asks it."""
    seconds, step = RANGES[rng]
    if e["kind"] == "variable":
        elapsed, data = get(url, f"/api/v1/label/{e['label']}/values",
                            dict(extra, **{"match[]": e["expr"], "start": now - seconds,
                                           "end": now}))
        return elapsed, len(data)
    if e["instant"]:
        elapsed, data = get(url, "/api/v1/query", dict(extra, query=e["expr"], time=now))
    else:
        elapsed, data = get(url, "/api/v1/query_range",
                            dict(extra, query=e["expr"], start=now - seconds, end=now,
                                 step=step))
    return elapsed, len(data["result"])


def time_dashboards(url, host, extra, repeats=3):
    """[{range, dashboard, where, expr, seconds (median of @repeats), series}]."""
    out = []
    now = int(time.time())
    for rng, exprs in dashboard_queries(host).items():
        for name, e in exprs:
            runs = [run_query(url, e, rng, now, extra) for _ in range(repeats)]
            out.append({"range": rng, "dashboard": name, "where": e["where"],
                        "expr": e["expr"], "seconds": statistics.median(r[0] for r in runs),
                        "series": runs[-1][1]})
    return out


class EvaluationSampler(threading.Thread):
    """Polls an engine's rule group evaluations every second until stopped."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.durations, self.errors = engine, [], []
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(1.0):
            try:
                self.durations += self.engine.new_evaluations()
            except OSError as e:
                self.errors.append(str(e))

    def stop(self):
        self.done.set()
        self.join()
        return self.durations


# What any rule that looks at every flag series costs at the least, whatever it computes:
# one selection of them all (20 per host, for the 20 bits of a layout).
FLOOR_EXPR = "kernel_taint_flag == 1"


class FloorSampler(threading.Thread):
    """Asks FLOOR_EXPR every @period seconds until stopped: the floor over the same stretch of
    time as the rule group's evaluations, under the same load, for ratios taken side by side."""

    def __init__(self, url, extra, period=15.0):
        super().__init__(daemon=True)
        self.url, self.extra, self.period = url, extra, period
        self.seconds, self.errors = [], []
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(self.period):
            try:
                self.seconds.append(get(self.url, "/api/v1/query",
                                        dict(self.extra, query=FLOOR_EXPR))[0])
            except (OSError, RuntimeError) as e:
                self.errors.append(str(e))

    def stop(self):
        self.done.set()
        self.join()
        return self.seconds


def time_floor(url, extra, repeats=3):
    """Median seconds of FLOOR_EXPR as an instant query."""
    return statistics.median(get(url, "/api/v1/query", dict(extra, query=FLOOR_EXPR))[0]
                             for _ in range(repeats))


def instant(url, expr, extra):
    _, data = get(url, "/api/v1/query", dict(extra, query=expr))
    return data["result"]


def wait_value(url, expr, want, extra, timeout):
    """Until @expr (one series) has the value @want."""
    end = time.monotonic() + timeout
    got = None
    while time.monotonic() < end:
        r = instant(url, expr, extra)
        got = r[0]["value"][1] if r else None
        if got == str(want):
            return
        time.sleep(1)
    raise RuntimeError(f"{expr} is {got}, not {want}, after {timeout} s")


def wait_all_up(url, n, since, extra, timeout):
    """Until the engine has scraped each of the @n targets after @since (Unix seconds): the
    history has up series too."""
    end = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < end:
        r = instant(url, f'count(timestamp(up{{job="taint_exporter"}}) > {since})', extra)
        seen = int(r[0]["value"][1]) if r else 0
        if seen >= n:
            return
        time.sleep(2)
    raise RuntimeError(f"only {seen} of {n} targets scraped after {timeout} s")
