"""The simulated fleet: what each of N hosts is, and what its kernel does over the day.

Every host is one of a few states, each a procfs and sysfs tree that a real taint_exporter
renders (render_states() starts one on each tree and keeps its /metrics), so every simulated
series has exactly the name, labels and value the exporter would give it. A host's timeline
says which state it is in when; the history writers and the simulated targets both read it.

The mix, by host index (deterministic: the same N gives the same fleet):
  - 5% tainted since boot: nvidia (P, O, E) on an upstream and on a RHEL 9 kernel, zfs (O),
    a warning (W), an unknown bit with an unknown module letter;
  - 1% flapping: the target fails for 2 minutes in every 20 (never the 5 minutes that
    TaintExporterDown waits for);
  - 3 in 500 pick up a new flag in the last 15 minutes of the history: a W, a machine check
    (M), or an out-of-tree unsigned module (vboxdrv, O and E) loaded beside zfs;
  - the others clean, a third of them on RHEL 9.
Hosts 0 to LIVE-1 are real exporters (live.py): they follow the same mix, except that their
new flag is set in their files while the engine scrapes them, not in the history.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dashboards"))
import check_severity_table  # noqa: E402

UPSTREAM = "6.1.0-27-amd64"
RHEL9 = "5.14.0-427.el9.x86_64"

# name -> (osrelease, taint value, {module: letters}); every tree also has a clean ext4.
STATES = {
    "clean": (UPSTREAM, 0, {}),
    "clean_el9": (RHEL9, 0, {}),
    "nvidia": (UPSTREAM, 1 + 4096 + 8192, {"nvidia": "POE"}),
    "nvidia_el9": (RHEL9, 2147483648 + 1 + 4096 + 8192, {"nvidia": "POE"}),
    "zfs": (UPSTREAM, 4096, {"zfs": "O"}),
    "warn": (UPSTREAM, 512, {}),
    "unknown": (UPSTREAM, 1099511627776 + 4096, {"odd": "OQ"}),
    "machine_check": (UPSTREAM, 16, {}),
    "zfs_vboxdrv": (UPSTREAM, 4096 + 8192, {"zfs": "O", "vboxdrv": "OE"}),
}

# (host index mod 500) -> (state before, state after, minutes before the history's end)
NEW_FLAG = {6: ("clean", "warn", 6), 106: ("zfs", "zfs_vboxdrv", 10),
            206: ("clean", "machine_check", 14)}
FLAP_PERIOD, FLAP_DOWN = 1200, 120  # seconds


def host_name(i):
    return f"h{i:05d}"


class Host:
    """One host: its state, or its state before and after a new flag, and whether it flaps."""

    def __init__(self, i, live):
        self.i, self.name, self.live = i, host_name(i), live
        self.flaps = i % 100 == 5 and not live
        self.change = None  # (state before, state after, when) once a time is set
        since_boot = {0: "nvidia", 1: "nvidia_el9", 2: "zfs", 3: "warn", 4: "unknown"}
        if i % 500 in NEW_FLAG:
            self.before, self.after, self.minutes_before_end = NEW_FLAG[i % 500]
        else:
            self.before = since_boot.get(i % 100, "clean_el9" if i % 3 == 1 else "clean")
            self.after = self.before
        # Scrapes of different targets are spread over the interval, as Prometheus spreads
        # them: each host has its own offset.
        self.offset = (i * 7) % 60

    @property
    def picks_up_flag(self):
        return self.before != self.after

    def changes_at(self, history_end):
        """When the new flag appears: in the history for a simulated host; for a live one,
        at history_end + (when the live window changes its files, decided by live.py).
        history_end None: a stretch of history long before its end, with no change in it."""
        if not self.picks_up_flag or self.live or history_end is None:
            return None
        return history_end - 60 * self.minutes_before_end

    def state_at(self, t, history_end):
        """The state name at time t, or None while the target is failing."""
        if self.flaps and (t + self.i * 37) % FLAP_PERIOD < FLAP_DOWN:
            return None
        when = self.changes_at(history_end)
        return self.after if when is not None and t >= when else self.before


def fleet(n, live):
    return [Host(i, i < live) for i in range(n)]


def write_tree(root, state):
    """Lays out (or changes to) the procfs and sysfs tree of @state under @root: the modules
    first and the taint value last, in the order a module load shows them."""
    osrelease, value, modules = STATES[state]
    kernel = os.path.join(root, "proc/sys/kernel")
    os.makedirs(kernel, exist_ok=True)
    put(os.path.join(kernel, "osrelease"), osrelease)
    os.makedirs(os.path.join(root, "sys"), exist_ok=True)
    put(os.path.join(root, "proc/modules"), "\n".join(
        f"{name} 16384 0 - Live 0x0000000000000000" + (f" ({letters})" if letters else "")
        for name, letters in dict({"ext4": ""}, **modules).items()))
    put(os.path.join(kernel, "tainted"), str(value))


def put(path, text):
    """Writes atomically, so that an exporter never reads half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.replace(path + ".tmp", path)


