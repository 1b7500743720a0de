#!/usr/bin/env python3
"""Structural checks of the Grafana dashboards, without a Grafana server.

Grafana is not packaged for Debian 12, so these checks stand in for an import: each names
what it expected and what it found. Usage: check_dashboards.py RULES_FILE DASHBOARD.json...

Checked for each dashboard:
  - a fixed uid (distinct across files), a title, schemaVersion 36..39 (Grafana 10 and later
    read these; 10.0 writes 38, 10.4 and 11 write 39);
  - __inputs declares one Prometheus datasource, and every ${DS_...} in the file is declared;
  - template variables: "datasource" (type datasource, query prometheus), "job" and
    "instance" (type query, on ${datasource}, label_values(...) queries);
  - every panel and every target uses datasource {type: prometheus, uid: ${datasource}}, and
    no other datasource appears anywhere except Grafana's built-in annotation;
  - panel ids unique, gridPos inside 24 columns and not overlapping, every target has an expr
    and a unique refId, every $variable an expr uses is defined;
  - every metric an expr selects is one the exporter serves, a recording rule of RULES_FILE,
    or Prometheus's own up and ALERTS (so a typo fails here, not only on a live fleet);
  - grafana/dashboard-linter's rules that apply, written out here (the linter is a Go tool
    that cannot be installed here): not editable; job and instance variables multi-select
    with All (template-job-rule, template-instance-rule); every selector of a series that has
    job and instance labels matches them with job=~"$job" and instance=~"$instance"
    (target-job-rule, target-instance-rule); every panel that shows numbers has a unit
    (panel-units-rule). The severity table kernel_taint:flag_severity, one row per letter
    without job or instance, is the one selector without them.
"""
import json
import re
import sys

import yaml

import dashboard_exprs as dx

DS = {"type": "prometheus", "uid": "${datasource}"}
EXPORTER_METRICS = {
    "kernel_tainted", "kernel_taint_flag", "kernel_taint_info", "kernel_module_taint_flag",
    "taint_exporter_modules_omitted", "taint_exporter_module_read_errors",
    "taint_exporter_scrape_success", "kernel_taint_layout_info", "taint_exporter_build_info",
}
PROMETHEUS_METRICS = {"up", "ALERTS"}
# Series without job and instance labels: the rules' per-letter severity table.
NO_TARGET_LABELS = {"kernel_taint:flag_severity", "ALERTS"}
# Panel types dashboard-linter's panel-units-rule checks (and bargauge, state-timeline).
UNIT_PANELS = {"stat", "singlestat", "graph", "table", "timeseries", "gauge", "bargauge",
               "state-timeline"}
# Grafana's unit ids (packages/grafana-data/src/valueFormats/categories.ts) these use.
UNITS = {"none", "short", "string", "bool", "percent", "s", "dateTimeAsIso", "bytes"}
# PromQL words that may precede "(" or "{" but are not metric names.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "offset", "bool"}


def recorded(rules_path):
    with open(rules_path) as f:
        doc = yaml.safe_load(f)
    return {r["record"] for g in doc["groups"] for r in g["rules"] if "record" in r}


def selected_metrics(expr):
    """Metric names of the vector selectors of @expr: identifiers not followed by "(" (a
    function or aggregation), outside label matchers and strings, not keywords."""
    no_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    no_matchers = re.sub(r"\{[^}]*\}", "{}", no_strings)
    no_grouping = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)",
                         r"\1", no_matchers)
    no_ranges = re.sub(r"\[[^\]]*\]", "[]", no_grouping)
    names = set()
    # An aggregation is followed by "(" or by its by/without clause.
    for m in re.finditer(r"(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)\s*(\(|by\b|without\b)?", no_ranges):
        word, call = m.group(1), m.group(2)
        if call or word in KEYWORDS or re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        names.add(word)
    return names


def selectors(expr):
    """(metric, matchers) of each vector selector of @expr, matchers "" when it has none."""
    out = []
    no_strings = re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: "\0" * len(m.group(0)), expr)
    for m in re.finditer(r"(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{)?", no_strings):
        word = m.group(1)
        rest = no_strings[m.end(1):].lstrip()
        if rest.startswith("(") or word in KEYWORDS or word in dx.BUILTINS or \
                re.fullmatch(r"\d+[smhdwy]?", word) or word not in ALL_METRICS:
            continue
        matchers = ""
        if m.group(2):
            close = expr.index("}", m.end(2))
            matchers = expr[m.end(2):close]
        out.append((word, matchers))
    return out


def walk(node, path="$"):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


