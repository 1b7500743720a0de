#!/usr/bin/env python3
"""The Kubernetes install's ServiceMonitor on a real Prometheus: its endpoints scraped the way
prometheus-operator writes the scrape config for it (job from the Service's name, or from
spec.jobLabel, then the endpoint's relabelings), targets given with the Kubernetes discovery
labels through file_sd, the shipped rules (sixty times faster, tests/dashboards/
fast_rules.sh). The exporter is stopped: TaintExporterDown must fire, for the node's name as
instance. With the job left as the operator names it, the alert could never fire.

Usage: servicemonitor_alerts.py EXPORTER SERVICEMONITOR RULES FAST_RULES_SH
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


def main():
    exporter, monitor_path, rules, fast_rules = sys.argv[1:5]
    monitor = yaml.safe_load(open(monitor_path))
    with tempfile.TemporaryDirectory(prefix="taint-sm-") as tmp:
        os.makedirs(f"{tmp}/proc/sys/kernel")
        os.makedirs(f"{tmp}/sys")
        open(f"{tmp}/proc/sys/kernel/tainted", "w").write("0\n")
        open(f"{tmp}/proc/modules", "w").write("")
        exp_port = free_port()
        exp = subprocess.Popen([exporter, f"--web.listen-address=127.0.0.1:{exp_port}",
                                f"--path.procfs={tmp}/proc", f"--path.sysfs={tmp}/sys"],
                               stderr=subprocess.DEVNULL)
        subprocess.run([fast_rules, rules, f"{tmp}/rules.yml"], check=True)
        job, targets = scrape_config(monitor, f"127.0.0.1:{exp_port}")
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
                      f"(job {labels['job']!r}; the rule selects job=\"taint_exporter\")")
                return 1
            instance = fired[0]["labels"]["instance"]
            if instance != NODE:
                print(f"FAIL: TaintExporterDown fired for instance {instance!r}, not the "
                      f"node's name {NODE!r}")
                return 1
            print(f"ok: TaintExporterDown fired for instance {instance} once the exporter stopped")
            return 0
        finally:
            for p in (exp, prom):
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
                    p.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
