#!/usr/bin/env python3
"""The engine side of the fleet rehearsal (fleet.sh): polls the Prometheus HTTP API with
deadlines, never fixed sleeps, and fails naming what it expected and what it found.

URL is one engine: Prometheus's URL, or "QUERY_URL,ALERTS_URL" where queries and alerts are
served apart (victoria-metrics answers PromQL, vmalert lists the alerts).

  fleet_check.py ready URL HOSTS DEADLINE
      until every one of HOSTS targets is up with a few scrapes of history and recorded by
      the rules; fails if any alert fires meanwhile.
  fleet_check.py alerts URL EXPECTED_JSON DEADLINE [TOLERATED_JSON]
      until the firing alerts are exactly EXPECTED_JSON (a list of label subsets, each to be
      matched by exactly one alert); fails at once if any firing alert matches none of them
      (an alert on a host or with a severity that nobody expected). An unexpected pending
      alert (one scrape timing out on a loaded machine starts TaintExporterDown's "for") is
      reported, not failed: it fails if it ever fires. Alerts matching TOLERATED_JSON (label
      subsets) are left out altogether: fleet.sh says which, on which engine, and why.
  fleet_check.py resolved URL EXPECTED_JSON GONE DEADLINE [TOLERATED_JSON]
      until the alerts named in GONE (comma-separated alertnames) have resolved by themselves
      while the rest of EXPECTED_JSON keeps firing; the same strictness as "alerts".
  fleet_check.py dashboards URL [--var NAME=VALUE]... DASHBOARD.json...
      runs every expression of the dashboards (panel targets, and label_values() selectors
      of the template variables) through the API: each must parse, and each must return data
      (instant targets as instant queries, the others as range queries over the last 20 s);
      a variable's selector must yield values for its label. An expression that returns no data
      is asked again for up to 20 s (victoria-metrics makes a new series, such as the ALERTS
      series of an alert that has just fired, searchable seconds after it is written).
  fleet_check.py same URL OTHER_URL DEADLINE [--var NAME=VALUE]... DASHBOARD.json...
      every dashboard expression, as an instant query, returns the same series (label sets)
      on both engines; retried until DEADLINE, since both scrape the fleet on their own clocks.
  fleet_check.py as-raw URL DEADLINE [--var NAME=VALUE]... DASHBOARD.json...
      every dashboard expression that reads the rules' recorded set flags
      (kernel_taint:flag_set{...}) returns the same series and values as with the raw flag
      series in its place (kernel_taint_flag{...} == 1); retried until DEADLINE, as the
      rules record a moment after each scrape.
"""
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import dashboard_exprs as dx

POLL = 0.5


def engine(url):
    """(the URL that answers queries, the URL that lists alerts)."""
    query_url, _, alerts_url = url.partition(",")
    return query_url, alerts_url or query_url


def api(url, path, **params):
    url = engine(url)[1] if path == "/api/v1/alerts" else engine(url)[0]
    q = urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(f"{url}{path}?{q}", timeout=10) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    return body


def query(url, expr):
    body = api(url, "/api/v1/query", query=expr)
    if body.get("status") != "success":
        raise RuntimeError(f"query {expr!r} failed: {body.get('errorType')}: {body.get('error')}")
    return body["data"]["result"]


def alerts(url):
    """The alerts, each with its alertname among its labels (vmalert keeps it apart)."""
    body = api(url, "/api/v1/alerts")
    out = body["data"]["alerts"] or []
    for a in out:
        a["labels"].setdefault("alertname", a.get("name", ""))
    return out


def describe(a):
    labels = ",".join(f'{k}="{v}"' for k, v in sorted(a["labels"].items()))
    return f"{a['state']} {{{labels}}}"


def matches(alert, spec):
    return all(alert["labels"].get(k) == v for k, v in spec.items())


noted = set()


def check_alert_set(current, expected):
    """(unexpected firing alerts, whether the firing ones are exactly the expected)."""
    unexpected = [a for a in current if not any(matches(a, s) for s in expected)]
    for a in unexpected:
        if a["state"] != "firing" and describe(a) not in noted:
            noted.add(describe(a))
            print(f"note: unexpected but only {describe(a)}")
    unexpected = [a for a in unexpected if a["state"] == "firing"]
    firing = [a for a in current if a["state"] == "firing"]
    exact = all(sum(matches(a, s) for a in firing) == 1 for s in expected) and \
        all(sum(matches(a, s) for s in expected) == 1 for a in firing)
    return unexpected, exact


