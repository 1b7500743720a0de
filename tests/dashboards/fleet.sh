#!/usr/bin/env bash
# The fleet rehearsal: the alerting rules and dashboards of dashboards/ against a real
# Prometheus (Debian's prometheus package) scraping a fleet of real exporters on loopback.
#
#   tests/dashboards/fleet.sh [BUILD_DIR]      (default: build; needs BUILD_DIR/taint_exporter)
#
# 1. Starts FLEET_HOSTS (default 50) exporters, each on 127.0.0.1:0 with its own fixture procfs
#    and sysfs under a temporary directory (upstream, RHEL 7/8/9 and SUSE layouts; clean hosts,
#    hosts tainted since boot, an unknown bit, vendor bits), reading each port from its log.
# 2. Starts Prometheus on a free loopback port, scraping all of them every second, with a test
#    copy of the rules (fast_rules.sh) in which every duration in minutes becomes the same
#    number of seconds: the same expressions, sixty times faster, so that the 30m new-taint
#    window is 30 s.
# 3. Waits until every target is up with some history, failing if any alert fires.
# 4. Flips a few hosts: a new W on a host tainted since boot, an M on a clean host, a new
#    out-of-tree module on a host already O-tainted, an exporter killed, a taint file made
#    unparseable, and an expected module (nvidia, POE: the rules are run with the expected
#    taint filled in, expect_modules.sh) loaded on a clean host. Then checks through /api/v1/alerts that exactly the expected alerts fire on
#    exactly those hosts with the expected severity, and nothing fires anywhere else (the
#    expected module's host included).
# 5. Runs every PromQL expression of the dashboards (panel targets and template variable
#    queries, variables substituted) through the API: each must parse and return data.
# 6. Waits for the two new-taint alerts to resolve by themselves (they fire once, for the
#    window) while the exporter alerts keep firing.
# Every wait polls with a deadline. Every process it starts is stopped on exit, and the
# temporary directory removed (FLEET_KEEP=1 keeps it for a post-mortem).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
exporter=$build/taint_exporter
hosts=${FLEET_HOSTS:-50}
rules=$root/dashboards/taint_exporter.rules.yml
started=$SECONDS

for tool in prometheus promtool python3 curl; do
	command -v "$tool" >/dev/null || { echo "fleet: $tool not found (see .ci/packages)" >&2; exit 1; }
done
[ -x "$exporter" ] || { echo "fleet: $exporter not built" >&2; exit 1; }
[ "$hosts" -ge 10 ] || { echo "fleet: FLEET_HOSTS must be at least 10" >&2; exit 1; }

tmp=$(mktemp -d /tmp/taint-fleet.XXXXXX)
pids=()
prom_pid=
cleanup() {
	local rc=$?
	trap - EXIT
	for pid in "${pids[@]}" $prom_pid; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}" $prom_pid; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "$rc" -ne 0 ] && [ -f "$tmp/prometheus.log" ]; then
		echo "--- last lines of the Prometheus log" >&2
		tail -n 20 "$tmp/prometheus.log" >&2
	fi
	if [ "${FLEET_KEEP:-0}" = 1 ]; then
		echo "fleet: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Atomic writes, so that an exporter never reads half a file.
put() { # put FILE CONTENT
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# mkhost DIR OSRELEASE VALUE [MODULE=LETTERS]...
mkhost() {
	local dir=$1 osrelease=$2 value=$3
	shift 3
	mkdir -p "$dir/proc/sys/kernel" "$dir/sys/module/ext4"
	put "$dir/proc/sys/kernel/osrelease" "$osrelease"
	put "$dir/proc/sys/kernel/tainted" "$value"
	put "$dir/sys/module/ext4/taint" "" # a clean module
	case $osrelease in
	*default) put "$dir/proc/sys/kernel/unsupported" 0 ;; # marks a SUSE kernel
	esac
	local m
	for m in "$@"; do
		put "$dir/sys/module/${m%%=*}/taint" "${m#*=}"
	done
}

# The six hosts whose state the test changes, and the layouts and states of the others.
mkhost "$tmp/h0" 6.1.0-27-amd64 4097 nvidia=PO # will get W
mkhost "$tmp/h1" 6.1.0-27-amd64 0               # will get M
mkhost "$tmp/h2" 6.1.0-27-amd64 4096 zfs=O      # will load vboxdrv (O)
mkhost "$tmp/h3" 6.1.0-27-amd64 0               # exporter will be killed
mkhost "$tmp/h4" 6.1.0-27-amd64 4609 nvidia=PO  # taint file will turn to garbage
mkhost "$tmp/h5" 6.1.0-27-amd64 0               # will load nvidia (POE): expected, no alert
releases=(6.1.0-27-amd64 3.10.0-1160.el7.x86_64 4.18.0-553.el8_10.x86_64 5.14.0-427.el9.x86_64
	5.14.21-150500.55.65-default)
for ((i = 6; i < hosts; i++)); do
	rel=${releases[i % 5]}
	case $((i % 4)) in
	0) mkhost "$tmp/h$i" "$rel" 0 ;;
	1) case $rel in # tainted since boot, with vendor bits
		*el7*) mkhost "$tmp/h$i" "$rel" $((268435456 + 12289)) nvidia=POE ;;
		*el8*) mkhost "$tmp/h$i" "$rel" $((536870912 + 12289)) nvidia=POE ;;
		*el9*) mkhost "$tmp/h$i" "$rel" $((2147483648 + 12289)) nvidia=POE ;;
		*default) mkhost "$tmp/h$i" "$rel" 2147561472 vendor_drv=OEX ;;
		*) mkhost "$tmp/h$i" "$rel" 12289 nvidia=POE ;;
		esac ;;
	2) mkhost "$tmp/h$i" "$rel" $((512 + 4096 + 16384)) zfs=O ;; # W, O, L since boot
	3) mkhost "$tmp/h$i" "$rel" $((1099511627776 + 4096)) odd=OQ ;; # an unknown bit and letter
	esac
