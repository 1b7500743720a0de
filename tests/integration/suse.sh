#!/usr/bin/env bash
# SUSE's three generations of taint bits, on the real binary with --kernel.vendor=auto: for a
# host of each (its release, a SUSE-only file, a value seen on such hosts with an unsupported
# and an externally supported module), the layout chosen and the reason logged, the metrics,
# the landing page and --explain (text and JSON); and a SUSE kernel of no known generation,
# whose bits 16, 30 and 31 read as unknown rather than as a flag they may not be.
. "$(dirname "$0")/lib.sh"

# suse_host DIR RELEASE VALUE MODULES...: a SUSE host; MODULES are "name letters" lines.
suse_host() {
	local dir=$1 release=$2 value=$3
	shift 3
	make_tree "$dir" "$value" "$release"
	echo 1 >"$dir/proc/sys/kernel/unsupported"
	: >"$dir/proc/modules"
	local m
	for m in "$@"; do
		printf '%s 16384 0 - Live 0x0000000000000000 (%s)\n' "${m% *}" "${m#* }" >>"$dir/proc/modules"
	done
}

# check_generation NAME RELEASE VALUE LAYOUT FLAG-LINES... -- MODULES...
check_generation() {
	local name=$1 release=$2 value=$3 layout=$4
	shift 4
	local lines=()
	while [ "$1" != -- ]; do
		lines+=("$1")
		shift
	done
	shift
	local dir=$WORK/$name
	suse_host "$dir" "$release" "$value" "$@"
	start_exporter "$WORK/$name.log" --path.procfs="$dir/proc" --path.sysfs="$dir/sys"
	local line
	BODY=$(scrape /metrics)
	local body=$BODY
	assert_line "$body" "kernel_taint_layout_info{layout=\"$layout\"} 1" "$name: layout"
	for line in "${lines[@]}"; do
		assert_line "$body" "$line" "$name"
	done
	promtool check metrics <<<"$body" || fail "$name: promtool"
	grep -q "msg=\"Decoding taint bits\" layout=$layout reason=\"SUSE-only file present, kernel " \
		"$WORK/$name.log" || fail "$name: the reason logged: $(cat "$WORK/$name.log")"
	PAGE=$(scrape /)
	kill "$PID"
	EXPLAIN=$("$EXPORTER" --path.procfs="$dir/proc" --path.sysfs="$dir/sys" --explain 2>/dev/null)
	JSON=$("$EXPORTER" --path.procfs="$dir/proc" --path.sysfs="$dir/sys" --explain --format=json 2>/dev/null)
	assert_line "$EXPLAIN" "  layout:  $layout ($(sed -n 's/.*<dd id="layout">[^ ]* (\(.*\))<\/dd>/\1/p' <<<"$PAGE")), from --kernel.vendor=auto: $(sed -n "s/.*layout=$layout reason=\"\([^\"]*\)\".*/\1/p" "$WORK/$name.log")" "$name: --explain's layout line"
}

# SLE 12 SP5 with an unsupported and an externally supported module: bits 30 and 31, which
# 4.12's table has no rows for (SUSE's N and X rows sit at 16 and 17 by position): no letter,
# never printed, so /proc/modules shows the vendor's module as O alone.
check_generation sles12-sp5 4.12.14-122.37-default 3221229568 suse-4.12 \
	'kernel_taint_flag{bit="30",flag="?",flag_name="no_support"} 1' \
	'kernel_taint_flag{bit="31",flag="?",flag_name="external_support"} 1' \
	'kernel_taint_flag{bit="16",flag="N",flag_name="suse_row_16"} 0' \
	'kernel_taint_info{flags="O??"} 1' \
	'kernel_module_taint_flag{module="kmp_vendor",flag="O",bit="12",flag_name="oot_module"} 1' \
	-- "kmp_vendor O"
grep -qF '<tr><td class="num">30</td><td class="letter">?</td><td>no_support</td>' <<<"$PAGE" ||
	fail "sles12-sp5: the landing page's row of bit 30: $PAGE"
grep -qF '<code class="kernel" id="kernel-string">G           O     </code>' <<<"$PAGE" ||
	fail "sles12-sp5: the landing page's kernel string (18 columns, bits 30 and 31 not among them)"
