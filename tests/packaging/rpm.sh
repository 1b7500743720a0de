#!/usr/bin/env bash
# .ci/run step: builds the binary RPM from packaging/rpm/taint_exporter.spec with Debian's
# rpmbuild, prints its file list, scriptlets and config files, and checks them.
# rpmbuild runs with --nodeps (Debian has no RPM database of the BuildRequires; the Debian
# packages in .ci/packages provide them) and loads tests/packaging/rpm-macros.fedora, our
# TEST-ONLY stand-in for the Fedora macros Debian's rpm lacks (%meson, %systemd_post, ...).
set -euo pipefail
cd "$(dirname "$0")/../.."

version=$(sed -n 's/^Version: *//p' packaging/rpm/taint_exporter.spec)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/SOURCES"

# Source0: the tree as git sees it (tracked and untracked, minus ignored files).
git ls-files -z --cached --others --exclude-standard |
	tar --null -T - --transform "flags=r;s|^|taint_exporter-$version/|" -czf \
		"$tmp/SOURCES/taint_exporter-$version.tar.gz"
cp packaging/systemd/taint_exporter.sysusers "$tmp/SOURCES/"

echo "--- rpmbuild -bb --nodeps"
rpmbuild --load tests/packaging/rpm-macros.fedora --define "_topdir $tmp" --nodeps \
	-bb packaging/rpm/taint_exporter.spec >"$tmp/build.log" 2>&1 || {
	tail -60 "$tmp/build.log" >&2
	exit 1
}
rpm=$(find "$tmp/RPMS" -name "taint_exporter-$version-*.rpm" ! -name '*debug*' | head -1)
echo "built ${rpm#"$tmp/RPMS/"}"

echo "--- rpm -qlp"
rpm -qlp "$rpm" | tee "$tmp/files"
fail=0
# Regexes: Debian's rpm does not compress man pages as Fedora's brp-compress does.
for want in '/usr/bin/taint_exporter' '/usr/share/man/man1/taint_exporter\.1(\.gz)?' \
	'/usr/lib/systemd/system/taint_exporter\.service' \
	'/usr/lib/systemd/system/taint_exporter\.socket' \
	'/usr/lib/sysusers\.d/taint_exporter\.conf' '/etc/sysconfig/taint_exporter' \
	'/usr/share/licenses/taint_exporter/LICENSE' '/usr/share/taint_exporter/kmsg\.conf'; do
	grep -qxE "$want" "$tmp/files" || { echo "the RPM lacks $want" >&2; fail=1; }
done
echo "--- rpm -qcp (config files)"
rpm -qcp "$rpm" | tee "$tmp/config"
grep -qxF /etc/sysconfig/taint_exporter "$tmp/config" || {
	echo "/etc/sysconfig/taint_exporter must be a config file" >&2
	fail=1
}
echo "--- rpm -qp --scripts"
rpm -qp --scripts "$rpm" | tee "$tmp/scripts"
for want in 'install-system-units taint_exporter.socket taint_exporter.service' \
	'mark-restart-system-units taint_exporter.service' 'u taint_exporter '; do
	grep -qF "$want" "$tmp/scripts" || { echo "the scriptlets lack '$want'" >&2; fail=1; }
done

# The packaged unit reads the RPM's arguments file and runs the packaged binary.
mkdir "$tmp/root"
rpm2archive - <"$rpm" | tar -xzf - -C "$tmp/root"
unit=$tmp/root/usr/lib/systemd/system/taint_exporter.service
grep -qxF 'EnvironmentFile=-/etc/sysconfig/taint_exporter' "$unit" || {
	echo "the RPM's unit must read /etc/sysconfig/taint_exporter" >&2
	fail=1
}
grep -q '^ExecStart=/usr/bin/taint_exporter --web.systemd-socket \$ARGS$' "$unit" || {
	echo "the RPM's unit must run /usr/bin/taint_exporter with \$ARGS" >&2
	fail=1
}
"$tmp/root/usr/bin/taint_exporter" --version
[ "$fail" -eq 0 ]
echo "ok: RPM built and its contents are as the spec says"
