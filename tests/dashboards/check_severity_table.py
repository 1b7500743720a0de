#!/usr/bin/env python3
"""Checks the alert rules' severity table against the taint bit tables and the runbook.

The bit tables in exporter/decode/taint_table.c are the single source of truth; they are read
through taint_table_dump (which prints every entry of every layout), not by parsing C.
Fails, naming each problem, unless:
  - every letter of every layout, and "?" (a bit no layout knows), is matched by exactly
    one kernel_taint:flag_severity recording rule (PromQL regexes are fully anchored);
  - every letter a rule names exists in some layout (no stale entries);
  - the severity table of each DOC (RUNBOOK.md, docs/alerting.md) lists the same letters in the
    same classes.

Usage: check_severity_table.py TAINT_TABLE_DUMP RULES_FILE DOC...
"""
import re
import subprocess
import sys

import yaml

RECORD = "kernel_taint:flag_severity"


def layout_entries(dump):
    out = subprocess.run([dump], check=True, capture_output=True, text=True).stdout
    entries = [line.split("\t") for line in out.splitlines()]
    if not entries or any(len(e) != 4 for e in entries):
        sys.exit(f"unexpected output from {dump}: {out!r}")
    return entries


def rule_classes(path):
    """severity -> list of alternatives of the flag=~ regex of its recording rule."""
    with open(path) as f:
        doc = yaml.safe_load(f)
    classes = {}
    for group in doc["groups"]:
        for rule in group["rules"]:
            if rule.get("record") != RECORD:
                continue
            m = re.search(r'flag=~"([^"]*)"', rule["expr"])
            if not m:
                sys.exit(f"{path}: {RECORD} rule without a flag=~ matcher: {rule['expr']}")
            sev = rule["labels"]["severity"]
            if sev in classes:
                sys.exit(f"{path}: two {RECORD} rules for severity {sev}")
            classes[sev] = m.group(1).split("|")
    return classes


def literal(alt):
    """The letter a regex alternative stands for: a single letter, or [?] for the unknown bit."""
    return "?" if alt == "[?]" else alt


def runbook_classes(path):
    """severity -> letters, from the '| severity | `M` `B` ... |' rows of the runbook."""
    classes = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\|\s*(critical|warning|info)\s*\|([^|]*)\|", line)
            if m:
                classes[m.group(1)] = re.findall(r"`([^`]+)`", m.group(2))
    return classes


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    dump, rules, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    errors = []
    entries = layout_entries(dump)
    classes = rule_classes(rules)
    if set(classes) != {"critical", "warning", "info"}:
        errors.append(f"{rules}: severity classes {sorted(classes)}, "
                      "expected critical, warning and info")

    letters = {e[2] for e in entries} | {"?"}
    for sev, alts in classes.items():
        for alt in alts:
            if literal(alt) not in letters:
                errors.append(f"{rules}: {sev} names {alt!r}, which is no letter of any "
                              "layout (nor [?] for unknown bits)")

    checked = [(e[0], e[1], e[2], e[3]) for e in entries] + [("any", "unknown", "?", "unknown")]
    for layout, bit, letter, name in checked:
        matched = [sev for sev, alts in classes.items()
                   if re.fullmatch("|".join(alts), letter)]
        if len(matched) != 1:
            errors.append(f"{layout} bit {bit} {letter!r} ({name}): in "
                          f"{len(matched)} severity classes {matched}, expected exactly 1")

    for doc in docs:
        documented = runbook_classes(doc)
        for sev in ("critical", "warning", "info"):
            want = sorted(literal(a) for a in classes.get(sev, []))
            got = sorted(documented.get(sev, []))
            if want != got:
                errors.append(f"{doc}: severity table row {sev} lists {got}, "
                              f"the rules have {want}")

    for e in errors:
        print("FAIL:", e)
    if errors:
        return 1
    print(f"ok: {len(checked)} layout entries in {len(classes)} severity classes, "
          f"the tables of {', '.join(docs)} agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
