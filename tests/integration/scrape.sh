#!/usr/bin/env bash
# The real binary on a real socket: metrics for the seed's and TAINT.md's values, content
# negotiation, routes and methods, a fresh read on every scrape, promtool's verdict, and the
# process surviving every bad taint file.
. "$(dirname "$0")/lib.sh"

tree=$WORK/host
make_tree "$tree" 4609
add_module "$tree" nvidia POE
add_module "$tree" vboxdrv OE
add_module "$tree" ext4 ""
start_exporter "$WORK/log" --path.procfs="$tree/proc" --path.sysfs="$tree/sys"

# --- the metrics
body=$(scrape /metrics)
assert_line "$body" "kernel_tainted 4609" "raw value"
assert_line "$body" 'kernel_taint_flag{bit="0",flag="P",flag_name="proprietary_module"} 1' "bit 0"
assert_line "$body" 'kernel_taint_flag{bit="9",flag="W",flag_name="warn"} 1' "bit 9"
assert_line "$body" 'kernel_taint_flag{bit="12",flag="O",flag_name="oot_module"} 1' "bit 12"
assert_line "$body" 'kernel_taint_flag{bit="4",flag="M",flag_name="machine_check"} 0' "a clear bit"
[ "$(grep -c '^kernel_taint_flag{' <<<"$body")" -eq 20 ] || fail "expected 20 upstream flag series"
[ "$(grep -c '^kernel_taint_flag{.*} 1$' <<<"$body")" -eq 3 ] || fail "expected exactly 3 set flags"
assert_line "$body" 'kernel_taint_info{flags="PWO"} 1' "taint info"
assert_line "$body" 'kernel_module_taint_flag{module="nvidia",flag="P",bit="0",flag_name="proprietary_module"} 1' "nvidia P"
assert_line "$body" 'kernel_module_taint_flag{module="vboxdrv",flag="E",bit="13",flag_name="unsigned_module"} 1' "vboxdrv E"
refute_match "$body" 'module="ext4"' "a clean module"
assert_line "$body" "taint_exporter_scrape_success 1" "success"
assert_line "$body" 'kernel_taint_layout_info{layout="upstream"} 1' "layout"
grep -q '^taint_exporter_build_info{version="[^"]*",revision="[^"]*",compiler="[^"]*"} 1$' <<<"$body" ||
	fail "build info missing"
promtool check metrics <<<"$body" || fail "promtool check metrics complained about the text format"
pass "metrics for 4609 with nvidia and vboxdrv, accepted by promtool"

# The exporter's own process_* metrics, as client libraries give them: this process's.
for m in process_cpu_seconds_total process_resident_memory_bytes process_virtual_memory_bytes \
	process_virtual_memory_max_bytes process_start_time_seconds process_open_fds process_max_fds; do
	grep -qE "^$m [0-9.]+$" <<<"$body" || fail "no $m sample"
