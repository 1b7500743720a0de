#!/usr/bin/env bash
# --collector.kmsg on the real binary, the kernel log given as a FIFO the test writes records
# into (as /dev/kmsg hands them over, one read at a time): the account while the exporter
# runs, a record written later in the next scrape, a flag without a record, promtool's
# verdict, the landing page and --explain, and a log that cannot be opened (collector down,
# logged once, the rest of the metrics unchanged). The real /dev/kmsg: tests/kernel/.
. "$(dirname "$0")/lib.sh"

tree=$WORK/host
make_tree "$tree" 12801 # P W O E
printf 'taint_test 16384 0 - Live 0x0000000000000000 (POE)\n' >"$tree/proc/modules"
mkfifo "$WORK/kmsg"
# The writer holds the FIFO open for the whole test, so the reader never sees its end.
exec 7<>"$WORK/kmsg"
start_exporter "$WORK/log" --path.procfs="$tree/proc" --path.sysfs="$tree/sys" \
	--collector.kmsg --collector.kmsg.path="$WORK/kmsg"

printf '%s\n' \
	'4,10,5662000,-;taint_test: loading out-of-tree module taints kernel.' \
	"4,11,5662100,-;taint_test: module license 'Proprietary' taints kernel." \
	'3,12,5662300,-;taint_test: module verification failed: signature and/or required key missing - tainting kernel' >&7

# scrape_until REGEX: the metrics once a line matches REGEX (5 s at most).
scrape_until() {
	local body i
	for i in $(seq 1 100); do
		body=$(scrape /metrics)
		if grep -qE -- "$1" <<<"$body"; then
			printf '%s\n' "$body"
			return 0
		fi
		sleep 0.05
	done
	fail "no line matching '$1' within 5 s in:"$'\n'"$body"
}

body=$(scrape_until '^kernel_taint_flag_first_logged_timestamp_seconds\{bit="13"')
assert_line "$body" 'taint_exporter_collector_up{collector="kmsg"} 1' "collector up"
assert_line "$body" 'kernel_taint_flag_first_logged_info{bit="12",flag="O",flag_name="oot_module",module="taint_test",location=""} 1' "O's module"
assert_line "$body" 'kernel_taint_flag_first_logged_info{bit="0",flag="P",flag_name="proprietary_module",module="taint_test",location=""} 1' "P's module"
refute_match "$body" '^kernel_taint_flag_first_logged_[a-z_]+\{bit="9"' "W before its warning"
# The time is boot's wall-clock time plus the record's 5.6623 s since boot.
boot=$(awk -v now="$(date +%s.%N)" '{ printf "%.3f", now - $1 }' /proc/uptime)
t=$(sed -n 's/^kernel_taint_flag_first_logged_timestamp_seconds{bit="13",[^}]*} //p' <<<"$body")
awk -v t="$t" -v boot="$boot" 'BEGIN { d = t - boot - 5.6623; exit !(d > -2 && d < 2) }' ||
	fail "E logged at $t, not boot ($boot) + 5.6623 s"
assert_line "$body" 'taint_exporter_kmsg_records_lost_total 0' "nothing lost"

# The wall clock stepped an hour forward while the exporter runs (NTP at boot, an operator):
# every record's time moves with it at the next scrape, as dmesg -T reckons it on each read.
# The step is the running exporter's alone: CLOCK_STEP (clock_step.c, LD_PRELOADed).
printf '%s\n' '4,10,5662000,-;taint_test: loading out-of-tree module taints kernel.' >"$WORK/kmsg.stepped"
echo 0 >"$WORK/step"
main_pid=$PID main_port=$PORT
# Under ASan its runtime must come first unless told otherwise: the harness is loaded first.
ASAN_OPTIONS=verify_asan_link_order=0:${ASAN_OPTIONS:-} LD_PRELOAD=$CLOCK_STEP CLOCK_STEP_FILE=$WORK/step \
	start_exporter "$WORK/log.stepped" --path.procfs="$tree/proc" --path.sysfs="$tree/sys" \
	--collector.kmsg --collector.kmsg.path="$WORK/kmsg.stepped"
logged() { scrape_until '^kernel_taint_flag_first_logged_timestamp_seconds\{bit="12"' |
	sed -n 's/^kernel_taint_flag_first_logged_timestamp_seconds{bit="12",[^}]*} //p'; }
before=$(logged)
echo 3600 >"$WORK/step"
after=$(logged)
kill "$PID"
PID=$main_pid PORT=$main_port
awk -v a="$after" -v b="$before" 'BEGIN { d = a - b - 3600; exit !(d > -1 && d < 1) }' ||
	fail "O logged at $before, then $after after the clock stepped 3600 s: not moved with it"
pass "a wall-clock step after start moves every record's time with it"
promtool check metrics <<<"$body" || fail "promtool check metrics complained"
pass "P, O and E from their records with the module's name, at boot + the record's time"

printf '%s\n' '4,14,5679000,-;WARNING: CPU: 0 PID: 116 at /tmp/taint_test.c:8 taint_test_init+0xe/0x1000 [taint_test]' >&7
body=$(scrape_until '^kernel_taint_flag_first_logged_info\{bit="9"')
assert_line "$body" 'kernel_taint_flag_first_logged_info{bit="9",flag="W",flag_name="warn",module="taint_test",location="/tmp/taint_test.c:8 taint_test_init"} 1' "W's location"
assert_line "$body" 'taint_exporter_kmsg_records_lost_total 1' "sequence number 13 lost"
pass "a warning logged later gives W its location in the next scrape; a gap counts as lost"