def check(path, d, known_metrics, errors):
    def fail(msg):
        errors.append(f"{path}: {msg}")

    if not re.fullmatch(r"[a-z0-9-]{1,40}", str(d.get("uid", ""))):
        fail(f"uid {d.get('uid')!r}: expected a fixed, short, lower-case uid")
    if not d.get("title"):
        fail("no title")
    if d.get("id") is not None:
        fail(f"id {d.get('id')!r}: expected null, so that import creates a new dashboard")
    sv = d.get("schemaVersion")
    if not isinstance(sv, int) or not 36 <= sv <= 39:
        fail(f"schemaVersion {sv!r}: expected 36..39")

    inputs = d.get("__inputs", [])
    ds_inputs = [i for i in inputs if i.get("type") == "datasource"]
    if len(ds_inputs) != 1 or ds_inputs[0].get("pluginId") != "prometheus":
        fail(f"__inputs {inputs!r}: expected one datasource input with pluginId prometheus")
    declared = {i.get("name") for i in inputs}
    text = json.dumps(d)
    for ref in sorted(set(re.findall(r"\$\{(DS_\w+)\}", text))):
        if ref not in declared:
            fail(f"${{{ref}}} is used but not declared in __inputs")
    for name in sorted(declared):
        if "${" + name + "}" not in text:
            fail(f"__inputs declares {name} but nothing uses ${{{flag_name}}}")

    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    dsv = variables.get("datasource", {})
    if dsv.get("type") != "datasource" or dsv.get("query") != "prometheus":
        fail(f"variable datasource {dsv!r}: expected type datasource, query prometheus")
    for name in ("job", "instance"):
        v = variables.get(name)
        if v is None:
            fail(f"no {name} variable")
            continue
        if v.get("type") != "query" or v.get("datasource") != DS:
            fail(f"variable {name}: type {v.get('type')!r} datasource "
                 f"{v.get('datasource')!r}, expected query on {DS}")
        if not dx.LABEL_VALUES_RE.match(dx.variable_query(v)):
            fail(f"variable {name}: query {dx.variable_query(v)!r} is not label_values()")

    for where, key, value in walk(d):
        if key != "datasource":
            continue
        builtin = value == {"type": "grafana", "uid": "-- Grafana --"} and \
            where.startswith("$.annotations")
        if value != DS and not builtin and not where.endswith("templating.list[0]"):
            fail(f"{where}.datasource is {value!r}, expected {DS}")

    ids = set()
    cells = {}
    panel_count = 0
    for p in dx.panels(d):
        title = f"panel {p.get('id')} {p.get('title')!r}"
        if p.get("id") in ids:
            fail(f"{title}: duplicate panel id")
        ids.add(p.get("id"))
        if p.get("type") == "row":
            continue
        panel_count += 1
        if p.get("datasource") != DS:
            fail(f"{title}: datasource {p.get('datasource')!r}, expected {DS}")
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in "xywh") or g["x"] + g["w"] > 24:
            fail(f"{title}: gridPos {g!r} is not inside 24 columns")
        else:
            for x in range(g["x"], g["x"] + g["w"]):
                for y in range(g["y"], g["y"] + g["h"]):
                    if (x, y) in cells:
                        fail(f"{title}: overlaps {cells[(x, y)]} at x={x} y={y}")
                        break
                    cells[(x, y)] = title
        targets = p.get("targets", [])
        if not targets:
            fail(f"{title}: no targets")
        refids = [t.get("refId") for t in targets]
        if len(set(refids)) != len(refids) or None in refids:
            fail(f"{title}: refIds {refids!r} are not unique")
        for t in targets:
            if t.get("datasource") != DS:
                fail(f"{title} {t.get('refId')}: datasource {t.get('datasource')!r}, "
                     f"expected {DS}")
            expr = t.get("expr", "")
            if not expr.strip():
                fail(f"{title} {t.get('refId')}: empty expr")
            for name in dx.variables_used(expr):
                if name not in variables and name not in dx.BUILTINS:
                    fail(f"{title} {t.get('refId')}: uses ${name}, which is not defined")
    if panel_count == 0:
        fail("no panels")

    if d.get("editable") is not False:
        fail(f"editable {d.get('editable')!r}: expected false, as shipped dashboards are")
    for name in ("job", "instance"):
        v = variables.get(name, {})
        if not v.get("multi") or not v.get("includeAll"):
            fail(f"variable {name}: multi {v.get('multi')!r} includeAll "
                 f"{v.get('includeAll')!r}, expected a multi-select with All")
    for p in dx.panels(d):
        if p.get("type") not in UNIT_PANELS:
            continue
        defaults = p.get("fieldConfig", {}).get("defaults", {})
        if defaults.get("unit") not in UNITS and not defaults.get("mappings"):
            fail(f"panel {p.get('id')} {p.get('title')!r}: unit {defaults.get('unit')!r}, "
                 f"expected one of {sorted(UNITS)}")
        for t in p.get("targets", []):
            for metric, matchers in selectors(t.get("expr", "")):
                if metric in NO_TARGET_LABELS:
                    continue
                for label in ("job", "instance"):
                    if f'{label}=~"${label}"' not in matchers:
                        fail(f"panel {p.get('id')} {p.get('title')!r}: {metric}{{{matchers}}} "
                             f'has no {label}=~"${label}" matcher')

    sample = {name: "x" for name in variables}
    try:
        exprs = dx.extract(path, sample)
    except (KeyError, ValueError) as e:
        fail(str(e))
        return
    for e in exprs:
        unknown = selected_metrics(e["expr"]) - known_metrics
        if unknown:
            fail(f"{e['where']}: selects {sorted(unknown)}, which neither the exporter nor "
                 f"the rules nor Prometheus provide: {e['expr']!r}")
        if not selected_metrics(e["expr"]):
            fail(f"{e['where']}: selects no metric at all: {e['expr']!r}")


ALL_METRICS = set()


def main():
    rules, files = sys.argv[1], sys.argv[2:]
    if not files:
        sys.exit("usage: check_dashboards.py RULES_FILE DASHBOARD.json...")
    known = EXPORTER_METRICS | PROMETHEUS_METRICS | recorded(rules)
    ALL_METRICS.update(known)
    errors = []
    uids = {}
    for path in files:
        with open(path) as f:
            d = json.load(f)
        check(path, d, known, errors)
        if d.get("uid") in uids:
            errors.append(f"{path}: uid {d.get('uid')!r} is also the uid of {uids[d['uid']]}")
        uids[d.get("uid")] = path
    for e in errors:
        print("FAIL:", e)
    if errors:
        return 1
    print(f"ok: {len(files)} dashboards")
    return 0


if __name__ == "__main__":
    sys.exit(main())
