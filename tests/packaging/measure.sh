#!/usr/bin/env bash
# Measures the exporter's memory and CPU under one scrape per second, to size the
# DaemonSet's requests and limits. Not a test: run by hand, the numbers go into the README.
# Usage: measure.sh BINARY SECONDS [--path.procfs=... --path.sysfs=...]
set -euo pipefail
binary=$1
seconds=$2
shift 2
tmp=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$binary" --web.listen-address=127.0.0.1:0 "$@" 2>"$tmp/log" &
pid=$!
for i in $(seq 50); do grep -q 'Listening on' "$tmp/log" && break; sleep 0.1; done
port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/log")
hz=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
curl -s -o "$tmp/m" "http://127.0.0.1:$port/metrics"
start_cpu=$(cpu)
start=$(date +%s.%N)
for i in $(seq "$seconds"); do
	curl -s -H 'Accept: application/openmetrics-text;version=1.0.0' -o "$tmp/m" \
		"http://127.0.0.1:$port/metrics"
	sleep 1
done
end=$(date +%s.%N)
end_cpu=$(cpu)
echo "scrapes: $seconds, response bytes: $(wc -c <"$tmp/m"), series: $(grep -vc '^#' "$tmp/m")"
grep -E '^(VmRSS|VmHWM)' "/proc/$pid/status"
awk -v c=$((end_cpu - start_cpu)) -v hz="$hz" -v s="$start" -v e="$end" \
	'BEGIN { printf "cpu: %.2f s over %.1f s = %.2f millicores\n", c / hz, e - s, 1000 * c / hz / (e - s) }'
