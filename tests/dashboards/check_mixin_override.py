#!/usr/bin/env python3
"""The mixin imported from a parent jsonnet that overrides every setting of _config
(mixin_override.jsonnet), as kube-prometheus imports mixins: each override must reach every
rule and panel it concerns, and nothing of the defaults may be left behind.

Checked on the override's render, naming each place that missed an override:
  - every selector of the exporter's series and of up, in every rule, carries the overridden
    job selector, and the default job="taint_exporter" appears nowhere, in rules or dashboards;
  - the expected-taint rule matches the overridden regexes;
  - the severity recording rules hold the overridden classes (W moved to critical), and the
    class named for unknown module letters carries the bit="?" clause;
  - every alert's runbook_url is built from the overridden pattern;
  - each dashboard: the overridden tags, uid prefix (and links to it), refresh, and the job
    variable's query with the overridden selector;
  - promtool accepts the rendered rules.
Usage: check_mixin_override.py MIXIN_OVERRIDE.jsonnet
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

SELECTOR = 'job="node-taint", cluster="eu-1"'
SERIES = ("kernel_taint_flag", "kernel_module_taint_flag", "kernel_taint_flag_unattributed",
          "taint_exporter_scrape_success", "taint_exporter_module_list_success", "up")


def main():
    if not shutil.which("jsonnet"):
        sys.exit("FAIL: jsonnet not found: apt-get install jsonnet")
    rendered = json.loads(subprocess.run(["jsonnet", sys.argv[1]], check=True,
                                         capture_output=True, text=True).stdout)
    errors = []
    rules = [r for g in rendered["rules"]["groups"] for r in g["rules"]]
    for r in rules:
        name = r.get("alert") or r.get("record")
        expr = r["expr"]
        # The names inside a __name__ regex are covered by the check of that selector, below.
        scanned = re.sub(r'__name__=~"[^"]*"', '__name__=~""', expr)
        for m in re.finditer(r"(?<![\w:])(%s)(\{[^}]*\})?(?![\w:(])" % "|".join(SERIES), scanned):
            if SELECTOR not in (m.group(2) or ""):
                errors.append(f"rule {name}: {m.group(0)} lacks the selector {SELECTOR}")
        if "__name__" in expr and SELECTOR not in expr:
            errors.append(f"rule {name}: the severity selector lacks {SELECTOR}")
        if r.get("alert"):
            url = r["annotations"].get("runbook_url", "")
            if not url.startswith("https://runbooks.example.com/taint/"):
                errors.append(f"alert {name}: runbook_url {url!r} is not from the pattern")
            if "runbook" in r["annotations"]:
                errors.append(f"alert {name}: still has a runbook annotation")
    expected = [r for r in rules if r.get("record") == "kernel_taint:module_flag_expected"]
    if len(expected) != 1 or 'module=~"nvidia|zfs", flag=~"P|O|E"' not in expected[0]["expr"]:
        errors.append(f"expected taint rule does not hold the overridden regexes: {expected}")
    classes = {r["labels"]["severity"]: r["expr"] for r in rules
               if r.get("record") == "kernel_taint:flag_severity"}
    if 'flag=~"M|B|D|W"' not in classes.get("critical", ""):
        errors.append(f"critical class is not M|B|D|W: {classes.get('critical')!r}")
    if 'flag=~"L|F|R|S|A|U"' not in classes.get("warning", ""):
        errors.append(f"warning class is not L|F|R|S|A|U: {classes.get('warning')!r}")
    unknown = [s for s, e in classes.items() if 'bit="?"' in e]
    if unknown != ["warning"]:
        errors.append(f"bit=\"?\" clause in classes {unknown}, expected ['warning']")

    for file, d in rendered["dashboards"].items():
        if d["tags"] != ["fleet-kernel"]:
            errors.append(f"{file}: tags {d['tags']}")
        if not d["uid"].startswith("k-taint-"):
            errors.append(f"{file}: uid {d['uid']!r} lacks the prefix")
        if d["refresh"] != "5m":
            errors.append(f"{file}: refresh {d['refresh']!r}")
        text = json.dumps(d)
        links = re.findall(r"/d/([\w-]+)/", text)
        if not links or any(not u.startswith("k-taint-") for u in links):
            errors.append(f"{file}: links to dashboards {links}, expected the k-taint- prefix")
        job = next(v for v in d["templating"]["list"] if v["name"] == "job")
        if SELECTOR not in job["query"]["query"] or SELECTOR not in job["definition"]:
            errors.append(f"{file}: job variable {job['query']['query']!r} lacks {SELECTOR}")
    everything = json.dumps(rendered)
    if 'job=\\"taint_exporter\\"' in everything or "taint-exporter-" in everything:
        errors.append("a default (job=\"taint_exporter\" or the uid prefix) is left in the render")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rules.yml")
        yaml.safe_dump(rendered["rules"], open(path, "w"))
        check = subprocess.run(["promtool", "check", "rules", path], capture_output=True, text=True)
        if check.returncode:
            errors.append(f"promtool check rules: {check.stdout}{check.stderr}")

    for e in errors:
        print(f"FAIL: {e}")
    if errors:
        return 1
    print(f"ok: the overrides reach {len(rules)} rules and {len(rendered['dashboards'])} dashboards")
    return 0


if __name__ == "__main__":
    sys.exit(main())
