#!/usr/bin/env python3
"""The scenarios of the kernel test bed, run as root inside the guest that tests/kernel/run boots.

    guest.py kernel    scenarios 1-6: untainted boot, the test module loaded, a WARN, the
                       module unloaded while its taint file is held, a bit written by root,
                       about 100 real modules of the image loaded
    guest.py alerts    scenario 7: a real Prometheus with the project's rules (the fast copy)
                       scraping the exporter through a module load and a WARN

Everything the guest runs comes from the share mounted on /mnt: the exporter built by meson,
the project's .deb (unpacked into the guest's own /tmp), taint_test.ko and rules.yml, and
kernel.json (which kernel of tests/kernel/kernels this is). Every exporter runs as nobody
(uid 65534), as on a host. Expected values are read from the kernel itself
(/proc/sys/kernel/tainted, /sys/module/*/taint, /proc/modules and the kernel log), and checked
against what the kernel facts say they must be (the test module's letters are POE).

Where taint_test could not be built for the kernel (sid's headers want a newer compiler than
Debian 12's), the module that taints is a staging driver of the image itself (C), and W, which
only taint_test raises, is not tested: the guest says which letters it tested. The default
kernel also measures the cost of a scrape and wraps the kernel log; every kernel ends by
setting every bit it knows, which finds a flag the exporter's table does not know.

Each check prints "ok ..." or "FAIL ...: expected ..., got ..."; at the end /mnt/status-PHASE
holds 0 when every check passed. The guest powers off afterwards whatever happened, and every
process started here is stopped before that.
"""
import errno
import html.parser
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

SHARE = "/mnt"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
# nobody with CAP_SYSLOG alone, as the systemd unit's drop-in for --collector.kmsg grants it:
# what reading /dev/kmsg needs where kernel.dmesg_restrict is 1 (Debian's kernels).
NOBODY_SYSLOG = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                 "--inh-caps=+syslog", "--ambient-caps=+syslog", "--"]
TEST_MODULE = "taint_test"
KERNEL = json.load(open(f"{SHARE}/kernel.json"))  # {"name": ..., "default": ...}
HAVE_TEST_MODULE = os.path.exists(f"{SHARE}/{TEST_MODULE}.ko")
# What loading taint_test must set, from the kernel's own rules: a proprietary license (P), built
# out of tree (O), unsigned (E). KERNEL_TEST_EXPECT_LETTERS on the host (tests/kernel/run puts
# it in the share) replaces it, to see a wrong expectation fail the step with the guest's output.
TEST_MODULE_LETTERS = (open(f"{SHARE}/expect-letters").read().strip()
                       if os.path.exists(f"{SHARE}/expect-letters") else "POE")
# The letters of the upstream bits as the kernel prints them (kernel/panic.c taint_flags[]), as
# exporter/decode/taint_table.c has them.
UPSTREAM_LETTERS = "PFSRMBUDAWCIOELKXTNJ"
# Where a bit the exporter does not know is to be added.
TABLE_FILES = ("exporter/decode/taint_table.c (upstream_bits, upstream_columns), the release "
               "that added it to exporter/decode/taint.c (upstream_columns), and its letter to "
               "tests/kernel/guest.py (UPSTREAM_LETTERS)")
