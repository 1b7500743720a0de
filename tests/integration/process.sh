#!/usr/bin/env bash
# The process: flag errors exit 2, a taken port exits 1, several listen addresses (IPv4 and
# IPv6), logs in logfmt and JSON, the root warning, and vendor layouts picked from the kernel.
. "$(dirname "$0")/lib.sh"

# --- bad flags: a clear message and exit status 2
expect_flag_error() {
	local want=$1
	shift
	set +e
	"$EXPORTER" "$@" >"$WORK/out" 2>&1
	local rc=$?
	set -e
	[ "$rc" -eq 2 ] || fail "'$*' must exit 2, exited $rc: $(cat "$WORK/out")"
	grep -qF -- "$want" "$WORK/out" || fail "'$*' must say '$want', said: $(cat "$WORK/out")"
}
expect_flag_error 'unknown flag "--nope"' --nope
expect_flag_error '--kernel.vendor: "debian"' --kernel.vendor=debian
expect_flag_error '--log.level: "loud"' --log.level loud
expect_flag_error '--web.listen-address: "19110"' --web.listen-address=19110
expect_flag_error '--collector.modules.max: "0"' --collector.modules.max=0
expect_flag_error '--web.telemetry-path: "metrics"' --web.telemetry-path=metrics
expect_flag_error 'needs a value' --path.procfs
expect_flag_error 'unexpected argument "extra"' extra
pass "bad flags exit 2 with a message naming the flag"

"$EXPORTER" --version | grep -q '^taint_exporter [0-9]' || fail "--version"
"$EXPORTER" --help | grep -q -- '--web.listen-address' || fail "--help"
pass "--version and --help"

# --- several addresses, IPv4 and IPv6, JSON logs, the root warning
tree=$WORK/host
make_tree "$tree" 4096
start_exporter "$WORK/log" --web.listen-address '[::1]:0' --log.format=json \
	--path.procfs="$tree/proc" --path.sysfs="$tree/sys"
assert_line "$(scrape /metrics)" "kernel_tainted 4096" "over IPv4"
port6=$(grep -oE '"address":"\[::1\]:[0-9]+"' "$WORK/log" | grep -oE '[0-9]+"$' | tr -d '"')
[ -n "$port6" ] || fail "no IPv6 listening line in: $(cat "$WORK/log")"
assert_line "$(curl -sS -g "http://[::1]:$port6/metrics")" "kernel_tainted 4096" "over IPv6"
while read -r line; do
	python3 -c 'import json,sys; json.loads(sys.argv[1])' "$line" || fail "not JSON: $line"
done <"$WORK/log"
if [ "$(id -u)" -eq 0 ]; then
	grep -q '"level":"warn","msg":"Running as root' "$WORK/log" || fail "no root warning as root"
else
	grep -q 'Running as root' "$WORK/log" && fail "root warning while not root"
fi
pass "IPv4 and IPv6 addresses at once, JSON log lines, the root warning"

# --- a port in use: a clear message and exit status 1
# expect_start_failure WHAT LOG REGEX COMMAND...: COMMAND exits 1 and logs a line matching REGEX
expect_start_failure() {
	local what=$1 log=$2 want=$3
	shift 3
	set +e
	"$@" 2>"$log"
	local rc=$?
	set -e
	[ "$rc" -eq 1 ] || fail "$what must exit 1, got $rc"
	grep -qE -- "$want" "$log" || fail "message for $what: $(cat "$log")"
}
expect_start_failure "a port in use" "$WORK/busy.log" \
	"level=error msg=\"Cannot listen\" address=127\\.0\\.0\\.1:$PORT err=\"address already in use\"" \
	"$EXPORTER" --web.listen-address="127.0.0.1:$PORT" --path.procfs="$tree/proc" \
	--path.sysfs="$tree/sys"
pass "a port in use exits 1 saying so"