SERIES_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """[(name, {label: value}, value)] of an exposition, comments left out."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SERIES_RE.match(line)
        if not m:
            raise ValueError(f"not a sample line: {line!r}")
        out.append((m.group(1), dict(LABEL_RE.findall(m.group(2) or "")), m.group(3)))
    return out


def render_states(exporter):
    """{state: (exposition text, [(name, labels, value)])}, each from a real exporter."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="taint-states.") as tmp:
        for state in STATES:
            root = os.path.join(tmp, state)
            write_tree(root, state)
            log = os.path.join(tmp, state + ".log")
            with open(log, "w") as err:
                p = subprocess.Popen([exporter, "--web.listen-address=127.0.0.1:0",
                                      f"--path.procfs={root}/proc", f"--path.sysfs={root}/sys"],
                                     stderr=err)
            try:
                text = scrape(listening_port(p, log))
            finally:
                p.terminate()
                p.wait()
            out[state] = (text, parse_metrics(text))
    return out


def listening_port(p, log, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with open(log) as f:
            m = re.search(r'msg="Listening on" address=127\.0\.0\.1:(\d+)', f.read())
        if m:
            return int(m.group(1))
        if p.poll() is not None:
            break
        time.sleep(0.05)
    with open(log) as f:
        raise RuntimeError(f"the exporter did not start: {f.read()}")


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        return r.read().decode()


def flags_set(samples):
    return {lb["flag"] for n, lb, v in samples if n == "kernel_taint_flag" and v == "1"}


def module_letters(samples):
    return {(lb["module"], lb["flag"]) for n, lb, v in samples
            if n == "kernel_module_taint_flag" and v == "1"}


def severities(rules):
    """{letter: severity} of the rule file's severity table, read as
    tests/dashboards/check_severity_table.py reads it."""
    classes = check_severity_table.rule_classes(rules)
    return {check_severity_table.literal(alt): sev
            for sev, alts in classes.items() for alt in alts}


def expected_alerts(hosts, rendered, severity):
    """The new-taint alerts the rules must fire, as label subsets (fleet_check.py's form):
    one per new host flag, one per new module letter, for each host that picks one up;
    @severity is severities()."""
    out = []
    for h in hosts:
        if not h.picks_up_flag:
            continue
        before, after = rendered[h.before][1], rendered[h.after][1]
        for flag in sorted(flags_set(after) - flags_set(before)):
            out.append({"alertname": "KernelTaintNewFlag", "instance": h.name, "flag": flag,
                        "severity": severity[flag]})
        for module, flag in sorted(module_letters(after) - module_letters(before)):
            out.append({"alertname": "KernelModuleNewTaint", "instance": h.name,
                        "module": module, "flag": flag, "severity": severity[flag]})
    return out
