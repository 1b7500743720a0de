#!/usr/bin/env python3
"""Browser test of the landing page: headless Chromium, driven over WebDriver by chromedriver,
against the real exporter serving a copy of the explain-4609 fixture (value 4609, nvidia POE,
vboxdrv OE). Checks the text of the flag table and the module list as the browser renders them,
that the page loads nothing else and runs no script, that it is read fresh on each request,
and saves a screenshot as a test artifact; then a host with letters no loaded module explains
and --collector.kmsg on its log (each flag's log line and time), with its own screenshot
(SCREENSHOT_PNG with -why before .png).

Usage: test_landing.py BINARY FIXTURES_DIR SCREENSHOT_PNG

A minimal WebDriver client over HTTP (W3C WebDriver), standard library only."""

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1100,1000",
]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C element reference key

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {url}: {e.code} {e.read().decode(errors='replace')}")


class WebDriver:
    def __init__(self, port, profile):
        self.base = f"http://127.0.0.1:{port}"
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": CHROMIUM_ARGS + ["--user-data-dir=" + profile],
            },
        }}}
        self.session = http("POST", self.base + "/session", caps)["value"]["sessionId"]
        self.url = f"{self.base}/session/{self.session}"

    def cmd(self, method, path, body=None):
        return http(method, self.url + path, body)["value"]

    def get(self, url):
        self.cmd("POST", "/url", {"url": url})

    def find_all(self, css, parent=None):
        path = f"/element/{parent}/elements" if parent else "/elements"
        found = self.cmd("POST", path, {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def text(self, element):
        return self.cmd("GET", f"/element/{element}/text")

    def attribute(self, element, name):
        return self.cmd("GET", f"/element/{element}/attribute/{name}")

    def script(self, source):
        return self.cmd("POST", "/execute/sync", {"script": source, "args": []})

    def quit(self):
        http("DELETE", self.url)


def wait_for(predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError("timed out waiting for " + what)


def start_exporter(binary, root, log_path, procs, flags=()):
    log = open(log_path, "w")
    proc = subprocess.Popen([binary, "--web.listen-address=127.0.0.1:0",
                             "--path.procfs=" + os.path.join(root, "proc"),
                             "--path.sysfs=" + os.path.join(root, "sys"),
                             "--kernel.vendor=upstream", *flags],
                            stdout=log, stderr=log)
    procs.append(proc)

    def bound():
        if proc.poll() is not None:
            raise RuntimeError("exporter exited: " + open(log_path).read())
        m = re.search(r'msg="Listening on" address=127\.0\.0\.1:(\d+)', open(log_path).read())
        return m and int(m.group(1))

    return proc, wait_for(bound, "the exporter's Listening on line")


def start_chromedriver(log_path, procs):
    port = free_port()
    proc = subprocess.Popen([CHROMEDRIVER, f"--port={port}", "--log-path=" + log_path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(proc)

    def ready():
        if proc.poll() is not None:
            raise RuntimeError("chromedriver exited: " + open(log_path).read())
        try:
            return http("GET", f"http://127.0.0.1:{port}/status", timeout=2)["value"]["ready"]
        except (OSError, RuntimeError):
            return False

    wait_for(ready, "chromedriver")
    return proc, port


def table_rows(driver, css):
    return [[driver.text(td) for td in driver.find_all("td", row)]
            for row in driver.find_all(css)]


def check_page(driver, page):
    driver.get(page)
    check(driver.script("return document.title") == "taint_exporter: tainted",
          "title: " + repr(driver.script("return document.title")))
    state = driver.text(driver.find_all("#state")[0])
    check(state == "The kernel is tainted: PWO.", "state line: " + repr(state))

    flags = table_rows(driver, "#flags tbody tr")
    check(flags == [
        ["0", "P", "proprietary_module", "A proprietary (non-GPL) module was loaded"],
        ["9", "W", "warn", "The kernel issued a warning"],
        ["12", "O", "oot_module", "An externally built (out-of-tree) module was loaded"],
    ], "flag table: " + repr(flags))
    headers = [driver.text(th) for th in driver.find_all("#flags thead th")]
    check(headers == ["bit", "letter", "name", "description"], "flag headers: " + repr(headers))

    modules = sorted(table_rows(driver, "#modules tbody tr"))
    check(modules == [
        ["nvidia", "POE", "proprietary_module, oot_module, unsigned_module"],
        ["vboxdrv", "OE", "oot_module, unsigned_module"],
    ], "module table: " + repr(modules))

    # textContent: the blanks of the kernel's string are part of the answer. The fixture's
    # kernel is 6.1, which prints 19 columns (one per flag it knows).
    kernel = driver.script("return document.getElementById('kernel-string').textContent")
    check(kernel == "P        W  O      ", "kernel string: " + repr(kernel))
    layout = driver.text(driver.find_all("#layout")[0])
    check(layout.startswith("upstream"), "layout: " + repr(layout))
    version = driver.text(driver.find_all("#version")[0])
    check(re.fullmatch(r"\d+\.\d+\.\d+.*", version) is not None, "version: " + repr(version))

    links = {driver.text(a): driver.attribute(a, "href") for a in driver.find_all("nav a")}
    check(links == {"Metrics": "/metrics", "Health": "/-/healthy", "Readiness": "/-/ready"},
          "links: " + repr(links))

    # Nothing from elsewhere, nothing to run.
    # Chromium probes /favicon.ico on its own; that request is the browser's, not the page's.
    resources = [r for r in driver.script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
        if r != page + "favicon.ico"]
    check(resources == [], "the page loaded other resources: " + repr(resources))
    scripts = driver.script("return document.scripts.length")
    check(scripts == 0, f"the page has {scripts} script elements")


def check_links(driver, page):
    for text, expected in (("Metrics", "kernel_tainted 4609"), ("Health", "Healthy")):
        driver.get(page)
        link = [a for a in driver.find_all("nav a") if driver.text(a) == text][0]
        driver.cmd("POST", f"/element/{link}/click", {})
        body = wait_for(lambda: driver.script("return document.body.innerText"),
                        f"the {text} page")
        check(expected in body, f"following {text} gave: {body[:200]!r}")


def check_fresh(driver, page, root):
    """The page is read on each request: change the fixture, reload, see the change."""
    with open(os.path.join(root, "proc/sys/kernel/tainted"), "w") as f:
        f.write("0\n")
    modules = os.path.join(root, "proc/modules")
    with open(modules) as f:  # every module loaded still, none tainted
        clean = [re.sub(r" \([A-Za-z]+\)$", "", line) for line in f.read().splitlines()]
    with open(modules, "w") as f:
        f.write("".join(line + "\n" for line in clean))
    driver.get(page)
    state = driver.text(driver.find_all("#state")[0])
    check(state == "The kernel is not tainted.", "after the change, state: " + repr(state))
    check(driver.find_all("#flags") == [], "after the change, a flag table is still shown")
    none = driver.text(driver.find_all("#no-modules")[0])
    check(none == "No loaded module is tainted.", "after the change, modules: " + repr(none))

    os.remove(os.path.join(root, "proc/sys/kernel/tainted"))
    driver.get(page)
    state = driver.text(driver.find_all("#state")[0])
    check(state.startswith("Cannot read the taint file") and "unknown" in state,
          "unreadable taint file, state: " + repr(state))


def check_why_and_when(driver, binary, fixtures, tmp, procs, screenshot):
    """Why and when: the kmsg-taint-test host (12801: P W O E) after taint_test was unloaded,
    with --collector.kmsg on its log. P, O and E are no loaded module's (unattributed), and each
    set flag shows its kernel log record's kind, module and time, W its warning naming
    taint_test.c's line; the lines themselves are not shown unless asked."""
    root = os.path.join(tmp, "why")
    shutil.copytree(os.path.join(fixtures, "kmsg-taint-test"), root)
    with open(os.path.join(root, "proc/modules"), "w") as f:
        f.write("ext4 1048576 2 - Live 0x0000000000000000\n")  # taint_test unloaded
    _, port = start_exporter(binary, root, os.path.join(tmp, "why.log"), procs,
                             ["--collector.kmsg",
                              "--collector.kmsg.path=" + os.path.join(root, "kmsg")])
    page = f"http://127.0.0.1:{port}/"
    driver.get(page)
    items = [driver.text(li) for li in driver.find_all("#unattributed li")]
    check([i.split(" ", 1)[0] for i in items] == ["P", "O", "E"],
          "unattributed letters: " + repr(items))
    check(all("no loaded module carries it" in i for i in items), "unattributed words: " + repr(items))
    logged = {driver.attribute(li, "data-flag"): driver.text(li)
              for li in driver.find_all("#kernel-log li")}
    check(sorted(logged) == ["E", "O", "P", "W"], "kernel log flags: " + repr(sorted(logged)))
    w = logged.get("W", "")
    check(re.fullmatch(r"W \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC kernel warning, module taint_test, at "
                       r"/tmp/taint_test\.c:8 taint_test_init", w)
          is not None, "W's kind, module, location and time: " + repr(w))
    check(logged.get("P", "").endswith("UTC module license, module taint_test"),
          "P's kind and module: " + repr(logged.get("P")))
    # The lines themselves (kernel addresses, at times) only with
    # --web.landing-page.kernel-log-lines: this page has no auth by default.
    check(not any("taints kernel" in v or "+0xe/0x1000" in v for v in logged.values()),
          "a kernel log line on the page by default: " + repr(logged))
    png = base64.b64decode(driver.cmd("GET", "/screenshot"))
    check(png.startswith(b"\x89PNG\r\n\x1a\n"), "the why-and-when screenshot is not a PNG")
    with open(screenshot, "wb") as f:
        f.write(png)
    print(f"screenshot: {screenshot} ({len(png)} bytes)")


def main():
    binary, fixtures, screenshot = sys.argv[1:4]
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            print(f"FAIL: {tool} not found; install the Debian packages chromium and "
                  "chromium-driver", file=sys.stderr)
            return 1
    tmp = tempfile.mkdtemp(prefix="taint-browser-")
    procs = []
    driver = None
    try:
        root = os.path.join(tmp, "root")
        shutil.copytree(os.path.join(fixtures, "explain-4609"), root)
        _, port = start_exporter(binary, root, os.path.join(tmp, "exporter.log"), procs)
        _, driver_port = start_chromedriver(os.path.join(tmp, "chromedriver.log"), procs)
        driver = WebDriver(driver_port, os.path.join(tmp, "profile"))
        page = f"http://127.0.0.1:{port}/"

        check_page(driver, page)
        driver.get(page)
        png = base64.b64decode(driver.cmd("GET", "/screenshot"))
        check(png.startswith(b"\x89PNG\r\n\x1a\n"), "the screenshot is not a PNG")
        os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
        with open(screenshot, "wb") as f:
            f.write(png)
        print(f"screenshot: {screenshot} ({len(png)} bytes)")
        check_links(driver, page)
        check_fresh(driver, page, root)
        check_why_and_when(driver, binary, fixtures, tmp, procs,
                           re.sub(r"(\.png)?$", "-why.png", screenshot, count=1))
    finally:
        if driver:
            try:
                driver.quit()
            except (OSError, RuntimeError) as e:
                print("warning: closing the session: " + str(e), file=sys.stderr)
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("browser: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