LETTER_BIT = {c: b for b, c in enumerate(UPSTREAM_LETTERS)}
# The flags a module can carry: kernel/panic.c taint_flags[] entries whose module field is true.
MODULE_LETTERS = "PFCOEKXTNJ"
# About 100 modules of the image that load on a virtual machine without hardware, without
# pulling in crypto self-tests (they flood the log and, under TCG, one of them WARNs) and
# without tainting anything: every NLS codepage, some filesystems, network devices and
# netfilter matches. modprobe loads their dependencies too.
MANY_MODULES = (
    [f"nls_cp{n}" for n in (437, 737, 775, 850, 852, 855, 857, 860, 861, 862, 863, 864, 865,
                            866, 869, 874, 932, 936, 949, 950, 1250, 1251, 1255)]
    + [f"nls_iso8859_{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 13, 14, 15)]
    + ["nls_ascii", "nls_koi8_r", "nls_koi8_u", "nls_utf8", "nls_euc_jp"]
    + ["fat", "vfat", "msdos", "isofs", "udf", "minix", "hfs", "hfsplus", "squashfs", "romfs",
       "ufs", "qnx4", "qnx6", "efs", "befs", "jfs", "nilfs2", "omfs", "sysv", "exfat", "fuse",
       "overlay", "autofs4", "binfmt_misc"]
    + ["dummy", "veth", "tun", "macvlan", "ipvlan", "8021q", "bridge", "bonding", "vxlan",
       "geneve", "ifb", "nlmon", "vcan", "can_raw", "can_bcm"]
    + ["xt_comment", "xt_mark", "xt_tcpudp", "xt_multiport", "xt_length", "xt_limit", "xt_mac",
       "xt_pkttype", "xt_owner", "xt_time", "xt_u32", "xt_string", "ts_bm", "ts_kmp", "ts_fsm"]
)

failures = []
processes = []


STARTED = time.monotonic()


def section(title):
    """A scenario's title, with the guest's seconds so far: where a slow run spends its time."""
    print(f"{title} (at {time.monotonic() - STARTED:.0f} s)", flush=True)


def ok(what):
    print(f"ok {what}", flush=True)


def fail(what):
    failures.append(what)
    print(f"FAIL {what}", flush=True)


def expect(what, expected, got):
    if expected == got:
        ok(what)
    else:
        fail(f"{what}: expected {expected!r}, got {got!r}")
    return expected == got


def run(*argv, check=True, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: "
                           f"{result.stderr.strip()}{result.stdout.strip()}")
    return result


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def kmsg(text):
    """A line of ours in the kernel log, to tell our records from earlier ones."""
    with open("/dev/kmsg", "w") as f:
        f.write(f"taint-kernel-test: {text}\n")


# --- the kernel's own account ---------------------------------------------------------------

class KernelState:
    """What the kernel says now: the value, and each module's letters from both sources."""

    def __init__(self):
        self.value = int(read("/proc/sys/kernel/tainted"))
        self.modules = {}  # module -> letters, non-empty only, from /sys/module/*/taint
        for name in os.listdir("/sys/module"):
            try:
                letters = read(f"/sys/module/{name}/taint").strip()
            except (FileNotFoundError, NotADirectoryError):
                continue  # built in: no taint file (6.12 has a file, /sys/module/compression)
            if letters:
                self.modules[name] = letters
        self.proc_modules = {}  # the same from /proc/modules' "(POE)"
        self.loaded = 0
        for line in read("/proc/modules").splitlines():
            self.loaded += 1
            m = re.search(r" \(([A-Za-z]+)[+-]?\)$", line) or re.search(r" \(([A-Za-z]+)\)", line)
            if m:
                self.proc_modules[line.split()[0]] = m.group(1)

    def letters(self):
        return "".join(UPSTREAM_LETTERS[b] if b < len(UPSTREAM_LETTERS) else "?"
                       for b in range(64) if self.value >> b & 1)

    def module_series(self):
        return {(m, c) for m, letters in self.modules.items() for c in letters}

    def unattributed(self):
        """bit -> 1.0 or 0.0 for each set bit a module can carry: 1.0 when no loaded module
        carries its letter (for an unknown bit: no loaded module carries an unknown letter)."""
        carried = set("".join(self.modules.values()))
        unknown_carried = bool(carried - set(UPSTREAM_LETTERS))
        out = {}
        for b in range(64):
            if not self.value >> b & 1:
                continue
            if b >= len(UPSTREAM_LETTERS):
                out[b] = 0.0 if unknown_carried else 1.0
            elif UPSTREAM_LETTERS[b] in MODULE_LETTERS:
                out[b] = 0.0 if UPSTREAM_LETTERS[b] in carried else 1.0
        return out


def release_at_least(major, minor):
    m = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return (int(m.group(1)), int(m.group(2))) >= (major, minor)


def kernel_header():
    """(string, verbose) the kernel itself prints in a stack dump's header: the string after
    "Tainted:", and the second line 6.10 and later print, "Tainted: [P]=PROPRIETARY_MODULE,
    ..." (None where there is none). taint_test's dump parameter logs a stack dump without
    setting any bit; without taint_test, sysrq's "l" (a backtrace of every CPU, which dumps the
    writing CPU's stack with the same header)."""
    marker = f"dump {time.monotonic()}"
    kmsg(marker)
    if HAVE_TEST_MODULE and os.path.exists(f"/sys/module/{TEST_MODULE}"):
        with open(f"/sys/module/{TEST_MODULE}/parameters/dump", "w") as f:
            f.write("1")
    else:
        with open("/proc/sysrq-trigger", "w") as f:
            f.write("l")
    release = read("/proc/sys/kernel/osrelease").strip()
    header = re.compile(r"Tainted: (.*) " + re.escape(release) + " ")
    deadline = time.monotonic() + 10
    while True:  # the other CPUs' backtraces come through NMIs, a moment later
        log = run("dmesg").stdout
        log = log[log.rindex(marker):]
        m = header.search(log)
        if m or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if not m:
        raise RuntimeError(f"no 'Tainted:' header after the dump in the kernel log:\n{log}")
    rest = log[m.end():].split("\n", 2)
    v = re.match(r"^\[[^\]]*\] Tainted: (\[.*)$", rest[1]) if len(rest) > 1 else None
    return m.group(1), v.group(1) if v else None


def verbose_line(samples):
    """The second Tainted: line the exporter's kernel_taint_flag series say the kernel prints:
    "[letter]=NAME" for each set bit, NAME being the kernel's TAINT_ constant (kernel/panic.c's
    TAINT_FLAG() desc), which is the exporter's flag_name in capitals."""
    flags = sorted((int(l["bit"]), l["flag"], l["flag_name"]) for n, l, v in samples
                   if n == "kernel_taint_flag" and v == 1)
    return ", ".join(f"[{flag}]={name.upper()}" for _, flag, name in flags)


def check_header(where, exporters, header):
    """The kernel's second Tainted: line, where it prints one, against each exporter's flags."""
    string, verbose = header
    tainted = string.strip() != "Not tainted"
    expect(f"{where}: the kernel prints a second Tainted: line (6.10 on, when tainted)",
           release_at_least(6, 10) and tainted, verbose is not None)
    if verbose is None:
        return
    # kernel/panic.c _print_tainted() of 6.10 writes "Tainted: " and the list into a buffer of
    # sizeof(taint_flags): 16 bytes a flag on a 64-bit kernel, the NUL included, so with many
    # flags set the kernel cuts its own line short (at "[T]=RANDSTR" with all 19 of 6.12).
    # Later kernels size the buffer for the whole line (INIT_TAINT_BUF_MAX, then allocated):
    # 7.2 prints all 20. The kernel's line is the exporter's, whole or cut at that size.
    room = 16 * len(string) - 1 - len("Tainted: ")
    for e in exporters:
        whole = verbose_line(parse_exposition(e.get("/metrics")[2]))
        cut = len(verbose) < len(whole) and len(verbose) == room
        expect(f"{where} [{e.label}]: the kernel's second Tainted: line, from the flags"
               f"{f' (cut, as the kernel cuts it, at {room} characters)' if cut else ''}",
               whole[:room] if cut else whole, verbose)


# --- the exporter ---------------------------------------------------------------------------

class Exporter:
    """One taint_exporter process, run as nobody on the guest's loopback."""

    def __init__(self, label, binary, args=(), user=NOBODY, warnings=()):
        self.label = label
        self.binary = binary
        self.user = user
        self.warnings = warnings  # the warnings its log must hold, and may
        self.log_path = f"/tmp/{label}.log"
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(user + [binary, "--web.listen-address=127.0.0.1:0", *args],
                                     stdout=log, stderr=log)
        processes.append(self.proc)
        deadline = time.monotonic() + 30
        self.port = None
        while self.port is None:
            m = re.search(r'msg="Listening on" address=127\.0\.0\.1:(\d+)', read(self.log_path))
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{label} did not start:\n{read(self.log_path)}")
            else:
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path, accept=None):
        req = urllib.request.Request(self.url + path)
        if accept:
            req.add_header("Accept", accept)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read().decode()

    def held(self, path):
        """How many of the exporter's file descriptors are open on @path."""
        fds = f"/proc/{self.proc.pid}/fd"
        held = 0
        for fd in os.listdir(fds):
            try:
                held += os.readlink(f"{fds}/{fd}") == path
            except FileNotFoundError:
                pass
        return held

    def one_shot(self, *args):
        return run(*self.user, self.binary, *args, check=False)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=10)
        expect(f"{self.label}: exits 0 on SIGTERM", 0, rc)
        lines = read(self.log_path).splitlines()
        bad = [line for line in lines
               if "level=error" in line or ("level=warn" in line and "Running as root" not in line
                                            and not any(w in line for w in self.warnings))]
        expect(f"{self.label}: no other warning or error in its log", [], bad)
        for w in self.warnings:
            expect(f"{self.label}: its log says once {w!r}", 1,
                   sum(w in line for line in lines))


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """[(name, {label: value}, float)] of every sample line."""
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError(f"not a sample line: {line!r}")
        samples.append((m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return samples


def check_exposition(where, text, state):
    """Every series the exposition must have for this kernel state, and no other taint series."""
    samples = parse_exposition(text)

    def values(name):
        return [(labels, v) for n, labels, v in samples if n == name]

    expect(f"{where}: kernel_tainted", [state.value], [v for _, v in values("kernel_tainted")])
    flags = {int(labels["bit"]): (labels["flag"], v) for labels, v in values("kernel_taint_flag")}
    want = {b: (UPSTREAM_LETTERS[b], float(state.value >> b & 1)) for b in range(20)}
    want.update({b: ("?", 1.0) for b in range(20, 64) if state.value >> b & 1})
    expect(f"{where}: kernel_taint_flag (bit: letter, value)", want, flags)
    expect(f"{where}: kernel_taint_info flags", [state.letters()],
           [labels["flags"] for labels, _ in values("kernel_taint_info")])
    expect(f"{where}: kernel_taint_flag_unattributed (bit: value)", state.unattributed(),
           {int(labels["bit"]): v for labels, v in values("kernel_taint_flag_unattributed")})
    modules = values("kernel_module_taint_flag")
    expect(f"{where}: kernel_module_taint_flag series are the letters of /sys/module/*/taint",
           sorted(state.module_series()), sorted((l["module"], l["flag"]) for l, _ in modules))
    expect(f"{where}: every module series is 1 and its bit matches its letter", [],
           [l for l, v in modules if v != 1 or l["bit"] != str(LETTER_BIT.get(l["flag"], "?"))])
    for name, value in (("taint_exporter_scrape_success", 1), ("taint_exporter_module_read_errors", 0),
                        ("taint_exporter_modules_omitted", 0)):
        expect(f"{where}: {name}", [value], [v for _, v in values(name)])
    expect(f"{where}: kernel_taint_layout_info", [{"layout": "upstream"}],
           [labels for labels, _ in values("kernel_taint_layout_info")])


class Landing(html.parser.HTMLParser):
    """The parts of the landing page that carry state: elements by id, and table rows."""

    def __init__(self):
        super().__init__()
        self.by_id, self.tables, self.state_class = {}, {}, None
        self._id = self._table = None
        self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "state":
            self.state_class = attrs.get("class")
        if tag == "table":
            self._table = attrs.get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = ""
        elif "id" in attrs:
            self._id = attrs["id"]
            self.by_id[self._id] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "td" and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag in ("code", "dd", "p"):
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._id:
            self.by_id[self._id] += data


def check_landing(where, page, state, kernel_string):
    p = Landing()
    p.feed(page)
    expect(f"{where}: state", "state tainted" if state.value else "state ok", p.state_class)
    expect(f"{where}: raw value", str(state.value), p.by_id.get("raw-value"))
    expect(f"{where}: layout", "upstream", (p.by_id.get("layout") or "").split(" ")[0])
    expect(f"{where}: set flags table (bit, letter)",
           [[str(b), UPSTREAM_LETTERS[b]] for b in range(20) if state.value >> b & 1],
           [row[:2] for row in p.tables.get("flags", [])])
    expect(f"{where}: tainted modules table", sorted(state.modules.items()),
           sorted((row[0], row[1]) for row in p.tables.get("modules", [])))
    unexplained = [UPSTREAM_LETTERS[b] for b, v in state.unattributed().items()
                   if v and b < len(UPSTREAM_LETTERS)]
    expect(f"{where}: the flags said to be explained by no loaded module", unexplained,
           re.findall(r"<li><code>(.)</code> \([a-z_]+\) is set but no loaded module carries it",
                      page))
    if kernel_string is not None:
        expect(f"{where}: kernel string equals the kernel's own", kernel_string,
               p.by_id.get("kernel-string"))


def check_explain(where, exporter, state, kernel_string):
    result = exporter.one_shot("--explain", "--format=json")
    expect(f"{where} --explain --format=json: exit status", 0, result.returncode)
    j = json.loads(result.stdout)
    expect(f"{where} --explain json: value", state.value, j["value"])
    expect(f"{where} --explain json: tainted", state.value != 0, j["tainted"])
    expect(f"{where} --explain json: flags", state.letters(), j["flags"])
    expect(f"{where} --explain json: bits", [(b, UPSTREAM_LETTERS[b]) for b in range(20)
                                             if state.value >> b & 1],
           [(bit["bit"], bit["flag"]) for bit in j["bits"]])
    expect(f"{where} --explain json: modules", sorted(state.modules.items()),
           sorted((m["module"], m["flags"]) for m in j["modules"]))
    expect(f"{where} --explain json: module_read_errors", 0, j["module_read_errors"])
    expect(f"{where} --explain json: unattributed",
           sorted(b for b, v in state.unattributed().items() if v),
           sorted(u["bit"] for u in j["unattributed"]))
    if kernel_string is not None:
        expect(f"{where} --explain json: kernel string equals the kernel's own", kernel_string,
               j["kernel_string"])

    result = exporter.one_shot("--explain")
    expect(f"{where} --explain: exit status", 0, result.returncode)
    text = result.stdout
    expect(f"{where} --explain: first line",
           "The kernel is tainted." if state.value else "The kernel is not tainted.",
           text.splitlines()[0])
    m = re.search(r"^  value: +(\d+) ", text, re.M)
    expect(f"{where} --explain: value", state.value, int(m.group(1)) if m else None)
    m = re.search(r'^  flags: +(\S*)$', text, re.M)
    expect(f"{where} --explain: flags", state.letters() or "(none)", m.group(1) if m else None)
    listed = {}
    if "\nTainted modules:\n" in text:  # a table; "Tainted modules: none" otherwise
        for line in text.split("\nTainted modules:\n", 1)[1].splitlines()[1:]:
            if not line.startswith("  ") or not line.strip():
                break
            cols = line.split()
            listed[cols[0]] = cols[1]
    elif "\nTainted modules: none\n" not in text:
        fail(f"{where} --explain: no 'Tainted modules:' section in:\n{text}")
    expect(f"{where} --explain: tainted modules", state.modules, listed)
    if kernel_string is not None:
        m = re.search(r'^  string: +"(.*)"  \(', text, re.M)
        expect(f"{where} --explain: kernel string equals the kernel's own", kernel_string,
               m.group(1) if m else None)


def check_textfile(where, exporter, state):
    os.makedirs("/tmp/textfile", exist_ok=True)
    os.chown("/tmp/textfile", 65534, 65534)
    path = "/tmp/textfile/taint.prom"
    result = exporter.one_shot(f"--write-textfile={path}")
    expect(f"{where} --write-textfile: exit status", 0, result.returncode)
    check_exposition(f"{where} --write-textfile", read(path), state)


def check_everything(scenario, exporters, kernel_string=None):
    """Every interface of every exporter against the kernel's state, read just before."""
    state = KernelState()
    expect(f"{scenario}: /proc/modules and /sys/module/*/taint agree", state.modules,
           state.proc_modules)
    for e in exporters:
        where = f"{scenario} [{e.label}]"
        status, ctype, body = e.get("/metrics")
        expect(f"{where} /metrics: status", 200, status)
        check_exposition(f"{where} /metrics", body, state)
        status, ctype, body = e.get("/metrics", "application/openmetrics-text; version=1.0.0")
        expect(f"{where} /metrics (OpenMetrics): content type",
               "application/openmetrics-text", ctype.split(";")[0])
        expect(f"{where} /metrics (OpenMetrics): ends in # EOF", "# EOF", body.rstrip("\n")[-5:])
        check_exposition(f"{where} /metrics (OpenMetrics)", body, state)
        status, ctype, body = e.get("/")
        check_landing(f"{where} landing page", body, state, kernel_string)
        check_explain(where, e, state, kernel_string)
        check_textfile(where, e, state)
    return state


# --- the kernel log's account (--collector.kmsg) ----------------------------------------------

def kernel_records():
    """[(seq, ts_usec, message)] of every record now in the kernel log, read as root from
    /dev/kmsg the way the exporter reads it (one record per read, EAGAIN at the end)."""
    records = []
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    try:
        while True:
            try:
                rec = os.read(fd, 8192).decode(errors="replace")
            except BlockingIOError:
                break
            except BrokenPipeError:
                continue  # overwritten meanwhile: the next read gives the oldest left
            head, _, text = rec.partition(";")
            fields = head.split(",")
            records.append((int(fields[1]), int(fields[2]), text.split("\n", 1)[0]))
    finally:
        os.close(fd)
    return records


def boot_wall_s():
    """Wall-clock seconds of boot, as the exporter reckons it (CLOCK_REALTIME - BOOTTIME)."""
    return time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_BOOTTIME)


def logged(e, want_flags, deadline_s=10):
    """flag -> (labels, time) of e's kernel_taint_flag_first_logged_* series, once every flag
    of @want_flags has one (the reader follows the log on its own thread)."""
    deadline = time.monotonic() + deadline_s
    while True:
        samples = parse_exposition(e.get("/metrics")[2])
        info = {l["flag"]: l for n, l, v in samples if n == "kernel_taint_flag_first_logged_info"}
        times = {l["flag"]: v for n, l, v in samples
                 if n == "kernel_taint_flag_first_logged_timestamp_seconds"}
        if set(want_flags) <= set(info) or time.monotonic() > deadline:
            return {f: (info[f], times.get(f)) for f in info}, samples
        time.sleep(0.1)


def check_kmsg_account(scenario, e, state, module):
    """e's account against the kernel's own records: each of the module's letters from its load
    with its name (P, O and E for taint_test, C for a staging driver), W from taint_test's
    warning with taint_test.c's file and line, each at boot + the record's time."""
    records = kernel_records()
    first = {}
    name = re.escape(module.name)
    for seq, ts, text in records:
        for flag, pattern in (("O", rf"^{name}: loading out-of-tree module taints kernel\.$"),
                              ("P", rf"^{name}: module license '.*' taints kernel\.$"),
                              ("E", rf"^{name}: module verification failed: "),
                              ("C", rf"^{name}: module is from the staging directory"),
                              ("W", r"^WARNING: CPU: \d+ PID: \d+ at (\S*taint_test\.c:\d+) "
                                    r"(\w+)\+.*\[taint_test\]$")):
            m = re.search(pattern, text)
            if m and flag not in first:
                first[flag] = (ts, text, m)
    want = [f for f in module.letters + "W" if state.value >> LETTER_BIT[f] & 1]
    expect(f"{scenario}: the kernel logged a record for each of {want}", want,
           [f for f in want if f in first])
    got, samples = logged(e, want)
    boot = boot_wall_s()
    for f in want:
        if f not in first:
            continue
        ts, text, m = first[f]
        labels, when = got.get(f, ({}, None))
        expect(f"{scenario} [{e.label}]: {f}'s record names the module",
               TEST_MODULE if f == "W" else module.name, labels.get("module"))
        if f == "W":
            expect(f"{scenario} [{e.label}]: W's location is taint_test.c's file, line and "
                   f"function", f"{m.group(1)} {m.group(2)}", labels.get("location"))
        expect(f"{scenario} [{e.label}]: {f} logged at boot + {ts / 1e6:.6f} s (within 1 s)",
               True, when is not None and abs(when - (boot + ts / 1e6)) < 1.0)
    expect(f"{scenario} [{e.label}]: collector up", [1.0],
           [v for n, l, v in samples if n == "taint_exporter_collector_up"])
    return first


# --- the phases -----------------------------------------------------------------------------

def start_exporters():
    run("dpkg-deb", "-x", f"{SHARE}/taint-exporter.deb", "/tmp/deb")
    return [Exporter("built", f"{SHARE}/taint_exporter"),
            Exporter("deb", "/tmp/deb/usr/bin/taint_exporter")]


def process_cpu_s(pid):
    """Time on CPU of every thread of @pid, in seconds, to the nanosecond (schedstat; the
    clock ticks of /proc/PID/stat would be too coarse for a few hundred requests)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(read(f"/proc/{pid}/task/{tid}/schedstat").split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended
    return total / 1e9


def cpu_per_request(e, path, requests):
    """The exporter's CPU time (us) per GET of @path, on one kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10)
    for i in range(requests // 10 + requests):
        if i == requests // 10:  # after a warm-up
            before = process_cpu_s(e.proc.pid)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"cost: GET {path} answered {resp.status}")
    conn.close()
    return (process_cpu_s(e.proc.pid) - before) * 1e6 / requests


def measure_cost(label, rounds=7, requests=500, iterations=500):
    """The exporter's CPU time per scrape on this kernel against a bare C loop that does only
    the reads of each way of reading module taint (read_loop.c): what the kernel interface
    costs, the floor. The CPU of a /-/healthy request, which reads nothing, is the HTTP part
    of a scrape. Everything runs as nobody. The four are measured in turn, round after round,
    and each figure and each ratio is the median over the rounds: a guest's CPU time swells
    when this machine is busy, and measuring side by side keeps the ratios fair. Figures
    only: under TCG they are relative (docs/development.md quotes them); the benchmark holds the
    targets."""
    loaded = len(read("/proc/modules").splitlines())
    entries = len(os.listdir("/sys/module"))
    e = Exporter(f"cost-{label}", f"{SHARE}/taint_exporter")
    seen = {"procmodules": [], "sysfs": [], "scrape": [], "healthy": []}
    for _ in range(rounds):
        for way in ("procmodules", "sysfs"):
            out = run(*NOBODY, f"{SHARE}/read_loop", way, str(iterations)).stdout.split()
            seen[way].append(float(out[2]))
        seen["scrape"].append(cpu_per_request(e, "/metrics", requests))
        seen["healthy"].append(cpu_per_request(e, "/-/healthy", requests))
    e.stop()
    med = {k: statistics.median(v) for k, v in seen.items()}
    whole = statistics.median(s / f for s, f in zip(seen["scrape"], seen["procmodules"]))
    rest = statistics.median((s - h) / f for s, h, f in
                             zip(seen["scrape"], seen["healthy"], seen["procmodules"]))
    print(f"cost {label}: {loaded} loaded modules, {entries} entries in /sys/module; CPU per "
          f"scrape, medians of {rounds} rounds: bare reads /proc/modules way "
          f"{med['procmodules']:.0f} us, sysfs way {med['sysfs']:.0f} us; exporter "
          f"{med['scrape']:.0f} us ({whole:.2f}x the bare reads of its way), of which HTTP "
          f"{med['healthy']:.0f} us (a /-/healthy request) and the rest "
          f"{med['scrape'] - med['healthy']:.0f} us ({rest:.2f}x the bare reads); "
          f"{requests} requests and {iterations} loop iterations a round; exporter/bare by "
          f"round: {', '.join(f'{s / f:.2f}' for s, f in zip(seen['scrape'], seen['procmodules']))}")


class TaintingModule:
    """The module that taints the kernel: taint_test where it was built for this kernel (P, O
    and E), else the first staging driver of the image that loads without its hardware (C)."""

    def __init__(self):
        if HAVE_TEST_MODULE:
            self.name, self.letters = TEST_MODULE, TEST_MODULE_LETTERS
            return
        release = os.uname().release
        staging = []
        for d, _, files in os.walk(f"/lib/modules/{release}/kernel/drivers/staging"):
            staging += sorted(re.sub(r"\.ko(\.\w+)?$", "", f) for f in files if ".ko" in f)
        for name in staging:
            if run("modprobe", name, check=False).returncode == 0:
                self.name = name.replace("-", "_")
                self.letters = "C"
                run("rmmod", self.name)
                print(f"note the tainting module: {self.name}, a staging driver of the image")
                return
        raise RuntimeError(f"no staging module of {release} loads: {staging}")

    def load(self):
        if HAVE_TEST_MODULE:
            run("insmod", f"{SHARE}/{TEST_MODULE}.ko")
        else:
            run("modprobe", self.name)

    def value(self):
        return sum(1 << LETTER_BIT[c] for c in self.letters)


def phase_kernel():
    exporters = start_exporters()
    print(f"guest: kernel {os.uname().release} ({KERNEL['name']}, {os.uname().machine}), "
          f"exporters {[e.label for e in exporters]}")
    expect("kernel.dmesg_restrict is 1, as Debian's kernel is configured", "1",
           read("/proc/sys/kernel/dmesg_restrict").strip())
    # --collector.kmsg, following the log from before the module loads: with CAP_SYSLOG, and
    # without it (the collector is off and says so).
    kmsg_on = Exporter("kmsg", f"{SHARE}/taint_exporter", ["--collector.kmsg"], NOBODY_SYSLOG)
    kmsg_off = Exporter("kmsg-nocap", f"{SHARE}/taint_exporter", ["--collector.kmsg"],
                        warnings=["The kmsg collector is off"])
    samples = parse_exposition(kmsg_off.get("/metrics")[2])
    expect("kmsg without CAP_SYSLOG: taint_exporter_collector_up{collector=\"kmsg\"} 0", [0.0],
           [v for n, l, v in samples if n == "taint_exporter_collector_up"])
    expect("kmsg without CAP_SYSLOG: its log says why",
           True, 'err="reading the kernel log needs CAP_SYSLOG where kernel.dmesg_restrict is 1"'
           in read(kmsg_off.log_path))
    expect("kmsg without CAP_SYSLOG: the other metrics are served", True,
           any(n == "kernel_tainted" for n, l, v in samples))

    if KERNEL["default"]:
        section("---- cost at boot (the initramfs' modules)")
        measure_cost("boot")

    section("---- 1. untainted boot")
    state = check_everything("1 untainted", exporters)
    expect("1 untainted: the kernel's value", 0, state.value)
    expect("1 untainted: no tainted module", {}, state.modules)

    module = TaintingModule()
    section(f"---- 2. the tainting module: {module.name}")
    module.load()
    expect(f"2 module: /sys/module/{module.name}/taint", module.letters,
           read(f"/sys/module/{module.name}/taint").strip())
    header = kernel_header()
    print(f"note kernel log: Tainted: {header[0]!r}, then {header[1]!r}")
    state = check_everything("2 module", exporters, header[0])
    check_header("2 module", exporters, header)
    expect(f"2 module: the kernel's value has {module.letters}", module.value(), state.value)
    for e in exporters:
        samples = parse_exposition(e.get("/metrics")[2])
        expect(f"2 module [{e.label}]: {module.name} explains {module.letters} (unattributed 0)",
               {c: 0.0 for c in module.letters},
               {l["flag"]: v for n, l, v in samples if n == "kernel_taint_flag_unattributed"})

    if HAVE_TEST_MODULE:
        section("---- 3. a WARN")
        with open(f"/sys/module/{TEST_MODULE}/parameters/warn", "w") as f:
            f.write("1")
        for e in exporters:  # the very next scrape
            samples = parse_exposition(e.get("/metrics")[2])
            expect(f"3 warn [{e.label}]: W on the next scrape", [1.0],
                   [v for n, l, v in samples if n == "kernel_taint_flag" and l["flag"] == "W"])
        header = kernel_header()
        state = check_everything("3 warn", exporters, header[0])
        check_header("3 warn", exporters, header)
        expect("3 warn: the kernel's value has W", 512, state.value & 512)
        log = run("dmesg").stdout
        expect("3 warn: the kernel logged the warning with the module's file", True,
               bool(re.search(r"WARNING: CPU: \d+ PID: \d+ at \S*taint_test\.c:\d+ .*\[taint_test\]", log)))
    else:
        print(f"note 3 warn: not tested on {KERNEL['name']}: only taint_test raises a WARN, and it "
              "cannot be built for this kernel here")
    check_kmsg_account("3 kernel log", kmsg_on, state, module)
    # Started now, a second reader finds the same records from the oldest in the ring buffer.
    late = Exporter("kmsg-late", f"{SHARE}/taint_exporter", ["--collector.kmsg"], NOBODY_SYSLOG)
    check_kmsg_account("3 kernel log, started after", late, state, module)
    if HAVE_TEST_MODULE:
        explain = late.one_shot("--collector.kmsg", "--explain")
        expect("3 warn: --explain shows W's log line", True,
               bool(re.search(r"^  W  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  WARNING: CPU: \d+ PID: \d+ "
                              r"at \S*taint_test\.c:\d+ ", explain.stdout, re.M)))
        page = late.get("/")[2]
        expect("3 warn: the landing page shows W's record: kind, module, location", True,
               bool(re.search(r'<li data-flag="W"><code>W</code> <time>[^<]+</time> kernel warning, '
                              r'module <code>taint_test</code>, at <code>\S*taint_test\.c:\d+ ', page)))
        expect("3 warn: the landing page hides the log line itself by default", False,
               'class="log-line"' in page)
    late.stop()
    explain = kmsg_off.one_shot("--collector.kmsg", "--explain")
    expect("3 kernel log: --explain without CAP_SYSLOG says the log was not read", True,
           "The kernel log: not read (reading it needs CAP_SYSLOG where "
           "kernel.dmesg_restrict is 1)" in explain.stdout)

    section("---- 4. unloaded, loaded again")
    for e in exporters:
        for _ in range(6):  # new connections: every serving thread scrapes
            e.get("/metrics")
        held = e.held("/proc/modules")
        if held:
            fail(f"4 unload [{e.label}]: holds /proc/modules open between scrapes ({held} fds): "
                 "each scrape opens and closes it")
        else:
            ok(f"4 unload [{e.label}]: holds no /proc/modules open between scrapes")
    expect(f"4 unload: /proc/modules lists {module.name} before the unload", True,
           any(line.split(" ", 1)[0] == module.name
               for line in read("/proc/modules").splitlines()))
    before = read("/proc/sys/kernel/tainted").strip()
    # Why the exporter does not hold the per-module sysfs files: one held from before the
    # unload reads ENODEV, and a module loaded again has a new one.
    held = os.open(f"/sys/module/{module.name}/taint", os.O_RDONLY)
    run("rmmod", module.name)
    try:
        got = os.pread(held, 64, 0)
    except OSError as exc:
        got = errno.errorcode.get(exc.errno, exc.errno)
    os.close(held)
    expect("4 unload: a sysfs taint file held from before reads ENODEV", "ENODEV", got)
    for e in exporters:
        for i in range(6):
            samples = parse_exposition(e.get("/metrics")[2])
            expect(f"4 unload [{e.label}] scrape {i + 1}: read errors",
                   [0.0], [v for n, _, v in samples if n == "taint_exporter_module_read_errors"])
    state = check_everything("4 unloaded", exporters)
    expect("4 unloaded: the global bits stay", before, str(state.value))
    expect("4 unloaded: no module series", {}, state.modules)
    # The kernel keeps the module's bits; no loaded module carries them now.
    bits = [LETTER_BIT[c] for c in module.letters]
    expect(f"4 unloaded: {module.letters} unattributed", {b: 1.0 for b in bits},
           {b: v for b, v in state.unattributed().items() if b in bits})
    for e in exporters:
        samples = parse_exposition(e.get("/metrics")[2])
        expect(f"4 unloaded [{e.label}]: kernel_taint_flag_unattributed {module.letters}",
               {c: 1.0 for c in module.letters},
               {l["flag"]: v for n, l, v in samples if n == "kernel_taint_flag_unattributed"
                and l["flag"] in module.letters})
    module.load()
    header = kernel_header()
    check_everything("4 loaded again", exporters, header[0])
    check_header("4 loaded again", exporters, header)

    section("---- 5. a bit written by root")
    with open("/proc/sys/kernel/tainted", "w") as f:
        f.write("64")
    header = kernel_header()
    state = check_everything("5 user", exporters, header[0])
    check_header("5 user", exporters, header)
    expect("5 user: U is set", 64, state.value & 64)
    # No message sets U: its first record is the stack dump's "Tainted:" header that showed it.
    got, _ = logged(kmsg_on, "U")
    expect("5 user [kmsg]: U's first record is a Tainted: header", True,
           "U" in got and bool(re.search(r"Tainted: [A-Z ]*U", kmsg_on_line(kmsg_on, "U"))))

    section("---- 6. about 100 real modules")
    absent = []
    for name in MANY_MODULES:
        result = run("modprobe", name, check=False)
        if result.returncode and "not found in directory" in result.stderr:
            absent.append(name)  # not built for this release
        elif result.returncode:
            fail(f"6 many modules: modprobe {name}: {result.stderr.strip()}")
    if absent:
        print(f"note not in {os.uname().release}: {' '.join(absent)}")
    state = check_everything("6 many modules", exporters)
    print(f"note {state.loaded} modules loaded, {len(os.listdir('/sys/module'))} in /sys/module")
    expect("6 many modules: at least 100 loaded", True, state.loaded >= 100)
    expect(f"6 many modules: the only tainted one is {module.name}",
           {module.name: module.letters}, state.modules)
    log = run("dmesg").stdout
    expect("6 many modules: no new warning while loading them", int(HAVE_TEST_MODULE),
           log.count("WARNING: CPU"))
    if KERNEL["default"]:
        section("---- cost with the modules loaded")
        measure_cost("loaded")
        section("---- 6 overrun: the kernel log wraps while a reader is stopped")
        check_overrun(kmsg_on)
    tested = read("/proc/sys/kernel/tainted").strip()
    print(f"note {KERNEL['name']} was tainted with the letters "
          f"{KernelState().letters()} (value {tested}) before every bit was set")

    section("---- 6 every flag: every bit the kernel knows, set by root")
    check_every_flag(exporters)

    for e in exporters + [kmsg_on, kmsg_off]:
        e.stop()


def check_every_flag(exporters):
    """Root writes every bit; the kernel keeps those it knows (kernel/panic.c proc_taint() sets
    each bit below TAINT_FLAGS_COUNT), so the value says how many flags this kernel has. A bit
    beyond the exporter's table is the alarm this test exists for: it fails naming the bit, the
    letter the kernel printed for it and the files to update. Then the kernel's own string and
    second line, with every flag set, against the exporter's."""
    with open("/proc/sys/kernel/tainted", "w") as f:
        f.write(str(2**64 - 1))
    value = int(read("/proc/sys/kernel/tainted"))
    header = kernel_header()
    string = header[0]
    print(f"note {os.uname().release} knows {value.bit_length()} taint flags (value {value}); "
          f"its string with every flag set: {string!r}")
    # The exporter's account of each set bit: its letter, or "?" for a bit its table lacks.
    samples = parse_exposition(exporters[0].get("/metrics")[2])
    known = {int(l["bit"]) for n, l, v in samples if n == "kernel_taint_flag" and l["flag"] != "?"}
    unknown = [b for b in range(64) if value >> b & 1 and b not in known]
    for b in unknown:
        letter = string[b] if b < len(string) else "(not printed)"
        fail(f"6 every flag: the kernel {os.uname().release} knows taint bit {b}, which the "
             f"exporter's table does not: its Tainted: string prints {letter!r} in column {b + 1}."
             f" Add it to {TABLE_FILES}")
    if not unknown:
        ok(f"6 every flag: the exporter's table knows every flag of {os.uname().release}")
    expect("6 every flag: the kernel's value is one bit per flag, from bit 0", (1 << value.bit_length()) - 1,
           value)
    check_everything("6 every flag", exporters, string)
    check_header("6 every flag", exporters, header)


def check_overrun(e):
    """Stop e's process, make the kernel log wrap (taint_test's stack dumps) until taint_test's
    load records are overwritten, and go on: e survives the overrun (EPIPE), counts what it
    lost, and keeps its account; a reader started now finds P's first record in a Tainted:
    header, the load message being no longer in the log."""
    e.proc.send_signal(signal.SIGSTOP)
    dumps = 0
    try:
        def load_record_left():
            return any(re.search(r"^taint_test: loading out-of-tree module", text)
                       for _, _, text in kernel_records())
        while load_record_left() and dumps < 4000:
            for _ in range(50):
                with open(f"/sys/module/{TEST_MODULE}/parameters/dump", "w") as f:
                    f.write("1")
            dumps += 50
    finally:
        e.proc.send_signal(signal.SIGCONT)
    print(f"note {dumps} stack dumps wrapped the kernel log past taint_test's load")
    expect("6 overrun: the load's records were overwritten", False,
           any(re.search(r"^taint_test: loading out-of-tree", t) for _, _, t in kernel_records()))
    deadline = time.monotonic() + 20
    while True:
        samples = parse_exposition(e.get("/metrics")[2])
        lost = [v for n, l, v in samples if n == "taint_exporter_kmsg_records_lost_total"]
        if (lost and lost[0] > 0) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    expect(f"6 overrun [{e.label}]: records lost, counted", True, bool(lost) and lost[0] > 0)
    expect(f"6 overrun [{e.label}]: still up", [1.0],
           [v for n, l, v in samples if n == "taint_exporter_collector_up"])
    info = {l["flag"]: l for n, l, v in samples if n == "kernel_taint_flag_first_logged_info"}
    expect(f"6 overrun [{e.label}]: keeps P's record naming taint_test", TEST_MODULE,
           info.get("P", {}).get("module"))
    late = Exporter("kmsg-after-overrun", f"{SHARE}/taint_exporter", ["--collector.kmsg"],
                    NOBODY_SYSLOG)
    got, _ = logged(late, "POEW")
    expect("6 overrun [kmsg-after-overrun]: P's first record is now a header, naming no module",
           "", got.get("P", ({}, None))[0].get("module"))
    expect("6 overrun [kmsg-after-overrun]: its line is the Tainted: header", True,
           bool(re.search(r"Tainted: P", kmsg_on_line(late, "P"))))
    late.stop()


def kmsg_on_line(e, flag):
    """The log line --explain shows for @flag."""
    out = e.one_shot("--collector.kmsg", "--explain").stdout
    m = re.search(rf"^  {flag}  \S+ \S+ UTC  (.*)$", out, re.M)
    return m.group(1) if m else ""


def prometheus_alerts(url):
    with urllib.request.urlopen(url + "/api/v1/alerts", timeout=10) as resp:
        alerts = json.load(resp)["data"]["alerts"]
    return sorted((a["labels"]["alertname"], a["labels"].get("module", ""), a["labels"].get("flag", ""),
                   a["labels"].get("severity", "")) for a in alerts if a["state"] == "firing")


def prometheus_query(url, query):
    with urllib.request.urlopen(url + "/api/v1/query?query=" + urllib.parse.quote(query),
                                timeout=10) as resp:
        return json.load(resp)["data"]["result"]


def settle(deadline_s, observe, done):
    """Polls observe() until done(value) or deadline_s have passed. Returns the value that was
    done, else the last non-empty value seen (what a failure should show), else the last."""
    deadline = time.monotonic() + deadline_s
    shown = None
    while True:
        value = observe()
        if done(value):
            return value
        shown = value if value or shown is None else shown
        if time.monotonic() >= deadline:
            return shown
        time.sleep(0.5)


def phase_alerts():
    exporter = Exporter("built", f"{SHARE}/taint_exporter")
    os.makedirs("/tmp/prometheus", exist_ok=True)
    os.chown("/tmp/prometheus", 65534, 65534)
    with open("/tmp/prometheus/prometheus.yml", "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                f"rule_files:\n  - {SHARE}/rules.yml\n"
                "scrape_configs:\n  - job_name: taint_exporter\n    static_configs:\n"
                f"      - targets: ['127.0.0.1:{exporter.port}']\n")
    with socket.socket() as s:  # a port free a moment ago: nothing else runs in the guest
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    prom_log = open("/tmp/prometheus/log", "w")
    prom = subprocess.Popen(NOBODY + ["prometheus", "--config.file=/tmp/prometheus/prometheus.yml",
                                      "--storage.tsdb.path=/tmp/prometheus/data",
                                      f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
                            stdout=prom_log, stderr=prom_log)
    processes.append(prom)
    version = run("prometheus", "--version").stdout.split("\n")[0]
    print(f"guest: {version}, rules {SHARE}/rules.yml (every [Nm] as [Ns])")

    def scrapes():
        try:
            result = prometheus_query(url, "count_over_time(taint_exporter_scrape_success[1m])")
        except OSError:
            return 0
        return float(result[0]["value"][1]) if result else 0

    section("---- 7. the rules on a real Prometheus")
    if not expect("7 alerts: Prometheus up with 10 scrapes of history", True,
                  settle(120, scrapes, lambda n: n >= 10) >= 10):
        print(read("/tmp/prometheus/log"))
        return
    quiet = []
    for _ in range(10):
        quiet += prometheus_alerts(url)
        time.sleep(0.5)
    expect("7 alerts: nothing fires for the boot-time state", [], quiet)

    loaded_at = time.monotonic()
    TaintingModule().load()  # taint_test: the alerts phase runs where it is built
    module_alerts = [("KernelModuleNewTaint", TEST_MODULE, c, "info") for c in TEST_MODULE_LETTERS]
    flag_alerts = [("KernelTaintNewFlag", "", c, "info") for c in "POE"]
    want = sorted(module_alerts + flag_alerts)
    expect("7 alerts: after the load, KernelModuleNewTaint for taint_test's letters and "
           "KernelTaintNewFlag for the new global bits", want,
           settle(20, lambda: prometheus_alerts(url), lambda a: a == want))

    with open(f"/sys/module/{TEST_MODULE}/parameters/warn", "w") as f:
        f.write("1")
    warned_at = time.monotonic()
    w_alert = ("KernelTaintNewFlag", "", "W", "warning")
    expect("7 alerts: after the WARN, KernelTaintNewFlag for W with severity warning",
           sorted(want + [w_alert]),
           settle(20, lambda: prometheus_alerts(url), lambda a: a == sorted(want + [w_alert])))

    # Each fires once, for the window (30 s in the fast copy), and then resolves by itself.
    resolved = {}
    deadline = time.monotonic() + 90
    while len(resolved) < len(want) + 1 and time.monotonic() < deadline:
        firing = prometheus_alerts(url)
        for alert in want + [w_alert]:
            if alert not in firing and alert not in resolved:
                resolved[alert] = time.monotonic()
        time.sleep(0.5)
    for alert in want + [w_alert]:
        start = warned_at if alert == w_alert else loaded_at
        after = resolved.get(alert, None)
        after = None if after is None else round(after - start)
        what = f"7 alerts: {alert[0]} {alert[1]} {alert[2]} resolves by itself after the 30 s window"
        if after is not None and 25 <= after <= 75:
            ok(f"{what} ({after} s)")
        else:
            fail(f"{what}: resolved after {after} s")
    expect("7 alerts: nothing fires at the end", [], prometheus_alerts(url))
    prom.send_signal(signal.SIGTERM)
    prom.wait(timeout=30)
    exporter.stop()


def main():
    phase = sys.argv[1]
    status = 1
    try:
        {"kernel": phase_kernel, "alerts": phase_alerts}[phase]()
        status = 1 if failures else 0
    except Exception as exc:  # the guest must still write its status and power off
        import traceback
        traceback.print_exc()
        fail(f"{phase}: {exc!r}")
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait()
    print(f"guest: phase {phase}: {len(failures)} failed check(s)")
    with open(f"{SHARE}/status-{phase}", "w") as f:
        f.write(f"{status}\n")


if __name__ == "__main__":
    main()
