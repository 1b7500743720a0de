#!/usr/bin/env bash
# Explain mode end to end: the real binary decodes a given value and the live value of a
# fixture tree (nvidia POE, vboxdrv OE, value 4609), as text and as JSON, and refuses bad values.
# Usage: test_explain.sh BINARY FIXTURES_DIR
set -euo pipefail
bin=$1
fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_line FILE LINE: FILE has exactly this line.
expect_line() {
	grep -qxF -- "$2" "$1" || fail "$1 lacks the line [$2]; it holds:$(printf '\n'; cat "$1")"
}

run() { # run NAME ARGS...: stdout, stderr and exit code into $tmp/NAME.{out,err,rc}
	local name=$1
	shift
	set +e
	"$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
	set -e
}

expect_rc() {
	local got
	got=$(cat "$tmp/$1.rc")
	[ "$got" = "$2" ] || fail "$1: exit code $got, expected $2; stderr: $(cat "$tmp/$1.err")"
}

# The kernel's string has as many columns as the kernel of --path.procfs prints: 20 on Linux
# 6.15 and later, 19 on 6.1 (tests/kernel/ read it off Debian's 6.1). Given values are printed
# for that kernel too; these procfs trees hold only its release.
mkdir -p "$tmp/linux-6.15/sys/kernel" "$tmp/linux-6.1/sys/kernel"
echo 6.15.0 >"$tmp/linux-6.15/sys/kernel/osrelease"
echo 6.1.0-57-amd64 >"$tmp/linux-6.1/sys/kernel/osrelease"

# A given value: P, W and O with their descriptions and the kernel's string.
run given --explain=4609 --kernel.vendor=upstream --path.procfs="$tmp/linux-6.15"
expect_rc given 0
expect_line "$tmp/given.out" "The kernel is tainted."
expect_line "$tmp/given.out" '  string:  "P        W  O       "  (as the kernel prints it after "Tainted:")'
expect_line "$tmp/given.out" "    0  P     proprietary_module  A proprietary (non-GPL) module was loaded"
expect_line "$tmp/given.out" "    9  W     warn                The kernel issued a warning"
expect_line "$tmp/given.out" "   12  O     oot_module          An externally built (out-of-tree) module was loaded"
[ "$(grep -c '^ *[0-9]*  [A-Z?]  ' "$tmp/given.out")" = 3 ] || fail "given: not exactly 3 set bits listed"

# The same value in hexadecimal decodes the same.
run hex --explain=0x1201 --kernel.vendor=upstream --path.procfs="$tmp/linux-6.15"
expect_rc hex 0
diff <(grep -v source: "$tmp/given.out") <(grep -v source: "$tmp/hex.out") >/dev/null ||
	fail "--explain=0x1201 differs from --explain=4609"

run zero --explain=0
expect_rc zero 0
expect_line "$tmp/zero.out" "The kernel is not tainted."

# JSON for scripts: parsed by a real JSON parser.
run given61 --explain=4609 --kernel.vendor=upstream --path.procfs="$tmp/linux-6.1"
expect_rc given61 0
expect_line "$tmp/given61.out" '  string:  "P        W  O      "  (as the kernel prints it after "Tainted:")'

run json --explain=4609 --format=json --kernel.vendor=upstream --path.procfs="$tmp/linux-6.15"
expect_rc json 0
python3 - "$tmp/json.out" <<'PY' || fail "JSON of --explain=4609 is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tainted"] is True, d
assert d["value"] == 4609, d
assert d["kernel_string"] == "P        W  O       ", d
assert [(b["bit"], b["flag"], b["name"]) for b in d["bits"]] == [
    (0, "P", "proprietary_module"), (9, "W", "warn"), (12, "O", "oot_module")], d["bits"]
assert all(b["description"] for b in d["bits"])
assert "modules" not in d, "a given value has no modules"
PY

# The live value and modules of a fixture tree.
fx=$fixtures/explain-4609
run live --explain --path.procfs="$fx/proc" --path.sysfs="$fx/sys"
expect_rc live 0
expect_line "$tmp/live.out" "The kernel is tainted."
expect_line "$tmp/live.out" "  value:   4609 (0x1201)"
expect_line "$tmp/live.out" "  nvidia   POE    proprietary_module, oot_module, unsigned_module"
expect_line "$tmp/live.out" "  vboxdrv  OE     oot_module, unsigned_module"
grep -q ext4 "$tmp/live.out" && fail "live: the clean module ext4 is listed"

run livejson --explain --format=json --path.procfs="$fx/proc" --path.sysfs="$fx/sys"
expect_rc livejson 0
python3 - "$tmp/livejson.out" <<'PY' || fail "live JSON is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["value"] == 4609 and d["flags"] == "PWO", d
mods = {m["module"]: (m["flags"], m["names"]) for m in d["modules"]}
assert mods == {
    "nvidia": ("POE", ["proprietary_module", "oot_module", "unsigned_module"]),
    "vboxdrv": ("OE", ["oot_module", "unsigned_module"]),
}, mods
assert d["modules_omitted"] == 0 and d["module_read_errors"] == 0, d
PY

# A live taint file that cannot be read is explained as such, and exits 1.
fx=$fixtures/explain-unreadable
run unreadable --explain --path.procfs="$fx/proc" --path.sysfs="$fx/sys"
expect_rc unreadable 1
grep -q "^Cannot tell whether the kernel is tainted: .*sys/kernel/tainted: No such file or directory.$" \
	"$tmp/unreadable.out" || fail "unreadable: no clear message; got: $(cat "$tmp/unreadable.out")"

# Unparsable values exit 2 and say what is expected.
for bad in abc -1 0x 12a 1.5 18446744073709551616 ""; do
	run bad --explain="$bad"
	expect_rc bad 2
	grep -q -- "--explain: \"$bad\" is" "$tmp/bad.err" || fail "--explain=$bad: message: $(cat "$tmp/bad.err")"
	[ -s "$tmp/bad.out" ] && fail "--explain=$bad printed on stdout"
done
run space --explain 4609
expect_rc space 2
grep -qF -- "write --explain=4609" "$tmp/space.err" || fail "--explain 4609: no hint: $(cat "$tmp/space.err")"
run format --format=yaml --explain=1
expect_rc format 2

if [ "$failures" -gt 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "explain: all checks passed"