assert_line "$EXPLAIN" "   30  ?     no_support        A module that is not supported was loaded" "sles12-sp5: --explain bit 30"
assert_line "$EXPLAIN" "   31  ?     external_support  A module supported by a third party, not SUSE, was loaded" "sles12-sp5: --explain bit 31"
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
bits = {b["bit"]: (b["flag"], b["name"]) for b in d["bits"]}
assert d["layout"] == "suse-4.12", d["layout"]
assert bits == {12: ("O", "oot_module"), 30: ("?", "no_support"), 31: ("?", "external_support")}, bits
assert d["kernel_string"] == "G           O     ", d["kernel_string"]
' "$JSON" || fail "sles12-sp5: --explain JSON: $JSON"
pass "SLE 12 SP5 (4.12): bits 30 and 31 named but unprinted, as its table has it, everywhere"

# SLE 12 SP3 (4.4): tnts[] ends in N (bit 30) and X (bit 31): 18 columns.
check_generation sles12-sp3 4.4.180-94.97-default 3221229568 suse-4.4 \
	'kernel_taint_flag{bit="30",flag="N",flag_name="no_support"} 1' \
	'kernel_taint_flag{bit="31",flag="X",flag_name="external_support"} 1' \
	'kernel_taint_info{flags="ONX"} 1' \
	-- "kmp_vendor O"
grep -qF '<code class="kernel" id="kernel-string">G           O   NX</code>' <<<"$PAGE" ||
	fail "sles12-sp3: the landing page's kernel string"
pass "SLE 12 SP3 (4.4): N and X in the last two of 18 columns"

# SLE 15 SP5: the same sort of host, as seen with 2147561472 (12 O, 13 E, 16 X, 31 N).
check_generation sles15-sp5 5.14.21-150500.55.39-default 2147561472 suse-5.3 \
	'kernel_taint_flag{bit="16",flag="X",flag_name="external_support"} 1' \
	'kernel_taint_flag{bit="31",flag="N",flag_name="no_support"} 1' \
	'kernel_taint_info{flags="OEXN"} 1' \
	'kernel_module_taint_flag{module="unsupported_fs",flag="N",bit="31",flag_name="no_support"} 1' \
	'kernel_module_taint_flag{module="kmp_vendor",flag="X",bit="16",flag_name="external_support"} 1' \
	-- "kmp_vendor OEX" "unsupported_fs N"
refute_match "$EXPLAIN" "^   18  N " "sles15-sp5: N is not TEST"
assert_line "$EXPLAIN" "   31  N     no_support        A module that is not supported was loaded" "sles15-sp5: --explain bit 31"
pass "SLE 15 SP5 (5.14): X at 16 and N at 31; a module's N is no_support, not TEST"

# SLE 15 SP6: the same value, no_support printed n.
check_generation sles15-sp6 6.4.0-150600.23.7-default 2147561472 suse-6.0 \
	'kernel_taint_flag{bit="31",flag="n",flag_name="no_support"} 1' \
	'kernel_taint_info{flags="OEXn"} 1' \
	'kernel_module_taint_flag{module="unsupported_fs",flag="n",bit="31",flag_name="no_support"} 1' \
	-- "kmp_vendor OEX" "unsupported_fs n"
pass "SLE 15 SP6 (6.4): no_support n at 31"

# A 2019 Tumbleweed kernel: which generation is not known, so no flag is guessed.
check_generation tumbleweed-5.1 5.1.16-1-default 3221295104 suse-ambiguous \
	'kernel_taint_flag{bit="16",flag="?",flag_name="unknown"} 1' \
	'kernel_taint_flag{bit="30",flag="?",flag_name="unknown"} 1' \
	'kernel_taint_flag{bit="31",flag="?",flag_name="unknown"} 1' \
	'kernel_module_taint_flag{module="unsupported_fs",flag="N",bit="?",flag_name="unknown"} 1' \
	-- "kmp_vendor OX" "unsupported_fs N"
grep -q 'reason="SUSE-only file present, kernel of no line whose table was read' \
	"$WORK/tumbleweed-5.1.log" || fail "tumbleweed-5.1: the log must say the generation is not known"
pass "SUSE 5.1: bits 16, 30 and 31 and the letters N and X unknown, and the log says why"
