#!/usr/bin/env python3
"""Every OpenMetrics answer through a strict parser: the OpenMetrics goldens, and a live
scrape (Accept: application/openmetrics-text) of each kind of host, with --collector.kmsg so
that the counter is in it. prometheus_client's parser refuses what OpenMetrics 1.0 refuses,
such as a counter's family named with _total; Prometheus and promtool accept that, so they
cannot be the check.

Usage: openmetrics_strict.py EXPORTER GOLDEN_DIR FIXTURES_DIR
"""
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
except ImportError:
    # Debian's python3-prometheus-client is for Debian's python3: use it under another.
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("FAIL: no prometheus_client: install the Debian package python3-prometheus-client")


def parse(what, text, problems):
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others on what it refuses
        problems.append(f"{what}: {e}")
        return
    print(f"ok {what}: {len(families)} families")


def scrape(exporter, args, tmp):
    log = f"{tmp}/log"
    p = subprocess.Popen([exporter, "--web.listen-address=127.0.0.1:0"] + args,
                         stderr=open(log, "w"))
    try:
        for _ in range(200):
            m = re.search(r'address=127\.0\.0\.1:(\d+)', open(log).read())
            if m:
                break
            time.sleep(0.02)
        else:
            sys.exit(f"FAIL: the exporter did not start: {open(log).read()}")
        req = urllib.request.Request(f"http://127.0.0.1:{m.group(1)}/metrics",
                                     headers={"Accept": "application/openmetrics-text"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.headers["Content-Type"].startswith("application/openmetrics-text"), \
                r.headers["Content-Type"]
            return r.read().decode()
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=10)


def main():
    exporter, golden, fixtures = sys.argv[1:4]
    problems = []
    for path in sorted(glob.glob(f"{golden}/openmetrics-*.txt")):
        parse(os.path.basename(path), open(path).read(), problems)
    tree = f"{fixtures}/kmsg-taint-test"
    with tempfile.TemporaryDirectory(prefix="taint-om-") as tmp:
        parse("a live scrape with --collector.kmsg",
              scrape(exporter, [f"--path.procfs={tree}/proc", f"--path.sysfs={tree}/sys",
                                "--collector.kmsg", f"--collector.kmsg.path={tree}/kmsg"], tmp),
              problems)
        parse("a live scrape of a RHEL 8 host",
              scrape(exporter, [f"--path.procfs={fixtures}/vendor-rhel8/proc",
                                f"--path.sysfs={fixtures}/vendor-rhel8/sys"], tmp), problems)
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
