#!/usr/bin/env bash
# rpmspec -P parses and expands packaging/rpm/taint_exporter.spec (with the test-only Fedora
# macros, see rpm-macros.fedora): no macro may stay unexpanded, the version must be meson's,
# the systemd scriptlets and the sysusers user must be there, and the arguments file must be
# %config(noreplace).
# Usage: rpmspec.sh SOURCE_ROOT MESON_VERSION
set -euo pipefail
src=$(realpath "$1")
version=$2
spec=$src/packaging/rpm/taint_exporter.spec

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/SOURCES"
cp "$src/packaging/systemd/taint_exporter.sysusers" "$tmp/SOURCES/"

rpmspec --load "$src/tests/packaging/rpm-macros.fedora" --define "_topdir $tmp" -P "$spec" \
	>"$tmp/parsed"
fail=0
expect() { # expect DESCRIPTION EXTENDED-REGEX
	if ! grep -qE -- "$2" "$tmp/parsed"; then
		echo "rpmspec -P output lacks $1 (/$2/)" >&2
		fail=1
	fi
}
expect "meson's version $version" "^Version: +${version//./\\.}$"
expect "a meson setup with the RPM paths" "meson setup .*--prefix=/usr .*-Ddefaults_file=sysconfig"
expect "meson compile" "meson compile -C"
expect "meson install into the buildroot" "DESTDIR=.*meson install"
expect "the service enabled on first install" "install-system-units taint_exporter.socket taint_exporter.service"
expect "the units removed on erase" "remove-system-units taint_exporter.service taint_exporter.socket"
expect "the service restarted on upgrade" "mark-restart-system-units taint_exporter.service"
expect "the sysusers user created in %pre" "^u taint_exporter "
expect "the arguments file as a noreplace config" "^%config\(noreplace\) /etc/sysconfig/taint_exporter$"
expect "the units in the unit dir" "^/usr/lib/systemd/system/taint_exporter.service$"
# A Fedora macro still written out after expansion is one neither rpm nor our file defines.
if grep -nE '%\{?(meson|systemd_|sysusers_|_unitdir|_sysusersdir|_vpath)' "$tmp/parsed" >&2; then
	echo "unexpanded macros above" >&2
	fail=1
fi
[ "$fail" -eq 0 ] || { cat "$tmp/parsed" >&2; exit 1; }
echo "ok: rpmspec -P expands the spec, version $version"
