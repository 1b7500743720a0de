#!/usr/bin/env python3
"""Every flag of the exporter is documented in the man page and in README.md, and neither
documents a flag the exporter does not have. The flags are read from the binary's --help
(which the flag table in exporter/flags.c produces), the man page's from its OPTIONS section
(packaging/taint_exporter.1.scd), the README's from the table under "## Flags".

    check_flag_docs.py BINARY
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# "--web.threads=N", "--[no-]collector.modules", "--explain[=VALUE]": the name.
FLAG = r"--(?:\[no-\])?([a-z][a-z0-9.-]*[a-z0-9])"


def section(text, start, end_pattern):
    m = re.search(start + r"(.*?)(?=" + end_pattern + r"|\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def main():
    helptext = subprocess.run([sys.argv[1], "--help"], capture_output=True, text=True,
                              check=True).stdout
    flags = set(re.findall(r"^  " + FLAG, helptext, re.M))
    with open(os.path.join(ROOT, "packaging", "taint_exporter.1.scd")) as f:
        options = section(f.read(), r"^# OPTIONS\n", r"^# ")
    man = set(re.findall(r"^\*" + FLAG + r"\*", options, re.M))
    man |= set(re.findall(r"\*--no-([a-z][a-z0-9.-]*)\*", options))  # "*--no-x*" beside "*--x*"
    with open(os.path.join(ROOT, "README.md")) as f:
        table = section(f.read(), r"^## Flags\n", r"^## ")
    readme = set()
    for row in re.findall(r"^\| (`--.*?) \|", table, re.M):
        readme |= set(re.findall("`" + FLAG, row))
    bad = 0
    for where, found in (("the man page", man), ("README.md's flag table", readme)):
        for name in sorted(flags - found):
            print(f"check_flag_docs: --{name} is not in {where}")
            bad += 1
        for name in sorted(found - flags):
            print(f"check_flag_docs: {where} documents --{name}, which --help does not have")
            bad += 1
    print(f"check_flag_docs: {len(flags)} flags; {bad} difference(s)")
    return 1 if bad or not flags else 0


if __name__ == "__main__":
    sys.exit(main())