def check_annotations(a):
    """The summary names the host, and the flag letter and its meaning when there is one."""
    summary = a["annotations"].get("summary", "")
    want = [a["labels"]["instance"]]
    if "flag" in a["labels"]:
        want += [a["labels"]["flag"], a["labels"]["flag_name"]]
    if "module" in a["labels"]:
        want.append(a["labels"]["module"])
    missing = [w for w in want if w not in summary]
    if missing or not a["annotations"].get("description"):
        sys.exit(f"FAIL: alert {describe(a)}: summary {summary!r} does not name {missing}, "
                 "or no description")


def fail_unexpected(unexpected, expected, what):
    for a in unexpected:
        print(f"FAIL: unexpected alert {describe(a)}")
    print(f"expected (while {what}): {json.dumps(expected)}")
    sys.exit(1)


def cmd_ready(url, hosts, deadline):
    hosts = int(hosts)
    end = time.monotonic() + float(deadline)
    last = None
    while time.monotonic() < end:
        unexpected, _ = check_alert_set(alerts(url), [])
        if unexpected:
            fail_unexpected(unexpected, [], "waiting for the fleet, before any taint changed")
        up = query(url, 'count(up{job="taint_exporter"} == 1)')
        hist = query(url, "count(count_over_time(taint_exporter_scrape_success[1m]) >= 3)")
        # The rules have run: every host read is recorded (the severity table is empty while
        # no flag is set anywhere).
        recorded = query(url, "count(kernel_taint:scrape_success)")
        last = (up, hist, recorded)
        if up and hist and recorded and int(up[0]["value"][1]) == hosts and \
                int(hist[0]["value"][1]) == hosts and int(recorded[0]["value"][1]) == hosts:
            print(f"ready: {hosts} targets up with history, recorded by the rules, "
                  f"no alert firing")
            return 0
        time.sleep(POLL)
    sys.exit(f"FAIL: fleet not ready after {deadline} s: up {last[0]}, "
             f"with history {last[1]}, recorded by the rules {last[2]}")


def tolerating(tolerated_json):
    """alerts(), less those matching one of the label subsets of @tolerated_json."""
    tolerated = json.loads(tolerated_json or "[]")
    return lambda url: [a for a in alerts(url) if not any(matches(a, t) for t in tolerated)]


def cmd_alerts(url, expected_json, deadline, tolerated_json=None):
    expected = json.loads(expected_json)
    listed = tolerating(tolerated_json)
    end = time.monotonic() + float(deadline)
    current = []
    while time.monotonic() < end:
        current = listed(url)
        unexpected, exact = check_alert_set(current, expected)
        if unexpected:
            fail_unexpected(unexpected, expected, "waiting for the expected alerts")
        if exact:
            for a in current:
                check_annotations(a)
            for a in sorted(current, key=describe):
                print(f"ok: {describe(a)}: {a['annotations']['summary']}")
            return 0
        time.sleep(POLL)
    print(f"FAIL: after {deadline} s the alerts are not exactly the expected ones")
    for a in current:
        print(f"  have: {describe(a)}")
    print(f"  expected firing: {json.dumps(expected)}")
    sys.exit(1)


def cmd_resolved(url, expected_json, gone, deadline, tolerated_json=None):
    expected = json.loads(expected_json)
    listed = tolerating(tolerated_json)
    gone = set(gone.split(","))
    staying = [s for s in expected if s.get("alertname") not in gone]
    end = time.monotonic() + float(deadline)
    current = []
    while time.monotonic() < end:
        current = listed(url)
        unexpected, _ = check_alert_set(current, expected)
        if unexpected:
            fail_unexpected(unexpected, expected, "waiting for the new-taint alerts to resolve")
        _, exact = check_alert_set(current, staying)
        if exact and not any(a["labels"]["alertname"] in gone for a in current):
            print(f"ok: {', '.join(sorted(gone))} resolved by themselves; "
                  f"{len(staying)} alerts still firing")
            return 0
        time.sleep(POLL)
    print(f"FAIL: after {deadline} s, {sorted(gone)} have not resolved, or the others stopped")
    for a in current:
        print(f"  have: {describe(a)}")
    sys.exit(1)


def vars_and_files(args):
    """([--var NAME=VALUE]... FILE...) -> ({NAME: VALUE}, [FILE])."""
    values = {}
    files = []
    it = iter(args)
    for a in it:
        if a == "--var":
            k, v = next(it).split("=", 1)
            values[k] = v
        else:
            files.append(a)
    return values, files


