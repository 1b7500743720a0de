#!/usr/bin/env python3
"""Each shipped way to install, on a real Prometheus with the rules that install ships: the
exporter is stopped, and TaintExporterDown must fire for it.

  scrape-config DOC RULES: the scrape config of the first yaml block of DOC that has a
      job_name (docs/alerting.md's, for packages and systemd), its targets replaced by the
      exporter, with RULES (dashboards/taint_exporter.rules.yml).
  kubernetes BASE: the kustomize base's ServiceMonitor, scraped the way prometheus-operator
      writes the scrape config for it (job from the Service's name, or from spec.jobLabel,
      then the endpoint's relabelings), the target given with the Kubernetes discovery labels
      through file_sd, with the rules of the base's PrometheusRule. The alert must name the
      node as instance. With the job left as the operator names it, it could never fire.

The rules run sixty times faster (tests/dashboards/fast_rules.sh), so "for: 5m" is 5 s.
Usage: install_alerts.py EXPORTER FAST_RULES_SH scrape-config DOC RULES
       install_alerts.py EXPORTER FAST_RULES_SH kubernetes BASE
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

NODE = "worker-7"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape_config(monitor, target):
    """What prometheus-operator writes for the ServiceMonitor's first endpoint (the parts that
    decide job and instance), with @target discovered as a pod of its Service."""
    spec = monitor["spec"]
    endpoint = spec["endpoints"][0]
    service = "taint-exporter"
    job_source = (f"__meta_kubernetes_service_label_{re.sub('[^a-zA-Z0-9_]', '_', spec['jobLabel'])}"
                  if spec.get("jobLabel") else "__meta_kubernetes_service_name")
    relabel = [
        {"source_labels": ["__meta_kubernetes_pod_node_name"], "target_label": "node"},
        {"source_labels": [job_source], "target_label": "job", "replacement": "${1}"},
    ]
    for r in endpoint.get("relabelings", []):
        rule = {"action": r.get("action", "replace")}
        if "sourceLabels" in r:
            rule["source_labels"] = r["sourceLabels"]
        for k, v in (("targetLabel", "target_label"), ("replacement", "replacement"),
                     ("regex", "regex"), ("separator", "separator")):
            if k in r:
                rule[v] = r[k]
        relabel.append(rule)
    meta = {"__meta_kubernetes_service_name": service,
            "__meta_kubernetes_pod_node_name": NODE,
            "__meta_kubernetes_service_label_app_kubernetes_io_name": service}
    return {"job_name": f"serviceMonitor/monitoring/{service}/0",
            "metrics_path": endpoint.get("path", "/metrics"),
            "file_sd_configs": [{"files": ["targets.json"]}],
            "relabel_configs": relabel}, [{"targets": [target], "labels": meta}]


def documented_scrape_config(doc, target):
    """The first scrape config of a yaml block of @doc, scraping @target instead."""
    for block in re.findall(r"```yaml\n(.*?)```", open(doc).read(), re.S):
        config = yaml.safe_load(block)
        if isinstance(config, dict) and config.get("scrape_configs"):
            job = config["scrape_configs"][0]
            job["static_configs"] = [{"targets": [target]}]
            return job
    sys.exit(f"FAIL: {doc} has no yaml block with scrape_configs")


def install(kind, sources, tmp, target):
    """The scrape job, its file_sd targets (or None) and the rules file of install @kind."""
    if kind == "scrape-config":
        doc, rules = sources
        return documented_scrape_config(doc, target), None, rules, target
    (base,) = sources
    monitor = yaml.safe_load(open(os.path.join(base, "servicemonitor.yaml")))
    rule = yaml.safe_load(open(os.path.join(base, "prometheusrule.yaml")))
    rules = f"{tmp}/prometheusrule-spec.yml"
    yaml.safe_dump(rule["spec"], open(rules, "w"), sort_keys=False)
    job, targets = scrape_config(monitor, target)
    return job, targets, rules, NODE


def main():
    exporter, fast_rules, kind = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="taint-install-") as tmp:
        os.makedirs(f"{tmp}/proc/sys/kernel")
        os.makedirs(f"{tmp}/sys")
        open(f"{tmp}/proc/sys/kernel/tainted", "w").write("0\n")
        open(f"{tmp}/proc/modules", "w").write("")
        exp_port = free_port()
        exp = subprocess.Popen([exporter, f"--web.listen-address=127.0.0.1:{exp_port}",
                                f"--path.procfs={tmp}/proc", f"--path.sysfs={tmp}/sys"],
                               stderr=subprocess.DEVNULL)
        job, targets, rules, instance_wanted = install(kind, sys.argv[4:], tmp,
                                                       f"127.0.0.1:{exp_port}")
        subprocess.run([fast_rules, rules, f"{tmp}/rules.yml"], check=True)
        if targets is not None:
            json.dump(targets, open(f"{tmp}/targets.json", "w"))
        yaml.safe_dump({"global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                                   "evaluation_interval": "1s"},
                        "rule_files": [f"{tmp}/rules.yml"], "scrape_configs": [job]},
                       open(f"{tmp}/prometheus.yml", "w"))
        prom_port = free_port()
        prom = subprocess.Popen(["prometheus", f"--config.file={tmp}/prometheus.yml",
                                 f"--storage.tsdb.path={tmp}/data", "--log.level=warn",
                                 f"--web.listen-address=127.0.0.1:{prom_port}"], cwd=tmp,
                                stderr=open(f"{tmp}/prometheus.log", "w"))
        api = lambda q: json.load(urllib.request.urlopen(
            f"http://127.0.0.1:{prom_port}/api/v1/{q}", timeout=5))["data"]
        try:
            up = None
            for _ in range(150):
                try:
                    up = api("query?query=up")["result"]
                except OSError:
                    up = None
                if up and up[0]["value"][1] == "1":
                    break
                time.sleep(0.2)
            if not up:
                sys.exit(f"FAIL: Prometheus never scraped the exporter: "
                         f"{open(f'{tmp}/prometheus.log').read()[-1000:]}")
            labels = up[0]["metric"]
            print(f"scraped as job={labels['job']!r} instance={labels['instance']!r}")
            exp.send_signal(signal.SIGTERM)
            exp.wait(timeout=10)
            fired = None
            for _ in range(40):  # "for: 5m" is 5 s here
                alerts = api("alerts")["alerts"]
                fired = [a for a in alerts if a["labels"]["alertname"] == "TaintExporterDown"
                         and a["state"] == "firing"]
                if fired:
                    break
                time.sleep(0.5)
            if not fired:
                print(f"FAIL: the exporter stopped, TaintExporterDown never fired "
                      f"(job {labels['job']!r})")
                return 1
            instance = fired[0]["labels"]["instance"]
            if instance != instance_wanted:
                print(f"FAIL: TaintExporterDown fired for instance {instance!r}, not "
                      f"{instance_wanted!r}")
                return 1
            print(f"ok ({kind}): TaintExporterDown fired for instance {instance} once the "
                  f"exporter stopped")
            return 0
        finally:
            for p in (exp, prom):
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
                    p.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