# A flood of warnings and headers: one W series still, first record kept.
for i in $(seq 100 2099); do
	printf '4,%d,6000000,-;WARNING: CPU: 1 PID: 7 at other.c:%d f+0x1/0x2 [m%d]\n' "$i" "$i" "$i"
done >&7
sleep 0.5
body=$(scrape /metrics)
[ "$(grep -c '^kernel_taint_flag_first_logged_info{bit="9"' <<<"$body")" -eq 1 ] || fail "W series after the flood"
assert_line "$body" 'kernel_taint_flag_first_logged_info{bit="9",flag="W",flag_name="warn",module="taint_test",location="/tmp/taint_test.c:8 taint_test_init"} 1' "W's first record after the flood"
pass "2000 more warnings: still one W series, its first record"

page=$(scrape /)
grep -qF '<li data-flag="W"><code>W</code> <time>' <<<"$page" || fail "landing page: W's record: $page"
grep -qF 'kernel warning, module <code>taint_test</code>, at <code>/tmp/taint_test.c:8 taint_test_init</code></li>' <<<"$page" ||
	fail "landing page: W's kind, module and location"
# The line itself (kernel addresses, at times) is not on a page without auth unless asked.
if grep -qF 'WARNING: CPU: 0 PID: 116' <<<"$page"; then
	fail "landing page: W's log line shown without --web.landing-page.kernel-log-lines"
fi
pass "the landing page shows each flag's record kind, module and time, not its line"

# --explain reads the log whole, without waiting; a fresh FIFO holds what is written first.
printf '%s\n' '4,1,100,-;taint_test: loading out-of-tree module taints kernel.' >"$WORK/kmsg.file"
explain=$("$EXPORTER" --path.procfs="$tree/proc" --path.sysfs="$tree/sys" --collector.kmsg \
	--collector.kmsg.path="$WORK/kmsg.file" --explain 2>/dev/null) || true
grep -qE '^  O  [0-9-]+ [0-9:]+ UTC  taint_test: loading out-of-tree module taints kernel\.$' <<<"$explain" ||
	fail "--explain: O's record: $explain"
assert_line "$explain" "  P  no longer in the kernel log" "--explain: P without a record"
json=$("$EXPORTER" --path.procfs="$tree/proc" --path.sysfs="$tree/sys" --collector.kmsg \
	--collector.kmsg.path="$WORK/kmsg.file" --explain --format=json 2>/dev/null) || true
python3 -c '
import json, sys
log = json.loads(sys.argv[1])["kernel_log"]
flags = {f["flag"]: f for f in log["flags"]}
assert log["read"] is True and log["records_lost"] == 0, log
assert sorted(flags) == ["E", "O", "P", "W"], flags
o = flags["O"]
assert o["logged"] and o["module"] == "taint_test" and o["time"] > 0, o
assert o["line"] == "taint_test: loading out-of-tree module taints kernel.", o
assert all(not flags[f]["logged"] for f in "PEW"), flags
' "$json" || fail "--explain --format=json: kernel_log: $json"
pass "--explain shows the log line and time of each flag (text and JSON), and says which are no longer in the log"

# --- a log that cannot be read: the exporter starts, says why once, and reports it
kill "$PID"
wait "$PID" 2>/dev/null || true
chmod 000 "$WORK/kmsg.file"
setpriv_cmd=()
if [ "$(id -u)" = 0 ]; then # root reads a mode-000 file: drop to nobody, as a unit would run
	chmod 755 "$WORK"
	setpriv_cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
EXPORTER_CMD=("${setpriv_cmd[@]}" "$EXPORTER")
"${EXPORTER_CMD[@]}" --web.listen-address=127.0.0.1:0 --path.procfs="$tree/proc" \
	--path.sysfs="$tree/sys" --collector.kmsg --collector.kmsg.path="$WORK/kmsg.file" 2>"$WORK/log2" &
PID=$!
PIDS+=("$PID")
for i in $(seq 1 200); do
	PORT=$(grep -oE 'address=127\.0\.0\.1:[0-9]+' "$WORK/log2" | head -n 1 | sed 's/.*://') || true
	[ -n "$PORT" ] && break
	sleep 0.05
done
[ -n "$PORT" ] || fail "the exporter did not start without its log: $(cat "$WORK/log2")"
body=$(scrape /metrics)
assert_line "$body" 'taint_exporter_collector_up{collector="kmsg"} 0' "collector down"
refute_match "$body" '^kernel_taint_flag_first_logged' "no account without the log"
assert_line "$body" 'kernel_tainted 12801' "the rest unchanged"
scrape /metrics >/dev/null
[ "$(grep -c 'The kmsg collector is off' "$WORK/log2")" -eq 1 ] || fail "logged once: $(cat "$WORK/log2")"
# A file's mode gives EACCES; the kernel's EPERM (dmesg_restrict, no CAP_SYSLOG) is worded as
# such, on the real kernel (tests/kernel/).
grep -q 'err="Permission denied"' "$WORK/log2" || fail "the reason: $(cat "$WORK/log2")"
grep -qF 'Not read: Permission denied.' <<<"$(scrape /)" || fail "landing page: the collector is off"
pass "a log that cannot be opened: collector_up 0, said once, the rest of the metrics served"
