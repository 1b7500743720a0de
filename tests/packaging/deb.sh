#!/usr/bin/env bash
# .ci/run step: builds the .deb (build-deb.sh), lints it, installs it with dpkg -i, scrapes the
# installed /usr/bin/taint_exporter on a fixture tree, purges it and checks that nothing is left.
# Run as root on a Debian 12 machine; it installs and purges the package taint-exporter.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/packaging/lib.sh

use_scratch # $tmp, and $pid for the server it starts

# dpkg ARGS...: dpkg that waits, as apt-get does with DPkg::Lock::Timeout, while other
# developers' apt-get holds the lock.
dpkg_wait() {
	local i
	for i in $(seq 120); do
		if dpkg "$@" 2>"$tmp/dpkg.err"; then
			cat "$tmp/dpkg.err" >&2
			return 0
		fi
		if ! grep -q 'lock' "$tmp/dpkg.err"; then
			cat "$tmp/dpkg.err" >&2
			return 1
		fi
		sleep 5
	done
	cat "$tmp/dpkg.err" >&2
	return 1
}

tests/packaging/build-deb.sh "$tmp"
deb=$(echo "$tmp"/taint-exporter_*.deb)
changes=$(echo "$tmp"/taint-exporter_*.changes)

echo "--- lintian"
# --fail-on error,warning: an error or a warning fails the step; info and pedantic tags are
# printed for the reader but do not.
lintian --fail-on error,warning --display-info "$changes"

echo "--- dpkg -i"
if dpkg -s taint-exporter >/dev/null 2>&1; then
	dpkg_wait --purge taint-exporter # left by an earlier, interrupted run
fi
dpkg_wait -i "$deb"
dpkg -L taint-exporter >"$tmp/files"
cat "$tmp/files"
for want in /usr/bin/taint_exporter /usr/share/man/man1/taint_exporter.1.gz \
	/lib/systemd/system/taint_exporter.service /lib/systemd/system/taint_exporter.socket \
	/etc/default/taint_exporter; do
	if ! grep -qxF "$want" "$tmp/files" || [ ! -e "$want" ]; then
		echo "the package must install $want" >&2
		exit 1
	fi
done
grep -qxF /etc/default/taint_exporter /var/lib/dpkg/info/taint-exporter.conffiles || {
	echo "/etc/default/taint_exporter must be a conffile" >&2
	exit 1
}
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify \
	/lib/systemd/system/taint_exporter.service /lib/systemd/system/taint_exporter.socket
# --threshold counts in tenths: 15 is an exposure of 1.5.
systemd-analyze security --offline=yes --threshold=15 /lib/systemd/system/taint_exporter.service |
	tail -1

echo "--- scrape the installed binary"
make_fixture "$tmp/fixture"
/usr/bin/taint_exporter --web.listen-address=127.0.0.1:0 --path.procfs="$tmp/fixture/proc" \
	--path.sysfs="$tmp/fixture/sys" 2>"$tmp/log" &
pid=$!
wait_for_log "$tmp/log" 'msg="Listening on" address=127\.0\.0\.1:[0-9]+'
port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/log" | head -1)
curl -sS --fail --max-time 10 -o "$tmp/metrics" "http://127.0.0.1:$port/metrics"
check_fixture_metrics "$tmp/metrics"
kill "$pid"
wait "$pid" || true
pid=
echo "scraped /usr/bin/taint_exporter on 127.0.0.1:$port"

echo "--- dpkg --purge"
dpkg_wait --purge taint-exporter
left=0
while read -r f; do
	if [ -e "$f" ] && [ ! -d "$f" ]; then
		echo "left behind after purge: $f" >&2
		left=1
	fi
done <"$tmp/files"
# What the maintainer scripts create (the units' enablement links, deb-systemd-helper's
# state) must go too.
if find /etc/systemd /var/lib/systemd/deb-systemd-helper-enabled \
	/var/lib/systemd/deb-systemd-helper-masked -name '*taint_exporter*' 2>/dev/null | grep .; then
	echo "systemd links or state left behind after purge (above)" >&2
	left=1
fi
if dpkg -s taint-exporter >/dev/null 2>&1; then
	echo "dpkg still knows taint-exporter after purge" >&2
	left=1
fi
[ "$left" -eq 0 ]
echo "ok: built, linted, installed, scraped and purged without a trace"