def cmd_dashboards(url, args):
    values, files = vars_and_files(args)
    failures = 0
    count = 0
    for path in files:
        for e in dx.extract(path, values):
            count += 1
            expr = e["expr"]
            end = time.monotonic() + 20
            while True:
                if e["kind"] == "panel" and not e["instant"]:
                    now = time.time()
                    body = api(url, "/api/v1/query_range", query=expr,
                               start=f"{now - 20:.3f}", end=f"{now:.3f}", step="1")
                else:
                    body = api(url, "/api/v1/query", query=expr)
                if body.get("status") != "success" or body["data"]["result"] or \
                        time.monotonic() > end:
                    break
                time.sleep(POLL)
            where = f"{path} {e['where']}"
            if body.get("status") != "success":
                print(f"FAIL: {where}: {expr!r}: {body.get('errorType')}: {body.get('error')}")
                failures += 1
                continue
            result = body["data"]["result"]
            if not result:
                print(f"FAIL: {where}: {expr!r} returned no data on the fleet")
                failures += 1
                continue
            if e["kind"] == "variable":
                values_of = {r["metric"].get(e["label"]) for r in result} - {None}
                if not values_of:
                    print(f"FAIL: {where}: {expr!r} has no {e['label']} label to list")
                    failures += 1
                    continue
                print(f"ok: {where}: {len(values_of)} values of {e['label']}")
            else:
                print(f"ok: {where}: {len(result)} series")
    if failures or count == 0:
        sys.exit(f"FAIL: {failures} of {count} dashboard expressions")
    print(f"ok: all {count} dashboard expressions parse and return data")
    return 0


def series_sets(url, exprs):
    """expr -> the set of label sets it returns now (an error counts as its message)."""
    out = {}
    for expr in exprs:
        body = api(url, "/api/v1/query", query=expr)
        if body.get("status") != "success":
            out[expr] = f"error: {body.get('error')}"
            continue
        out[expr] = frozenset(tuple(sorted(r["metric"].items())) for r in body["data"]["result"])
    return out


def cmd_same(url, other, deadline, args):
    values, files = vars_and_files(args)
    exprs = sorted({e["expr"] for path in files for e in dx.extract(path, values)})
    end = time.monotonic() + float(deadline)
    while True:
        a, b = series_sets(url, exprs), series_sets(other, exprs)
        differ = [e for e in exprs if a[e] != b[e]]
        if not differ:
            print(f"ok: all {len(exprs)} dashboard expressions return the same series on both")
            return 0
        if time.monotonic() > end:
            for e in differ:
                print(f"FAIL: {e!r}:\n  {url}: {sorted(a[e]) if isinstance(a[e], frozenset) else a[e]}"
                      f"\n  {other}: {sorted(b[e]) if isinstance(b[e], frozenset) else b[e]}")
            sys.exit(f"FAIL: {len(differ)} of {len(exprs)} expressions differ between engines")
        time.sleep(POLL)


RECORDED_FLAGS = re.compile(r"kernel_taint:flag_set(\{[^}]*\})")


def samples(url, expr):
    """{label set: value} that @expr returns now (an error counts as its message)."""
    body = api(url, "/api/v1/query", query=expr)
    if body.get("status") != "success":
        return f"error: {body.get('error')}"
    return {tuple(sorted(r["metric"].items())): r["value"][1] for r in body["data"]["result"]}


def cmd_as_raw(url, deadline, args):
    """Every dashboard expression that reads the rules' recorded set flags gives the same
    series and values as the same expression on the raw flag series (kernel_taint_flag{...}
    == 1), as the panels read them before the rules recorded the flags."""
    values, files = vars_and_files(args)
    pairs = sorted({(e["expr"], RECORDED_FLAGS.sub(r"(kernel_taint_flag\1 == 1)", e["expr"]))
                    for path in files for e in dx.extract(path, values)
                    if RECORDED_FLAGS.search(e["expr"])})
    if not pairs:
        sys.exit("FAIL: no dashboard expression reads kernel_taint:flag_set")
    end = time.monotonic() + float(deadline)
    while True:
        differ = [(a, b, samples(url, a), samples(url, b)) for a, b in pairs]
        differ = [d for d in differ if d[2] != d[3] or not d[2]]
        if not differ:
            print(f"ok: {len(pairs)} expressions on the recorded set flags give what the raw "
                  "flag series give")
            return 0
        if time.monotonic() > end:
            for a, b, ra, rb in differ:
                print(f"FAIL: {a!r}: {ra}\n  as raw {b!r}: {rb}")
            sys.exit(f"FAIL: {len(differ)} of {len(pairs)} expressions differ from their raw form")
        time.sleep(POLL)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, url, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if cmd == "ready":
        return cmd_ready(url, *rest)
    if cmd == "alerts":
        return cmd_alerts(url, *rest)
    if cmd == "resolved":
        return cmd_resolved(url, *rest)
    if cmd == "dashboards":
        return cmd_dashboards(url, rest)
    if cmd == "same":
        return cmd_same(url, rest[0], rest[1], rest[2:])
    if cmd == "as-raw":
        return cmd_as_raw(url, rest[0], rest[1:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
