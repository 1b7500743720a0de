#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR and has systemd-analyze rate the installed
# taint_exporter.service offline: its overall exposure must be 1.5 or lower. Also checks what
# the score does not: no ProcSubset=pid (it would hide /proc/sys/kernel/tainted), ExecStart
# names the installed binary. (systemd-analyze verify needs the
# binary at its real path: the .deb CI step runs it on the installed package.)
# Usage: unit_exposure.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
max=1.5

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >/dev/null

unit=$(find "$tmp/root" -name taint_exporter.service -path '*/systemd/system/*')
if [ -z "$unit" ]; then
	echo "meson install put no taint_exporter.service under a systemd/system directory" >&2
	find "$tmp/root" >&2
	exit 1
fi
echo "installed unit: ${unit#"$tmp/root"}"

systemd-analyze security --offline=yes "$unit" >"$tmp/security" 2>&1 || true
score=$(sed -n 's/.*Overall exposure level for taint_exporter.service: \([0-9.]*\).*/\1/p' "$tmp/security")
if [ -z "$score" ]; then
	echo "systemd-analyze printed no overall exposure level:" >&2
	cat "$tmp/security" >&2
	exit 1
fi
grep '^✗' "$tmp/security" || true
echo "exposure: $score (at most $max)"
if ! awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }'; then
	echo "exposure $score is above $max" >&2
	exit 1
fi

if grep -Eq '^[[:space:]]*ProcSubset=pid' "$unit"; then
	echo "ProcSubset=pid hides /proc/sys/kernel/tainted; it must not be set" >&2
	exit 1
fi
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
if [ ! -x "$tmp/root$exec_start" ]; then
	echo "ExecStart=$exec_start is not the installed binary" >&2
	exit 1
fi
if ! grep -q -- "--web.systemd-socket" "$unit"; then
	echo "the service must take its socket from taint_exporter.socket" >&2
	exit 1
fi

# The kmsg drop-in, put where an administrator puts it: what it adds to the default unit is
# CAP_SYSLOG, the kernel log and /dev/kmsg, and nothing else; the default unit grants no
# capability at all.
if ! grep -qx 'CapabilityBoundingSet=' "$unit" || ! grep -qx 'AmbientCapabilities=' "$unit"; then
	echo "the default unit must grant no capability" >&2
	exit 1
fi
dropin=$(find "$tmp/root" -name kmsg.conf -path '*/taint_exporter/*')
[ -n "$dropin" ] || { echo "meson install put no kmsg.conf drop-in under share/taint_exporter" >&2; exit 1; }
grep -q "^ExecStart=$exec_start --web.systemd-socket --collector.kmsg" "$dropin" ||
	{ echo "the drop-in's ExecStart must run the installed binary with --collector.kmsg" >&2; exit 1; }
mkdir -p "$unit.d"
cp "$dropin" "$unit.d/kmsg.conf"
systemd-analyze security --offline=yes --root="$tmp/root" taint_exporter.service >"$tmp/kmsg" 2>&1 || true
kmsg_score=$(sed -n 's/.*Overall exposure level for taint_exporter.service: \([0-9.]*\).*/\1/p' "$tmp/kmsg")
added=$(grep '^✗' "$tmp/kmsg" | grep -vxFf <(grep '^✗' "$tmp/security") | sed 's/  .*//' | sort)
want=$(printf '%s\n' '✗ AmbientCapabilities=' '✗ CapabilityBoundingSet=~CAP_SYSLOG' '✗ DeviceAllow=' '✗ PrivateDevices=' '✗ PrivateUsers=' \
	'✗ ProtectKernelLogs=' | sort)
echo "with the kmsg drop-in: exposure $kmsg_score; it adds:"
printf '%s\n' "$added"
if [ "$added" != "$want" ]; then
	echo "the kmsg drop-in should add exactly:" >&2
	printf '%s\n' "$want" >&2
	exit 1
fi
if ! awk -v s="$kmsg_score" 'BEGIN { exit !(s != "" && s <= 2.0) }'; then
	echo "exposure with the kmsg drop-in is $kmsg_score, above 2.0" >&2
	exit 1
fi

echo "ok: exposure $score, $kmsg_score with the kmsg drop-in"