done
rss=$(sed -n 's/^process_resident_memory_bytes //p' <<<"$body")
status_rss=$(($(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status") * 1024))
[ "$rss" -gt $((status_rss / 2)) ] && [ "$rss" -lt $((status_rss * 2)) ] ||
	fail "process_resident_memory_bytes $rss is not the process's VmRSS ($status_rss)"
fds=$(sed -n 's/^process_open_fds //p' <<<"$body")
[ "$fds" -ge 3 ] && [ "$fds" -le $(($(ls "/proc/$PID/fd" | wc -l) + 2)) ] ||
	fail "process_open_fds $fds against /proc/$PID/fd"
start=$(sed -n 's/^process_start_time_seconds \([0-9]*\).*/\1/p' <<<"$body")
[ $(($(date +%s) - start)) -lt 60 ] || fail "process_start_time_seconds $start is not this start"
pass "the exporter's own process_* metrics, its RSS, descriptors and start time"

# --- fresh on every scrape
printf '12288\n' >"$tree/proc/sys/kernel/tainted"
body=$(scrape /metrics)
assert_line "$body" "kernel_tainted 12288" "value after the file changed"
assert_line "$body" 'kernel_taint_info{flags="OE"} 1' "letters after the file changed"
remove_module "$tree" vboxdrv
refute_match "$(scrape /metrics)" 'module="vboxdrv"' "an unloaded module"
pass "the next scrape shows the changed file and the unloaded module"

# --- a request target in absolute form (RFC 9112 3.2.2: a server MUST accept it), as proxies
# send it: the same answers as the origin form
status=$(curl -sS -o "$WORK/absolute.body" -w '%{http_code}' \
	--request-target "http://127.0.0.1:$PORT/metrics" "http://127.0.0.1:$PORT/")
[ "$status" = 200 ] || fail "absolute-form /metrics answered $status"
assert_line "$(cat "$WORK/absolute.body")" "kernel_tainted 12288" "absolute-form /metrics"
status=$(curl -sS -o /dev/null -w '%{http_code}' \
	--request-target "HTTP://exporter.example:19110/-/healthy" "http://127.0.0.1:$PORT/")
[ "$status" = 200 ] || fail "absolute-form /-/healthy answered $status"
status=$(curl -sS -o /dev/null -w '%{http_code}' \
	--request-target "http://127.0.0.1:$PORT/nothing" "http://127.0.0.1:$PORT/")
[ "$status" = 404 ] || fail "absolute-form /nothing answered $status"
pass "a request target in absolute form is served as its path"

# --- content negotiation and headers
headers=$(curl -sS -D - -o /dev/null "http://127.0.0.1:$PORT/metrics")
grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' <<<"$headers" ||
	fail "text content type: $headers"
prom_accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
om=$(curl -sS -D "$WORK/om.headers" -H "Accept: $prom_accept" "http://127.0.0.1:$PORT/metrics")
grep -qi '^Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$WORK/om.headers" ||
	fail "OpenMetrics content type: $(cat "$WORK/om.headers")"
[ "$(tail -n 1 <<<"$om")" = "# EOF" ] || fail "OpenMetrics must end in # EOF"
assert_line "$om" "kernel_tainted 12288" "OpenMetrics value"
# Each serving thread keeps its last answer while the taint stays the same
# (exporter/serve/routes.c): the format asked for is part of what it was built from. Both
# formats in turn on one kept-alive connection, so on one thread.
formats=$(python3 - "$PORT" "$prom_accept" <<'PY'
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
for accept in ("", sys.argv[2], "", sys.argv[2]):
    conn.request("GET", "/metrics", headers={"Accept": accept} if accept else {})
    r = conn.getresponse()
    body = r.read().decode()
    kind = r.getheader("Content-Type").split(";")[0]
    print(kind, "eof" if body.endswith("# EOF\n") else "no-eof")
PY
)
[ "$formats" = "$(printf '%s\n' "text/plain no-eof" "application/openmetrics-text eof" \
	"text/plain no-eof" "application/openmetrics-text eof")" ] ||
	fail "text and OpenMetrics in turn on one connection: $formats"
pass "text by default, OpenMetrics for Prometheus's Accept header, each as asked in turn"

# --- routes and methods
code() { curl -sS -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://127.0.0.1:$PORT/metrics?collect[]=x")" = 200 ] || fail "query string must be ignored"
[ "$(code "http://127.0.0.1:$PORT/-/healthy")" = 200 ] || fail "/-/healthy"
[ "$(code "http://127.0.0.1:$PORT/-/ready")" = 200 ] || fail "/-/ready"
[ "$(code "http://127.0.0.1:$PORT/nope")" = 404 ] || fail "unknown path must be 404"
[ "$(code -I "http://127.0.0.1:$PORT/metrics")" = 200 ] || fail "HEAD /metrics"
[ -z "$(curl -sS -I "http://127.0.0.1:$PORT/metrics" | sed -n '/^\r$/,$p' | tail -n +2)" ] ||
	fail "HEAD must have no body"
headers=$(curl -sS -D - -o /dev/null -X POST -d x "http://127.0.0.1:$PORT/metrics")
grep -q '^HTTP/1.1 405' <<<"$headers" || fail "POST must be 405: $headers"
grep -qi '^Allow: GET, HEAD' <<<"$headers" || fail "405 must carry Allow: $headers"
landing=$(scrape /)
grep -q 'taint_exporter' <<<"$landing" || fail "landing page must name the exporter"
grep -q 'href="/metrics"' <<<"$landing" || fail "landing page must link the metrics"
pass "routes: /, /metrics with query, health, 404, HEAD, 405 with Allow"

# --- every bad taint file: 200, success 0, no taint series, the process stays up
bad_inputs=(
	"missing:"
	"directory:"
	"empty:"
	"garbage:hello"
	"hex:0x1000"
	"negative:-1"
	"overflow:18446744073709551616"
	"oversized:$(printf '1%.0s' $(seq 1 200))"
)
file=$tree/proc/sys/kernel/tainted
for case in "${bad_inputs[@]}"; do
	name=${case%%:*}
	content=${case#*:}
	rm -rf "$file"
	case $name in
	missing) ;;
	directory) mkdir "$file" ;;
	empty) : >"$file" ;;
	*) printf '%s\n' "$content" >"$file" ;;
	esac
	for attempt in 1 2 3; do
		resp=$(curl -sS -w '\n%{http_code}' "http://127.0.0.1:$PORT/metrics")
		[ "$(tail -n 1 <<<"$resp")" = 200 ] || fail "$name: scrape must still answer 200"
		assert_line "$resp" "taint_exporter_scrape_success 0" "$name"
		refute_match "$resp" '^kernel_tainted |^kernel_taint_flag|^kernel_taint_info' "$name"
	done
	promtool check metrics <<<"$(sed '$d' <<<"$resp")" || fail "$name: promtool"
	assert_alive "$name"
	rm -rf "$file"
	printf '1\n' >"$file"
	assert_line "$(scrape /metrics)" "kernel_tainted 1" "$name: recovery on the next scrape"
done
errors=$(grep -c 'level=error msg="Cannot use taint file' "$WORK/log" || true)
[ "$errors" -eq "${#bad_inputs[@]}" ] ||
	fail "expected one error line per bad input (${#bad_inputs[@]}), got $errors: $(cat "$WORK/log")"
grep -q 'reason="number is above 2^64-1"' "$WORK/log" || fail "overflow reason not logged"
grep -q 'path=sys/kernel/tainted' "$WORK/log" || fail "the log must name the path"
pass "bad inputs: 200 with success 0 and no taint series, one log line each, recovery"

# --- stops within a second on SIGTERM
kill -TERM "$PID"
for i in $(seq 1 20); do
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.05
done
kill -0 "$PID" 2>/dev/null && fail "still running 1 s after SIGTERM"
wait "$PID" || fail "exit status after SIGTERM must be 0"
pass "SIGTERM stops it within a second, exit 0"