done

# Start the exporters, then read each one's port from its log.
for ((i = 0; i < hosts; i++)); do
	"$exporter" --web.listen-address=127.0.0.1:0 --path.procfs="$tmp/h$i/proc" \
		--path.sysfs="$tmp/h$i/sys" --log.level=info 2>"$tmp/h$i/log" &
	pids[i]=$!
done
ports=()
deadline=$((SECONDS + 20))
for ((i = 0; i < hosts; i++)); do
	until ports[i]=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' \
		"$tmp/h$i/log") && [ -n "${ports[i]}" ]; do
		if ! kill -0 "${pids[i]}" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
			echo "fleet: exporter $i did not start:" >&2
			cat "$tmp/h$i/log" >&2
			exit 1
		fi
		sleep 0.1
	done
done
instance() { echo "127.0.0.1:${ports[$1]}"; }
echo "fleet: $hosts exporters listening ($(instance 0) ... $(instance $((hosts - 1))))"

# The rules with this fleet's expected taint filled in as the README says (P, O and E of nvidia
# and zfs: expect_modules.sh), sixty times faster (fast_rules.sh says how, and checks that only
# durations changed).
"$here/expect_modules.sh" "$rules" "$tmp/expected.yml" 'nvidia|zfs' 'P|O|E'
"$here/fast_rules.sh" "$tmp/expected.yml" "$tmp/rules.yml"

{
	printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n'
	printf 'rule_files:\n  - %s\n' "$tmp/rules.yml"
	printf 'scrape_configs:\n  - job_name: taint_exporter\n    static_configs:\n      - targets:\n'
	for ((i = 0; i < hosts; i++)); do
		printf '          - %s\n' "$(instance "$i")"
	done
} >"$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml" >/dev/null

# A free port can be taken between choosing it and binding it: try again with another.
for attempt in 1 2 3; do
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	rm -rf "$tmp/data"
	prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
		--web.listen-address="127.0.0.1:$port" --log.level=warn >"$tmp/prometheus.log" 2>&1 &
	prom_pid=$!
	url="http://127.0.0.1:$port"
	deadline=$((SECONDS + 30))
	until curl -fs "$url/-/ready" >/dev/null 2>&1; do
		if ! kill -0 "$prom_pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
			break
		fi
		sleep 0.2
	done
	curl -fs "$url/-/ready" >/dev/null 2>&1 && break
	kill "$prom_pid" 2>/dev/null || true
	wait "$prom_pid" 2>/dev/null || true
	prom_pid=
	echo "fleet: Prometheus did not start on port $port (attempt $attempt):" >&2
	tail -n 5 "$tmp/prometheus.log" >&2
done
[ -n "$prom_pid" ] || exit 1
echo "fleet: Prometheus $(prometheus --version 2>&1 | sed -n '1s/.*version \([^ ]*\).*/\1/p') ready at $url"

check() { python3 "$here/fleet_check.py" "$@"; }
check ready "$url" "$hosts" 30

# The changes, all at once.
echo "fleet: flipping taints"
put "$tmp/h0/proc/sys/kernel/tainted" $((4097 + 512))
put "$tmp/h1/proc/sys/kernel/tainted" 16
put "$tmp/h2/sys/module/vboxdrv/taint" O
kill "${pids[3]}"
wait "${pids[3]}" 2>/dev/null || true
unset 'pids[3]'
put "$tmp/h4/proc/sys/kernel/tainted" garbage
put "$tmp/h5/sys/module/nvidia/taint" POE # the module first, as the kernel's load does
put "$tmp/h5/proc/sys/kernel/tainted" 12289

expected=$(printf '[%s]' "$(printf '%s,' \
	"{\"alertname\":\"KernelTaintNewFlag\",\"instance\":\"$(instance 0)\",\"flag\":\"W\",\"name\":\"warn\",\"severity\":\"warning\"}" \
	"{\"alertname\":\"KernelTaintNewFlag\",\"instance\":\"$(instance 1)\",\"flag\":\"M\",\"name\":\"machine_check\",\"severity\":\"critical\"}" \
	"{\"alertname\":\"KernelModuleNewTaint\",\"instance\":\"$(instance 2)\",\"module\":\"vboxdrv\",\"flag\":\"O\",\"severity\":\"info\"}" \
	"{\"alertname\":\"TaintExporterDown\",\"instance\":\"$(instance 3)\",\"severity\":\"warning\"}" \
	"{\"alertname\":\"TaintExporterCannotReadTaint\",\"instance\":\"$(instance 4)\",\"severity\":\"warning\"}" |
	sed 's/,$//')")
check alerts "$url" "$expected" 25

# The dashboards on this fleet: the fleet view over every host, the host view on the host
# with the new module (tainted, with modules and alerts).
check dashboards "$url" --var job=taint_exporter --var instance=.+ "$root/dashboards/taint-fleet.json"
check dashboards "$url" --var job=taint_exporter --var instance="$(instance 2)" "$root/dashboards/taint-host.json"

check resolved "$url" "$expected" KernelTaintNewFlag,KernelModuleNewTaint 45

echo "fleet: ok in $((SECONDS - started)) s"
