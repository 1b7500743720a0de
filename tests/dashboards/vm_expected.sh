#!/usr/bin/env bash
# The rules as shipped (the expected taint filled in as docs/alerting.md says, nothing sped up) on
# both engines at once, Prometheus and vmalert with victoria-metrics and vmagent, against
# three real exporters: an expected module's load (nvidia, POE) raises nothing, an unexpected
# one's (vboxdrv, OE) fires KernelModuleNewTaint and KernelTaintNewFlag after the rules' minute
# of "for", on both. This is what the fleet rehearsal cannot show at its sixty-fold speed on
# victoria-metrics 1.79, which makes a new series searchable 7 to 11 s after its first sample
# (fleet.sh says more). About two minutes.
#
#   tests/dashboards/vm_expected.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
for tool in prometheus promtool victoria-metrics vmagent vmalert python3 curl; do
	command -v "$tool" >/dev/null || { echo "vm_expected: $tool not found (see .ci/packages)" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/taint-vm-expected.XXXXXX)
pids=()
cleanup() {
	local rc=$?
	trap - EXIT
	kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	if [ "$rc" -ne 0 ]; then
		for log in "$tmp"/*.log; do echo "--- $log" >&2; tail -n 5 "$log" >&2; done
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
put() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" >"$1.tmp"; mv "$1.tmp" "$1"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ready() {
	local deadline=$((SECONDS + 30))
	until curl -fs "$1" >/dev/null 2>&1; do
		[ $SECONDS -le $deadline ] || { echo "vm_expected: $1 did not answer" >&2; return 1; }
		sleep 0.2
	done
}

ports=()
for h in expected unexpected clean; do
	put "$tmp/$h/proc/sys/kernel/osrelease" 6.1.0-27-amd64
	put "$tmp/$h/proc/sys/kernel/tainted" 0
	put "$tmp/$h/proc/modules" "ext4 16384 0 - Live 0x0000000000000000" # a clean module
	mkdir -p "$tmp/$h/sys"
	"$build/taint_exporter" --web.listen-address=127.0.0.1:0 --path.procfs="$tmp/$h/proc" \
		--path.sysfs="$tmp/$h/sys" 2>"$tmp/$h.log" &
	pids+=($!)
done
for h in expected unexpected clean; do
	until p=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/$h.log") && [ -n "$p" ]; do
		sleep 0.1
	done
	ports+=("$p")
done
"$here/expect_modules.sh" "$root/dashboards/taint_exporter.rules.yml" "$tmp/rules.yml" 'nvidia|zfs' 'P|O|E'
promtool check rules "$tmp/rules.yml" >/dev/null
{
	printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
	printf 'scrape_configs:\n  - job_name: taint_exporter\n    static_configs:\n      - targets:\n'
	for p in "${ports[@]}"; do printf '          - 127.0.0.1:%s\n' "$p"; done
} >"$tmp/scrape.yml"
{ sed -n 1,3p "$tmp/scrape.yml"; printf '  evaluation_interval: 1s\nrule_files:\n  - %s\n' "$tmp/rules.yml"; sed 1,3d "$tmp/scrape.yml"; } >"$tmp/prometheus.yml"

pp=$(free_port) vp=$(free_port) ap=$(free_port) lp=$(free_port) sp=$(free_port)
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
	--web.listen-address="127.0.0.1:$pp" --log.level=warn >"$tmp/prometheus.log" 2>&1 &
pids+=($!)
python3 -c '
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0))); self.send_response(200); self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()' "$sp" >"$tmp/sink.log" 2>&1 &
pids+=($!)
vm=http://127.0.0.1:$vp
victoria-metrics -httpListenAddr="127.0.0.1:$vp" -storageDataPath="$tmp/vmdata" -retentionPeriod=1d \
	-search.latencyOffset=0s -loggerLevel=WARN >"$tmp/victoria-metrics.log" 2>&1 &
pids+=($!)
wait_ready "$vm/health"
vmagent -httpListenAddr="127.0.0.1:$ap" -promscrape.config="$tmp/scrape.yml" -remoteWrite.url="$vm/api/v1/write" \
	-remoteWrite.tmpDataPath="$tmp/vmagent" -remoteWrite.flushInterval=200ms -loggerLevel=WARN >"$tmp/vmagent.log" 2>&1 &
pids+=($!)
vmalert -httpListenAddr="127.0.0.1:$lp" -rule="$tmp/rules.yml" -evaluationInterval=1s -datasource.url="$vm" \
	-remoteWrite.url="$vm" -remoteWrite.flushInterval=200ms -remoteRead.url="$vm" \
	-notifier.url="http://127.0.0.1:$sp" -datasource.queryTimeAlignment=false -datasource.queryStep=5s \
	-loggerLevel=WARN >"$tmp/vmalert.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$pp/-/ready"
wait_ready "http://127.0.0.1:$ap/health"
wait_ready "http://127.0.0.1:$lp/health"
engines=("http://127.0.0.1:$pp" "$vm,http://127.0.0.1:$lp")
check() { python3 "$here/fleet_check.py" "$@"; }
for e in "${engines[@]}"; do check ready "$e" 3 60; done

echo "vm_expected: loading nvidia (expected) and vboxdrv (not) at $(date -u +%T)"
put "$tmp/expected/proc/modules" "ext4 16384 0 - Live 0x0000000000000000
nvidia 16384 0 - Live 0x0000000000000000 (POE)"
put "$tmp/expected/proc/sys/kernel/tainted" 12289
put "$tmp/unexpected/proc/modules" "ext4 16384 0 - Live 0x0000000000000000
vboxdrv 16384 0 - Live 0x0000000000000000 (OE)"
put "$tmp/unexpected/proc/sys/kernel/tainted" 12288
u=127.0.0.1:${ports[1]}
expected=$(printf '[%s]' "$(printf '%s,' \
	"{\"alertname\":\"KernelTaintNewFlag\",\"instance\":\"$u\",\"flag\":\"O\"}" \
	"{\"alertname\":\"KernelTaintNewFlag\",\"instance\":\"$u\",\"flag\":\"E\"}" \
	"{\"alertname\":\"KernelModuleNewTaint\",\"instance\":\"$u\",\"module\":\"vboxdrv\",\"flag\":\"O\"}" \
	"{\"alertname\":\"KernelModuleNewTaint\",\"instance\":\"$u\",\"module\":\"vboxdrv\",\"flag\":\"E\"}" | sed 's/,$//')")
# Both at once: the unexpected module's alerts fire after the minute of "for", and nothing
# fires for the expected one meanwhile; then, 20 s on, still nothing for it.
both() {
	local cmd=$1 i rc=0
	shift
	local waits=()
	for i in "${!engines[@]}"; do
		check "$cmd" "${engines[i]}" "$@" >"$tmp/check.$cmd.$i" 2>&1 &
		waits+=($!)
	done
	for i in "${!waits[@]}"; do
		wait "${waits[i]}" || rc=1
		sed "s|^|[${engines[i]%%,*}] |" "$tmp/check.$cmd.$i"
	done
	return $rc
}
both alerts "$expected" 100
sleep 20
both alerts "$expected" 5
echo "vm_expected: ok: on both engines the unexpected module fired, the expected one raised nothing"
