# Shared helpers for the integration tests: fixture trees, starting the real exporter on an
# ephemeral loopback port, scraping it, and assertions that say what was expected.
# Every process started here is stopped by the EXIT trap.

set -euo pipefail

EXPORTER=${EXPORTER:?set EXPORTER to the taint_exporter binary}
WORK=$(mktemp -d)
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

pass() {
	echo "ok - $*"
}

# make_tree DIR TAINTED [OSRELEASE]: a procfs and sysfs stand-in under DIR/proc and DIR/sys,
# with no module loaded (an empty /proc/modules).
make_tree() {
	local dir=$1 tainted=$2 osrelease=${3:-6.1.0-28-amd64}
	mkdir -p "$dir/proc/sys/kernel" "$dir/sys/module"
	printf '%s\n' "$tainted" >"$dir/proc/sys/kernel/tainted"
	printf '%s\n' "$osrelease" >"$dir/proc/sys/kernel/osrelease"
	: >"$dir/proc/modules"
}

# add_module DIR NAME LETTERS: a loaded module carrying LETTERS (none: a clean one), as a line
# of /proc/modules in the kernel's format.
add_module() {
	if [ -n "$3" ]; then
		printf '%s 16384 0 - Live 0x0000000000000000 (%s)\n' "$2" "$3" >>"$1/proc/modules"
	else
		printf '%s 16384 0 - Live 0x0000000000000000\n' "$2" >>"$1/proc/modules"
	fi
}

# remove_module DIR NAME: unload the module NAME.
remove_module() {
	sed -i "/^$2 /d" "$1/proc/modules"
}

# start_exporter LOG ARGS...: start the exporter on 127.0.0.1:0 (and on any further address
# in ARGS), wait until it listens, and set PORT (of 127.0.0.1) and PID. LOG receives stderr.
start_exporter() {
	local log=$1
	shift
	"$EXPORTER" --web.listen-address=127.0.0.1:0 "$@" 2>"$log" &
	PID=$!
	PIDS+=("$PID")
	local i
	for i in $(seq 1 200); do
		# logfmt: address=127.0.0.1:N; JSON: "address":"127.0.0.1:N"
		PORT=$(grep -oE 'address"?[=:]"?127\.0\.0\.1:[0-9]+' "$log" | head -n 1 | sed 's/.*://') || true
		[ -n "$PORT" ] && return 0
		kill -0 "$PID" 2>/dev/null || fail "exporter exited during start-up: $(cat "$log")"
		sleep 0.05
	done
	fail "exporter did not log its address within 10 s: $(cat "$log")"
}

# scrape [CURL ARGS...] PATH: the body of GET http://127.0.0.1:$PORT$PATH.
scrape() {
	curl -sS --max-time 5 "${@:1:$#-1}" "http://127.0.0.1:${PORT}${!#}"
}

# assert_line TEXT LINE WHAT: TEXT has LINE as one of its lines, exactly.
assert_line() {
	grep -qxF -- "$2" <<<"$1" || fail "$3: expected the line '$2' in:"$'\n'"$1"
}

# refute_match TEXT REGEX WHAT: no line of TEXT matches REGEX.
refute_match() {
	if grep -qE -- "$2" <<<"$1"; then
		fail "$3: expected no line matching '$2' in:"$'\n'"$1"
	fi
}

# assert_alive WHAT: the exporter is still running.
assert_alive() {
	kill -0 "$PID" 2>/dev/null || fail "$1: the exporter died"
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_prometheus CONFIG: a real Prometheus server on a free loopback port, with its data in
# $WORK; sets PROM (its base URL) once it answers /-/ready.
start_prometheus() {
	local port
	port=$(free_port)
	prometheus --config.file="$1" --storage.tsdb.path="$WORK/prometheus-data" \
		--web.listen-address="127.0.0.1:$port" --log.level=warn \
		>"$WORK/prometheus.log" 2>&1 &
	PIDS+=("$!")
	PROM="http://127.0.0.1:$port"
	local i
	for i in $(seq 1 300); do
		curl -sf "$PROM/-/ready" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "Prometheus did not become ready: $(cat "$WORK/prometheus.log")"
}

# prom_query EXPR: the JSON answer of Prometheus's /api/v1/query for EXPR.
prom_query() {
	curl -sS --max-time 5 -G "$PROM/api/v1/query" --data-urlencode "query=$1"
}

# prom_wait_for EXPR EXPECTED SECONDS: poll until the sorted "labels=value" lines that
# prom_values prints for EXPR equal EXPECTED; fail after SECONDS with what came instead.
prom_wait_for() {
	local deadline=$((SECONDS + $3)) got=""
	while [ "$SECONDS" -lt "$deadline" ]; do
		got=$(prom_query "$1" | prom_values)
		[ "$got" = "$2" ] && return 0
		sleep 0.5
	done
	fail "query '$1': expected"$'\n'"$2"$'\n'"got"$'\n'"$got"
}

# prom_values: reads a query answer on stdin, prints one "label=value,...: value" per series.
prom_values() {
	python3 -c '
import json, sys
answer = json.load(sys.stdin)
if answer.get("status") != "success":
    print("error: " + answer.get("error", "?"))
    sys.exit(0)
lines = []
for series in answer["data"]["result"]:
    labels = ",".join(f"{k}={v}" for k, v in sorted(series["metric"].items())
                      if k not in ("instance", "job"))
    value = series["value"][1]
    lines.append(f"{labels}: {value}")
print("\n".join(sorted(lines)))
'
}
