#!/usr/bin/env bash
# Textfile mode end to end: the real binary writes the exposition of a fixture tree to a file
# that promtool accepts, with mode 0644 and no temporary file left; an unwritable directory
# exits 1 with a clear message and leaves the old file intact.
# Usage: test_textfile.sh BINARY FIXTURES_DIR
set -euo pipefail
bin=$1
fixtures=$2
fx=$fixtures/explain-4609
command -v promtool >/dev/null || {
	echo "FAIL: promtool not found; install the Debian package prometheus" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # reachable by the unprivileged user below
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# The unprivileged user below must reach the binary and the fixture, wherever the checkout is.
cp "$bin" "$tmp/taint_exporter"
bin=$tmp/taint_exporter
cp -r "$fx" "$tmp/fixture"
chmod -R a+rX "$tmp/fixture"
fx=$tmp/fixture

out=$tmp/textfile
mkdir -m 755 "$out"
prom=$out/taint.prom

# promtool must refuse a broken file, or its approval below would mean nothing.
printf 'kernel_tainted{flag="P 1\n' >"$tmp/broken.prom"
if promtool check metrics <"$tmp/broken.prom" >/dev/null 2>&1; then
	fail "promtool accepted a broken exposition"
fi

if ! "$bin" --path.procfs="$fx/proc" --path.sysfs="$fx/sys" --write-textfile="$prom" 2>"$tmp/err"; then
	fail "--write-textfile exited non-zero: $(cat "$tmp/err")"
fi
if ! promtool check metrics <"$prom" >"$tmp/promtool" 2>&1; then
	fail "promtool check metrics refused the file: $(cat "$tmp/promtool")"
fi
for line in 'kernel_tainted 4609' \
	'kernel_taint_info{flags="PWO"} 1' \
	'kernel_module_taint_flag{module="nvidia",flag="P",bit="0",flag_name="proprietary_module"} 1' \
	'kernel_module_taint_flag{module="vboxdrv",flag="E",bit="13",flag_name="unsigned_module"} 1' \
	'taint_exporter_scrape_success 1'; do
	grep -qxF -- "$line" "$prom" || fail "the file lacks [$line]"
done
[ "$(stat -c %a "$prom")" = 644 ] || fail "mode is $(stat -c %a "$prom"), expected 644"
[ "$(ls -A "$out")" = taint.prom ] || fail "left behind: $(ls -A "$out")"
grep -q '^# EOF' "$prom" && fail "the text format has no # EOF"

# A second run replaces the file (node_exporter reads whatever is there at scrape time).
cp "$prom" "$tmp/first.prom"
"$bin" --path.procfs="$fixtures/explain-unreadable/proc" --path.sysfs="$fixtures/explain-unreadable/sys" \
	--write-textfile="$prom" 2>/dev/null || fail "second run exited non-zero"
grep -qxF 'taint_exporter_scrape_success 0' "$prom" || fail "the second run did not replace the file"
promtool check metrics <"$prom" >/dev/null 2>&1 || fail "promtool refused the second file"

# An unwritable directory: exit 1, a message naming the path, the old file intact. Root may
# write anywhere, so the exporter runs as nobody there (as it should in production anyway).
cp "$tmp/first.prom" "$prom"
chmod 555 "$out"
as_user=()
if [ "$(id -u)" = 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
set +e
"${as_user[@]}" "$bin" --path.procfs="$fx/proc" --path.sysfs="$fx/sys" --write-textfile="$prom" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "unwritable directory: exit code $rc, expected 1"
grep -q 'msg="Cannot write the textfile; the old file is left as it was" path='"$prom"' step="create a temporary file in the directory" err="Permission denied"' "$tmp/err" ||
	fail "unwritable directory: unclear message: $(cat "$tmp/err")"
cmp -s "$prom" "$tmp/first.prom" || fail "unwritable directory: the old file changed"
[ "$(ls -A "$out")" = taint.prom ] || fail "unwritable directory: left behind: $(ls -A "$out")"
chmod 755 "$out"

# A directory that does not exist: exit 1 as well.
set +e
"$bin" --path.procfs="$fx/proc" --path.sysfs="$fx/sys" --write-textfile="$tmp/missing/taint.prom" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "missing directory: exit code $rc, expected 1"
grep -q 'err="No such file or directory"' "$tmp/err" || fail "missing directory: $(cat "$tmp/err")"

if [ "$failures" -gt 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "textfile: all checks passed"
