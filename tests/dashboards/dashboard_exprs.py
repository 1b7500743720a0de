#!/usr/bin/env python3
"""Every PromQL expression of the Grafana dashboards in dashboards/, for the checks.

Extracts each panel target's expr and each query variable's query (label_values(SELECTOR,
LABEL) gives its SELECTOR), and substitutes dashboard variables and Grafana's built-in
interval variables, so that the result can be sent to Prometheus as it is.

As a program: dashboard_exprs.py [--var NAME=VALUE]... DASHBOARD.json...
prints one JSON object per line: {"file", "kind" ("panel" or "variable"), "where", "expr",
"label" (variables only), "instant" (panels only)}.
"""
import argparse
import json
import re
import sys

# Grafana's built-in variables, with values that suit a fleet scraped every second.
BUILTINS = {"__interval": "15s", "__rate_interval": "1m", "__range": "5m"}

VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)")
LABEL_VALUES_RE = re.compile(r"^\s*label_values\(\s*(.*?)\s*,\s*(\w+)\s*\)\s*$", re.S)


def panels(dashboard):
    """Every panel, including those nested in collapsed rows."""
    for p in dashboard.get("panels", []):
        yield p
        yield from p.get("panels", [])


def variable_query(var):
    q = var.get("query")
    return q.get("query", "") if isinstance(q, dict) else (q or "")


def variables_used(text):
    return {next(g for g in m.groups() if g) for m in VAR_RE.finditer(text)}


def substitute(text, values):
    """Replaces $name, ${name}, ${name:fmt} and [[name]]; an unknown name is an error."""
    allv = dict(BUILTINS, **values)

    def repl(m):
        name = next(g for g in m.groups() if g)
        if name not in allv:
            raise KeyError(f"no value for dashboard variable ${name} in {text!r}")
        return allv[name]

    return VAR_RE.sub(repl, text)


def extract(path, values):
    with open(path) as f:
        d = json.load(f)
    out = []
    for var in d.get("templating", {}).get("list", []):
        if var.get("type") != "query":
            continue
        q = variable_query(var)
        m = LABEL_VALUES_RE.match(q)
        if not m:
            raise ValueError(f"{path}: variable {var['name']}: not label_values(SELECTOR, "
                             f"LABEL): {q!r}")
        out.append({"file": path, "kind": "variable", "where": f"variable {var['name']}",
                    "expr": substitute(m.group(1), values), "label": m.group(2)})
    for p in panels(d):
        for t in p.get("targets", []):
            out.append({"file": path, "kind": "panel",
                        "where": f"panel {p.get('id')} {p.get('title')!r} {t.get('refId')}",
                        "expr": substitute(t.get("expr", ""), values),
                        "instant": bool(t.get("instant"))})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    values = dict(v.split("=", 1) for v in args.var)
    for path in args.files:
        for e in extract(path, values):
            print(json.dumps(e))


if __name__ == "__main__":
    sys.exit(main())