# --- a missing procfs root: exit 1 naming the flag
expect_start_failure "a missing --path.procfs" "$WORK/absent.log" 'flag=--path\.procfs' \
	"$EXPORTER" --web.listen-address=127.0.0.1:0 --path.procfs="$WORK/absent"
pass "a missing --path.procfs exits 1 naming the flag"

# --- too few open files for the serving threads: exit 1 naming the limit and what is needed
# (64 serving threads need an inter-thread channel each; 40 open files cannot hold them, and
# libmicrohttpd's start failed on it: the check at start now says so first)
limited() { (ulimit -n 40 && exec "$@"); }
expect_start_failure "too few open files for 64 threads" "$WORK/nodaemon.log" \
	'level=error msg="Open files limit is below what answering one connection takes; raise LimitNOFILE= \(ulimit -n\)" limit=40 needed=[0-9]+' \
	limited "$EXPORTER" --web.listen-address=127.0.0.1:0 --web.threads=64 \
	--path.procfs="$tree/proc" --path.sysfs="$tree/sys"
pass "too few open files for the serving threads exits 1 saying the limit and the need"

# --- vendor layouts chosen from the running kernel (--kernel.vendor=auto)
check_vendor() { # NAME VALUE OSRELEASE EXPECTED-LAYOUT EXPECTED-LINE [SETUP]
	local dir=$WORK/$1
	make_tree "$dir" "$2" "$3"
	[ -n "${6:-}" ] && eval "$6"
	start_exporter "$WORK/$1.log" --path.procfs="$dir/proc" --path.sysfs="$dir/sys"
	local body
	body=$(scrape /metrics)
	assert_line "$body" "kernel_taint_layout_info{layout=\"$4\"} 1" "$1 layout"
	assert_line "$body" "$5" "$1 decoding"
	refute_match "$body" '^kernel_taint_flag.*name="unknown"' "$1 must leave no bit unknown"
	kill "$PID"
}
check_vendor rhel7-hw 268435456 3.10.0-1160.el7.x86_64 rhel7.3 \
	'kernel_taint_flag{bit="28",flag="H",flag_name="hardware_unsupported"} 1'
check_vendor rhel7-tp 536870912 3.10.0-1160.el7.x86_64 rhel7.3 \
	'kernel_taint_flag{bit="29",flag="T",flag_name="tech_preview"} 1'
check_vendor rhel9 2147483648 5.14.0-427.13.1.el9_4.x86_64 rhel9.3 \
	'kernel_taint_flag{bit="31",flag="u",flag_name="unprivileged_bpf"} 1'
check_vendor sles15-sp6 2147561472 6.4.0-150600.23.7-default suse-6.0 \
	'kernel_taint_flag{bit="31",flag="n",flag_name="no_support"} 1' \
	'mkdir -p "$dir/sys/kernel" && echo 1 >"$dir/sys/kernel/supported"'
check_vendor sles15-sp5 2147561472 5.14.21-150500.55.39-default suse-5.3 \
	'kernel_taint_flag{bit="31",flag="N",flag_name="no_support"} 1' \
	'mkdir -p "$dir/sys/kernel" && echo 1 >"$dir/sys/kernel/supported"'
# SLE 12 SP5 with an unsupported and an externally supported module: bits 30 and 31.
check_vendor sles12-sp5 3221229568 4.12.14-122.37-default suse-4.12 \
	'kernel_taint_flag{bit="31",flag="?",flag_name="external_support"} 1' \
	'echo 0 >"$dir/proc/sys/kernel/unsupported"'
grep -q 'msg="Decoding taint bits" layout=suse-4.12 reason="SUSE-only file present, kernel 4.12' \
	"$WORK/sles12-sp5.log" || fail "sles12-sp5: the reason in the log: $(cat "$WORK/sles12-sp5.log")"
pass "RHEL 7, RHEL 9 and three SUSE generations decoded with their own layouts, the reason logged"

