#!/usr/bin/env python3
"""README.md's map of the code against the tree: every C file under exporter/ is named in the
map (the table of the "## Development" section), and the map names no file that is not there.
Prints what differs and exits 1."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    m = re.search(r"^## Development\n(.*?)(?=^## )", readme, re.M | re.S)
    if not m:
        print("check_code_map: README.md has no '## Development' section")
        return 1
    named = set(re.findall(r"`(exporter/[\w/]+\.c)`", m.group(1)))
    tree = set()
    for d, _, files in os.walk(os.path.join(ROOT, "exporter")):
        for f in files:
            if f.endswith(".c"):
                tree.add(os.path.relpath(os.path.join(d, f), ROOT))
    for p in sorted(tree - named):
        print(f"check_code_map: {p} is not in README.md's map of the code")
    for p in sorted(named - tree):
        print(f"check_code_map: README.md's map names {p}, which is not in the tree")
    print(f"check_code_map: {len(tree)} files in exporter/, {len(named)} in the map")
    return 1 if tree != named else 0


if __name__ == "__main__":
    sys.exit(main())
