#!/usr/bin/env python3
"""A host of each kernel generation through every interface: for each, a tree with its
kernel's release (and SUSE's marker file), a taint value that sets its vendor's bits, and
tainted modules; the exporter run on it with --kernel.vendor=auto gives /metrics, the landing
page, --explain as text and JSON, and --write-textfile, each compared with
tests/golden/hosts/<host>.<interface>. The build's revision and version lines and the values
of the process_* samples are left out, and the tree's path reads HOST.

GOLDEN_UPDATE=1 writes what the exporter gives instead, for a change meant to alter them,
whose diff is read before it is committed.

Usage: hosts.py EXPORTER GOLDEN_DIR
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

# name: (osrelease, value, suse, modules as (name, letters))
HOSTS = {
    "upstream-6.1": ("6.1.0-57-amd64", 4609, False, [("nvidia", "POE"), ("vboxdrv", "OE")]),
    "upstream-3.2": ("3.2.0-4-amd64", 4097 | (1 << 13), False, [("nvidia", "PO")]),
    "rhel6.0": ("2.6.32-71.el6.x86_64", (1 << 28) | (1 << 29) | 1, False, [("nvidia", "P")]),
    "rhel6.1": ("2.6.32-131.0.15.el6.x86_64", (1 << 28) | (1 << 29) | 1, False, [("nvidia", "P")]),
    "rhel6.3": ("2.6.32-279.el6.x86_64", (1 << 27) | (1 << 29), False, []),
    "rhel6.7": ("2.6.32-754.35.1.el6.x86_64", (1 << 14) | (1 << 29), False, []),
    "rhel7.0": ("3.10.0-123.el7.x86_64", (1 << 13) | (1 << 28) | 4096, False, [("vendor_kmod", "O")]),
    "rhel7.2": ("3.10.0-327.36.3.el7.x86_64", (1 << 28) | 4096, False, [("vendor_kmod", "O")]),
    "rhel7.3": ("3.10.0-1160.59.1.el7.x86_64", (1 << 28) | (1 << 29) | 8192 | 4096, False,
                [("vendor_kmod", "OE"), ("preview", "T")]),
    "rhel8": ("4.18.0-513.9.1.el8_9.x86_64", (1 << 27) | (1 << 29) | (1 << 30) | 4096, False,
              [("vendor_kmod", "O"), ("preview", "t")]),
    "rhel9.0": ("5.14.0-70.13.1.el9_0.x86_64", (1 << 27) | (1 << 31) | (1 << 16), False,
                [("preview", "X")]),
    "rhel9.2": ("5.14.0-284.11.1.el9_2.x86_64", (1 << 26) | (1 << 31), False, []),
    "rhel9.3": ("5.14.0-362.8.1.el9_3.x86_64", (1 << 26) | (1 << 18) | (1 << 31), False,
                [("kunit", "N")]),
    "suse-2.6.32": ("2.6.32.59-0.7-default", (1 << 30) | (1 << 31) | 1, True, [("nvidia", "P")]),
    "suse-3.0": ("3.0.101-63-default", (1 << 30) | (1 << 31) | 2048, True, []),
    "suse-3.12": ("3.12.74-60.64.40-default", (1 << 15) | (1 << 16) | (1 << 30) | 4096, True,
                  [("kgraft_patch", "K")]),
    "suse-4.4": ("4.4.180-94.97-default", (1 << 30) | (1 << 31) | 4096, True,
                 [("kmp_vendor", "O")]),
    "suse-4.12": ("4.12.14-122.37-default", (1 << 30) | (1 << 31) | 4096, True,
                  [("kmp_vendor", "O")]),
    "suse-5.3": ("5.14.21-150500.55.39-default", 2147561472, True,
                 [("kmp_vendor", "OEX"), ("unsupported_fs", "N")]),
    "suse-6.0": ("6.4.0-150600.23.7-default", 2147561472, True,
                 [("kmp_vendor", "OEX"), ("unsupported_fs", "n")]),
    "suse-ambiguous": ("5.1.16-1-default", 3221295104, True, [("kmp_vendor", "OX")]),
}

# Lines that name the build, not the host.
BUILD = re.compile(r'^taint_exporter_build_info|^# (HELP|TYPE) taint_exporter_build_info|'
                   r'id="version"|"exporter_version"|revision|^process_[a-z_]+ [0-9.]+$')


def tree(root, osrelease, value, suse, modules):
    os.makedirs(f"{root}/proc/sys/kernel")
    os.makedirs(f"{root}/sys/module")
    with open(f"{root}/proc/sys/kernel/tainted", "w") as f:
        f.write(f"{value}\n")
    with open(f"{root}/proc/sys/kernel/osrelease", "w") as f:
        f.write(f"{osrelease}\n")
    if suse:
        with open(f"{root}/proc/sys/kernel/unsupported", "w") as f:
            f.write("1\n")
    with open(f"{root}/proc/modules", "w") as f:
        for name, letters in modules:
            f.write(f"{name} 16384 0 - Live 0x0000000000000000 ({letters})\n")


def served(exporter, root):
    """/metrics and / of the exporter serving @root."""
    log = open(f"{root}/log", "w+")
    p = subprocess.Popen([exporter, "--web.listen-address=127.0.0.1:0",
                          f"--path.procfs={root}/proc", f"--path.sysfs={root}/sys"],
                         stderr=log)
    try:
        port = None
        for _ in range(200):
            m = re.search(r'msg="Listening on" address=127\.0\.0\.1:(\d+)',
                          open(f"{root}/log").read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.02)
        if not port:
            sys.exit(f"the exporter did not start on {root}: {open(f'{root}/log').read()}")
        get = lambda path: urllib.request.urlopen(f"http://127.0.0.1:{port}{path}",
                                                  timeout=10).read().decode()
        return get("/metrics"), get("/")
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=10)


def outputs(exporter, root):
    metrics, page = served(exporter, root)
    args = [exporter, f"--path.procfs={root}/proc", f"--path.sysfs={root}/sys"]
    text = subprocess.run(args + ["--explain"], capture_output=True, text=True).stdout
    js = subprocess.run(args + ["--explain", "--format=json"], capture_output=True,
                        text=True).stdout
    subprocess.run(args + [f"--write-textfile={root}/taint.prom"], check=True,
                   capture_output=True)
    textfile = open(f"{root}/taint.prom").read()
    return {"metrics.txt": metrics, "landing.html": page, "explain.txt": text,
            "explain.json": js, "textfile.prom": textfile}


def main():
    exporter, golden = sys.argv[1:3]
    update = os.environ.get("GOLDEN_UPDATE") == "1"
    problems = []
    with tempfile.TemporaryDirectory(prefix="taint-hosts-") as tmp:
        for host, (osrelease, value, suse, modules) in HOSTS.items():
            root = f"{tmp}/{host}"
            tree(root, osrelease, value, suse, modules)
            for kind, out in outputs(exporter, root).items():
                out = "".join(l for l in out.splitlines(True) if not BUILD.search(l))
                out = out.replace(root, "HOST")
                path = f"{golden}/{host}.{kind}"
                if update:
                    with open(path, "w") as f:
                        f.write(out)
                    continue
                want = open(path).read() if os.path.exists(path) else None
                if want != out:
                    problems.append(f"{host}.{kind}: differs from {path}")
                    for a, b in zip((want or "").splitlines(), out.splitlines()):
                        if a != b:
                            problems.append(f"  - {a}\n  + {b}")
                            break
    for p in problems:
        print(p)
    print(f"hosts: {len(HOSTS)} hosts, 5 interfaces each; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