# --- an upstream kernel with a bit no table knows: reported, never dropped
make_tree "$WORK/future" $(((1 << 20) | (1 << 40)))
start_exporter "$WORK/future.log" --path.procfs="$WORK/future/proc" --path.sysfs="$WORK/future/sys"
body=$(scrape /metrics)
assert_line "$body" 'kernel_taint_flag{bit="20",flag="?",flag_name="unknown"} 1' "unknown bit 20"
assert_line "$body" 'kernel_taint_flag{bit="40",flag="?",flag_name="unknown"} 1' "unknown bit 40"
assert_line "$body" 'kernel_taint_info{flags="??"} 1' "unknown bits in the info"
promtool check metrics <<<"$body" || fail "promtool with unknown bits"
pass "unknown bits are reported"

# --- an open files limit too low to answer a single connection: a clear error and exit 1, not
# "Listening" and a busy loop that never answers
tree=$WORK/nofile
make_tree "$tree" 1
set +e
(ulimit -n 9 && exec timeout 5 "$EXPORTER" --web.listen-address=127.0.0.1:0 \
	--path.procfs="$tree/proc" --path.sysfs="$tree/sys") 2>"$WORK/nofile.log"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "with ulimit -n 9: exit status $rc, expected 1: $(cat "$WORK/nofile.log")"
grep -q 'level=error msg="Open files limit is below what answering one connection takes' \
	"$WORK/nofile.log" || fail "with ulimit -n 9, no error naming the limit: $(cat "$WORK/nofile.log")"
pass "an open files limit too low to answer is an error at start (exit 1)"

# --- the server runs as it was started: no exec of itself, nothing added to its environment,
# so it also serves when started through the dynamic loader (which a self-exec of
# /proc/self/exe would have replaced with the loader and the exporter's own arguments)
tree=$WORK/as-started
make_tree "$tree" 1
loader=$(readelf -l "$EXPORTER" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
[ -n "$loader" ] && [ -x "$loader" ] || fail "no dynamic loader found in $EXPORTER's headers"
# meson sets MALLOC_PERTURB_ for tests: started without any allocator variable, the exporter
# must have none either.
(unset GLIBC_TUNABLES $(compgen -e | grep '^MALLOC_') &&
	EXPORTER_REAL=$EXPORTER && EXPORTER=$WORK/through-loader &&
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$loader" "$EXPORTER_REAL" >"$EXPORTER" &&
	chmod +x "$EXPORTER" &&
	start_exporter "$WORK/as-started.log" --path.procfs="$tree/proc" --path.sysfs="$tree/sys" &&
	echo "$PID $PORT" >"$WORK/as-started.pid")
read -r PID PORT <"$WORK/as-started.pid"
PIDS+=("$PID")
assert_line "$(scrape /metrics)" "kernel_tainted 1" "served when started through $loader"
if tr '\0' '\n' <"/proc/$PID/environ" | grep -E '^(GLIBC_TUNABLES|MALLOC_)'; then
	fail "the exporter's environment holds allocator settings nobody gave it"
fi
[ "$(grep -c 'msg="Starting taint_exporter"' "$WORK/as-started.log")" -eq 1 ] ||
	fail "started more than once: $(cat "$WORK/as-started.log")"
kill "$PID"
pass "served when started through the dynamic loader, with no allocator setting in its environment"

# --log.format=json writes UTF-8 whatever the bytes logged: a Latin-1 path gives U+FFFD.
"$EXPORTER" --log.format=json --web.listen-address=127.0.0.1:0 --path.procfs="$WORK/caf"$'\xe9' \
	2>"$WORK/latin1.log" && fail "started on a missing --path.procfs"
python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().splitlines()
logged = [json.loads(l.decode("utf-8")) for l in lines]
assert any(e.get("path", "").endswith("caf\ufffd") for e in logged), logged
' "$WORK/latin1.log" || fail "--log.format=json wrote a line that is not UTF-8 JSON: $(cat -v "$WORK/latin1.log")"
pass "--log.format=json: a path of Latin-1 bytes logged as UTF-8 JSON, the byte as U+FFFD"
