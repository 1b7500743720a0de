#!/usr/bin/env python3
"""The documents against the code, so that they cannot drift apart. One check per call:

    check_docs.py flags BINARY   every flag of --help in the man page's OPTIONS and the reverse;
                                 every --flag README.md or docs/ names is one --help has
    check_docs.py metrics        every metric family the exporter can emit (the families of
                                 exporter/render/exposition.c) in docs/metrics.md's table and
                                 the reverse; every metric README.md or docs/ names is one
    check_docs.py code_map       every C file of exporter/ in docs/development.md's map of the
                                 code, and the map names no other
    check_docs.py names          every file, directory and function README.md or docs/ names
                                 in backquotes exists (functions: defined in exporter/ or
                                 tests/, or listed in EXTERNAL with where they come from)
    check_docs.py links          every relative link of README.md and docs/ resolves: the file,
                                 and the heading its #anchor names
    check_docs.py fuzz           docs/development.md's table of harnesses lists exactly the
                                 harnesses of tests/fuzz/

Each prints what differs and exits 1 when anything does.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = ["README.md"] + sorted(
    os.path.join("docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))

# Functions the documents name that are not ours, with where they come from.
EXTERNAL = {
    "getrusage": "the C library",
    "getrlimit": "the C library",
    "module_flags_taint": "the kernel, kernel/module/main.c",
    "print_tainted": "the kernel, kernel/panic.c",
    "__warn": "the kernel, kernel/panic.c",
    "dump_stack_print_info": "the kernel, lib/dump_stack.c",
    "m_show": "the kernel, kernel/module/procfs.c",
    "module_flags": "the kernel, kernel/module/main.c",
    "add_taint_module": "the kernel, kernel/module/main.c",
    "strtoull": "libc",
    "malloc_trim": "glibc",
    "mallopt": "glibc",
    "memchr": "libc",
    "crypt_r": "libcrypt",
    "sd_notify": "libsystemd",
    "validate": "kubernetes-models (npm)",
    "MHD_queue_response": "libmicrohttpd",
    "poll": "libc",
    "open": "libc",
}

# "--web.threads=N", "--[no-]collector.modules", "--explain[=VALUE]": the name.
FLAG = r"--(?:\[no-\])?([a-z][a-z0-9.-]*[a-z0-9])"
# A metric family of ours, as the documents write it in backquotes (a recording rule's name
# has a colon and is not one).
METRIC = re.compile(r"`((?:kernel_taint|kernel_module|taint_exporter_)[a-z0-9_]*)(?:\{[^`]*\})?`")
# Flags of other programs that the documents quote alone, without their command.
FOREIGN_FLAGS = {"rule-file", "hold", "json", "smoke", "exporter", "setup", "suite", "fix", "hosts",
                 "user", "cap-drop", "cap-add", "engine", "live", "shape", "list"}
# A quoted command line: its flags are the exporter's only when it runs the exporter.
EXPORTER_COMMAND = re.compile(r"^(?:\S*/)?taint_exporter\b|^--")


def read(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return f.read()


def report(name, problems, summary):
    for p in problems:
        print(f"check_docs {name}: {p}")
    print(f"check_docs {name}: {summary}; {len(problems)} problem(s)")
    return 1 if problems else 0


def without_code_blocks(text):
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def check_flags(binary):
    helptext = subprocess.run([binary, "--help"], capture_output=True, text=True,
                              check=True).stdout
    flags = set(re.findall(r"^  " + FLAG, helptext, re.M))
    man = read("packaging/taint_exporter.1.scd")
    m = re.search(r"^# OPTIONS\n(.*?)(?=^# )", man, re.M | re.S)
    options = m.group(1) if m else ""
    in_man = set(re.findall(r"^\*" + FLAG + r"\*", options, re.M))
    in_man |= set(re.findall(r"\*--no-([a-z][a-z0-9.-]*)\*", options))
    problems = [f"--{f} is not in the man page's OPTIONS" for f in sorted(flags - in_man)]
    problems += [f"the man page documents --{f}, which --help does not have"
                 for f in sorted(in_man - flags)]
    for doc in DOCS:
        for line_no, line in enumerate(read(doc).splitlines(), 1):
            for quoted in re.findall(r"`([^`]*)`", line):
                if not EXPORTER_COMMAND.match(quoted):
                    continue  # another program's command line
                for name in re.findall(r"(?<![\w-])" + FLAG, quoted):
                    base = name[3:] if name.startswith("no-") else name
                    if name in FOREIGN_FLAGS and quoted.startswith("--"):
                        continue
                    if name not in flags and base not in flags:
                        problems.append(f"{doc}:{line_no} names --{name}, which --help "
                                        "does not have")
    # Every layout --kernel.vendor takes (its error lists them) is a row of the layouts'
    # table in docs/taint-bits.md, with the releases it covers and where it was read.
    refusal = subprocess.run([binary, "--kernel.vendor=?", "--explain=0"], capture_output=True,
                             text=True).stderr
    m = re.search(r"is not one of auto, ([a-z0-9., -]+)", refusal)
    layouts = m.group(1).split(", ") if m else []
    if not layouts:
        problems.append(f"--kernel.vendor's refusal lists no layouts: {refusal!r}")
    rows = set(re.findall(r"^\| `([a-z0-9.-]+)` \|", read("docs/taint-bits.md"), re.M))
    problems += [f"layout {l} is not a row of docs/taint-bits.md's table"
                 for l in layouts if l != "upstream" and l not in rows]
    problems += [f"docs/taint-bits.md has a row for {r}, which is no layout"
                 for r in sorted(rows - set(layouts))]
    return report("flags", problems, f"{len(flags)} flags, {len(layouts)} layouts")


def emitted_families():
    """The families exporter/render/exposition.c writes a HELP line for."""
    src = read("exporter/render/exposition.c")
    names = set(re.findall(r'FAMILY\(\s*"([a-z0-9_]+)"', src))
    names |= set(re.findall(r'"# HELP ([a-z0-9_]+)[ "]', src))
    # A counter's OpenMetrics family, its text-format name without _total: one metric.
    return {n for n in names if n + "_total" not in names}


def check_metrics():
    families = emitted_families()
    metrics = read("docs/metrics.md")
    table = set(re.findall(r"^\| `([a-z0-9_]+)` \|", metrics, re.M))
    problems = [f"{f}, which the exporter can emit, is not in docs/metrics.md's table"
                for f in sorted(families - table)]
    problems += [f"docs/metrics.md's table has {f}, which the exporter does not emit"
                 for f in sorted(table - families)]
    for doc in DOCS:
        for line_no, line in enumerate(read(doc).splitlines(), 1):
            for name in METRIC.findall(line):
                if name not in families and name + "_total" not in families:
                    problems.append(f"{doc}:{line_no} names the metric {name}, which the "
                                    "exporter does not emit")
    return report("metrics", problems, f"{len(families)} families")


def check_code_map():
    dev = read("docs/development.md")
    m = re.search(r"^## The code\n(.*?)(?=^## )", dev, re.M | re.S)
    if not m:
        return report("code_map", ["docs/development.md has no '## The code' section"], "")
    named = set(re.findall(r"`(exporter/[\w/]+\.c)`", m.group(1)))
    tree = set()
    for d, _, files in os.walk(os.path.join(ROOT, "exporter")):
        for f in files:
            if f.endswith(".c"):
                tree.add(os.path.relpath(os.path.join(d, f), ROOT))
    problems = [f"{p} is not in docs/development.md's map of the code"
                for p in sorted(tree - named)]
    problems += [f"docs/development.md's map names {p}, which is not in the tree"
                 for p in sorted(named - tree)]
    return report("code_map", problems, f"{len(tree)} files in exporter/, {len(named)} in the map")


def defined_functions():
    """Names defined as functions in the project's C, Python and shell files."""
    names = set()
    for top in ("exporter", "include", "tests", ".ci"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            if "corpus" in d or "fixtures" in d:
                continue
            for f in files:
                path = os.path.join(d, f)
                try:
                    with open(path, errors="replace") as fh:
                        text = fh.read()
                except OSError:
                    continue
                if f.endswith((".c", ".h")):
                    names |= set(re.findall(r"^[a-z][\w \*]*?\b(\w+)\(", text, re.M))
                    names |= set(re.findall(r"^#define (\w+)\(", text, re.M))
                else:
                    names |= set(re.findall(r"^\s*def (\w+)\(", text, re.M))
                    names |= set(re.findall(r"^(\w+)\(\) \{", text, re.M))
    return names


# A path of the repository as the documents quote it: a top folder of ours, then more.
REPO_PATH = re.compile(r"^(?:exporter|include|tests|packaging|dashboards|docs|\.ci)/[\w./-]*$")


def check_names():
    functions = defined_functions()
    problems = []
    for doc in DOCS:
        text = read(doc)
        for line_no, line in enumerate(text.splitlines(), 1):
            for quoted in re.findall(r"`([^`]+)`", line):
                for fn in re.findall(r"(?<![\w.>-])([a-z_][a-z0-9_]*)\(\)", quoted):
                    if fn not in functions and fn not in EXTERNAL:
                        problems.append(f"{doc}:{line_no} names {fn}(), which is defined "
                                        "nowhere in exporter/ or tests/")
                path = quoted.split(" ")[0].rstrip(".,:;")
                if path.startswith(("include/linux/", "include/uapi/")):
                    continue  # the kernel's headers
                if REPO_PATH.match(path) and "<" not in path and "*" not in path:
                    if not os.path.exists(os.path.join(ROOT, path)):
                        problems.append(f"{doc}:{line_no} names {path}, which does not exist")
    return report("names", problems, f"{len(DOCS)} documents")


def slug(heading):
    """GitHub's anchor for a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(rel):
    text = without_code_blocks(read(rel))
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def check_links():
    problems = []
    count = 0
    for doc in DOCS:
        base = os.path.dirname(doc)
        text = without_code_blocks(read(doc))
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+:", target):
                continue  # a URL
            count += 1
            path, _, anchor = target.partition("#")
            rel = os.path.normpath(os.path.join(base, path)) if path else doc
            if not os.path.exists(os.path.join(ROOT, rel)):
                problems.append(f"{doc}: the link {target} names {rel}, which does not exist")
            elif anchor and rel.endswith(".md") and anchor not in anchors(rel):
                problems.append(f"{doc}: the link {target}: {rel} has no heading #{anchor}")
    return report("links", problems, f"{count} relative links")


def check_fuzz():
    harnesses = {f[len("fuzz_"):-2] for f in os.listdir(os.path.join(ROOT, "tests", "fuzz"))
                 if f.startswith("fuzz_") and f.endswith(".c")}
    dev = read("docs/development.md")
    m = re.search(r"^\| harness \| .*?\n((?:\|.*\n)+)", dev, re.M)
    listed = set(re.findall(r"^\| `(\w+)` \|", m.group(1), re.M)) if m else set()
    problems = [f"the harness {h} (tests/fuzz/fuzz_{h}.c) is not in docs/development.md's table"
                for h in sorted(harnesses - listed)]
    problems += [f"docs/development.md's table lists {h}, which tests/fuzz/ does not have"
                 for h in sorted(listed - harnesses)]
    return report("fuzz", problems, f"{len(harnesses)} harnesses")


def main():
    checks = {"flags": check_flags, "metrics": check_metrics, "code_map": check_code_map,
              "names": check_names, "links": check_links, "fuzz": check_fuzz}
    if len(sys.argv) < 2 or sys.argv[1] not in checks:
        print(__doc__)
        return 2
    return checks[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
