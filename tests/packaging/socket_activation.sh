#!/usr/bin/env bash
# The exporter started the way taint_exporter.socket starts it: systemd-socket-activate binds
# the port and passes the socket (LISTEN_FDS=1), the exporter is run with
# --web.systemd-socket, must say it got the socket from systemd, tell a NOTIFY_SOCKET
# READY=1 (Type=notify), and serve the fixture tree's metrics on the passed socket.
# Usage: socket_activation.sh BINARY
set -euo pipefail
binary=$(realpath "$1")
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
make_fixture "$tmp"

# A stand-in for systemd's notification socket: prints each datagram on a line.
python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)
' "$tmp/notify" >"$tmp/notify.log" &
pids+=($!)
wait_for_log "$tmp/notify.log" '^bound$'

for attempt in 1 2 3 4 5; do
	port=$(free_port)
	: >"$tmp/log"
	NOTIFY_SOCKET="$tmp/notify" systemd-socket-activate -E NOTIFY_SOCKET \
		-l "127.0.0.1:$port" "$binary" --web.systemd-socket \
		--path.procfs="$tmp/proc" --path.sysfs="$tmp/sys" 2>"$tmp/log" &
	pid=$!
	pids+=("$pid")
	if wait_for_log "$tmp/log" 'Listening on 127.0.0.1:|Failed to' 2>/dev/null &&
		! grep -q 'Failed to' "$tmp/log"; then
		break
	fi
	kill "$pid" 2>/dev/null || true # lost the port to someone else: try another
done

# systemd-socket-activate binds now and starts the exporter on the first connection.
curl -sS --fail --max-time 10 -o "$tmp/metrics" "http://127.0.0.1:$port/metrics"
check_fixture_metrics "$tmp/metrics"

if ! grep -qE "msg=\"Listening on\" address=127.0.0.1:$port from=systemd" "$tmp/log"; then
	echo "the exporter must log that it listens on the socket from systemd; log:" >&2
	cat "$tmp/log" >&2
	exit 1
fi
wait_for_log "$tmp/notify.log" '(^| )READY=1( |$)'
curl -sS --fail --max-time 10 -o /dev/null "http://127.0.0.1:$port/-/ready"
echo "ok: socket-activated exporter on 127.0.0.1:$port served the fixture and sent READY=1"
