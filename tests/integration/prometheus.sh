#!/usr/bin/env bash
# A real Prometheus server scrapes the real exporter every second: its query API returns the
# fixture's value, flags and modules, and follows a change of the taint file.
. "$(dirname "$0")/lib.sh"

tree=$WORK/host
make_tree "$tree" 4609
add_module "$tree" nvidia POE
start_exporter "$WORK/exporter.log" --path.procfs="$tree/proc" --path.sysfs="$tree/sys"

cat >"$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: taint
    static_configs:
      - targets: ["127.0.0.1:$PORT"]
        # A target label many fleets set (EC2's Name tag, relabelled): the exporter's own
        # labels must not collide with it (Prometheus would rename ours exported_name).
        labels:
          name: web-01
YAML
start_prometheus "$WORK/prometheus.yml"

prom_wait_for 'up{job="taint"}' "__name__=up,name=web-01: 1" 30
prom_wait_for 'kernel_tainted' "__name__=kernel_tainted,name=web-01: 4609" 10
prom_wait_for 'kernel_taint_flag == 1' '__name__=kernel_taint_flag,bit=0,flag=P,flag_name=proprietary_module,name=web-01: 1
__name__=kernel_taint_flag,bit=12,flag=O,flag_name=oot_module,name=web-01: 1
__name__=kernel_taint_flag,bit=9,flag=W,flag_name=warn,name=web-01: 1' 10
prom_wait_for 'count(kernel_taint_flag == 0)' ": 17" 10
prom_wait_for 'kernel_module_taint_flag' '__name__=kernel_module_taint_flag,bit=0,flag=P,flag_name=proprietary_module,module=nvidia,name=web-01: 1
__name__=kernel_module_taint_flag,bit=12,flag=O,flag_name=oot_module,module=nvidia,name=web-01: 1
__name__=kernel_module_taint_flag,bit=13,flag=E,flag_name=unsigned_module,module=nvidia,name=web-01: 1' 10
prom_wait_for 'taint_exporter_scrape_success' "__name__=taint_exporter_scrape_success,name=web-01: 1" 10
pass "Prometheus stores the fixture's value, its three flags and nvidia's three letters"

# A new taint (a machine check) reaches Prometheus on the next scrapes.
printf '%s\n' $((4609 | 16)) >"$tree/proc/sys/kernel/tainted"
prom_wait_for 'kernel_taint_flag{flag="M"}' "__name__=kernel_taint_flag,bit=4,flag=M,flag_name=machine_check,name=web-01: 1" 10
prom_wait_for 'kernel_tainted' "__name__=kernel_tainted,name=web-01: 4625" 10
pass "Prometheus sees a new flag within seconds"

# The last scrape was OpenMetrics (Prometheus 2.42 asks for it first) and was healthy.
targets=$(curl -sS "$PROM/api/v1/targets")
python3 -c '
import json, sys
t = json.loads(sys.argv[1])["data"]["activeTargets"][0]
assert t["health"] == "up", t
assert t["lastError"] == "", t
' "$targets" || fail "target not healthy: $targets"
pass "the target is healthy with no scrape error"
