#!/usr/bin/env bash
# .ci/run step: builds the binary RPM from packaging/rpm/taint_exporter.spec with Debian's
# rpmbuild, prints its file list, scriptlets and config files, and checks them.
# rpmbuild runs with --nodeps (Debian has no RPM database of the BuildRequires; the Debian
# packages in .ci/packages provide them) and reads tests/packaging/rpm-macros.fedora, our
# TEST-ONLY stand-in for the Fedora macros Debian's rpm lacks (%meson, %systemd_post, ...).
# It builds twice: natively, and for aarch64 as a distribution's cross build would
# (rpmbuild --target aarch64, the spec given packaging/cross/debian-arm64.ini: Debian's
# crossbuild-essential-arm64 and the arm64 -dev packages); both packages get the same checks,
# plus their arch and their binary's ELF machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/packaging/lib.sh

version=$(sed -n 's/^Version: *//p' packaging/rpm/taint_exporter.spec)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/SOURCES"

# Source0: the tree as git sees it (tracked and untracked, minus ignored files).
git ls-files -z --cached --others --exclude-standard |
	tar --null -T - --transform "flags=r;s|^|taint_exporter-$version/|" -czf \
		"$tmp/SOURCES/taint_exporter-$version.tar.gz"
cp packaging/systemd/taint_exporter.sysusers "$tmp/SOURCES/"

# check_rpm ARCH ELF_MACHINE [RPMBUILD ARGUMENTS...]: builds the RPM into $tmp/ARCH with
# the arguments, prints and checks it; its arch must be ARCH and its binary's ELF machine, as
# readelf -h names it, ELF_MACHINE. A failed check sets fail=1.
check_rpm() {
	local arch=$1 machine=$2 top=$tmp/$1 rpm
	shift 2
	mkdir "$top"
	ln -s ../SOURCES "$top/SOURCES"
	echo "=== $arch: rpmbuild -bb --nodeps $*"
	rpmbuild --macros "$macros" --define "_topdir $top" --nodeps "$@" \
		-bb packaging/rpm/taint_exporter.spec >"$top/build.log" 2>&1 || {
		tail -60 "$top/build.log" >&2
		exit 1
	}
	rpm=$(find "$top/RPMS" -name "taint_exporter-$version-*.rpm" ! -name '*debug*' | head -1)
	echo "built ${rpm#"$top/RPMS/"}"
	[ "$(rpm -qp --qf '%{ARCH}' "$rpm")" = "$arch" ] ||
		{ echo "the package's arch is $(rpm -qp --qf '%{ARCH}' "$rpm"), not $arch" >&2; fail=1; }

	echo "--- rpm -qlp"
	rpm -qlp "$rpm" | tee "$top/files"
	# Regexes: Debian's rpm does not compress man pages as Fedora's brp-compress does.
	for want in '/usr/bin/taint_exporter' '/usr/share/man/man1/taint_exporter\.1(\.gz)?' \
		'/usr/lib/systemd/system/taint_exporter\.service' \
		'/usr/lib/systemd/system/taint_exporter\.socket' \
		'/usr/lib/sysusers\.d/taint_exporter\.conf' '/etc/sysconfig/taint_exporter' \
		'/usr/share/licenses/taint_exporter/LICENSE' '/usr/share/taint_exporter/kmsg\.conf'; do
		grep -qxE "$want" "$top/files" || { echo "the RPM lacks $want" >&2; fail=1; }
	done
	echo "--- rpm -qcp (config files)"
	rpm -qcp "$rpm" | tee "$top/config"
	grep -qxF /etc/sysconfig/taint_exporter "$top/config" || {
		echo "/etc/sysconfig/taint_exporter must be a config file" >&2
		fail=1
	}
	echo "--- rpm -qp --scripts"
	rpm -qp --scripts "$rpm" | tee "$top/scripts"
	for want in 'install-system-units taint_exporter.socket taint_exporter.service' \
		'mark-restart-system-units taint_exporter.service' 'u taint_exporter '; do
		grep -qF "$want" "$top/scripts" || { echo "the scriptlets lack '$want'" >&2; fail=1; }
	done

	# The packaged unit reads the RPM's arguments file and runs the packaged binary.
	mkdir "$top/root"
	rpm2archive - <"$rpm" | tar -xzf - -C "$top/root"
	local unit=$top/root/usr/lib/systemd/system/taint_exporter.service
	grep -qxF 'EnvironmentFile=-/etc/sysconfig/taint_exporter' "$unit" || {
		echo "the RPM's unit must read /etc/sysconfig/taint_exporter" >&2
		fail=1
	}
	grep -q '^ExecStart=/usr/bin/taint_exporter --web.systemd-socket \$ARGS$' "$unit" || {
		echo "the RPM's unit must run /usr/bin/taint_exporter with \$ARGS" >&2
		fail=1
	}
	# The binary is built for the package's arch: rpmbuild --target alone would have put the
	# build machine's binary in it.
	file "$top/root/usr/bin/taint_exporter"
	local got
	got=$(elf_machine "$top/root/usr/bin/taint_exporter")
	[ "$got" = "$machine" ] ||
		{ echo "the $arch RPM's binary is for '$got', not '$machine'" >&2; fail=1; }
}

# rpm's macro path with our file last: not --load, whose macros rpmbuild --target drops when
# it reads the configuration again for the target.
macros="$(rpm --showrc | sed -n 's/^Macro path: //p'):$PWD/tests/packaging/rpm-macros.fedora"
fail=0
native=$(rpm --eval '%{_arch}')
[ "$native" = x86_64 ] ||
	{ echo "rpm.sh runs on x86_64 (and cross-builds for aarch64), not $native" >&2; exit 1; }
check_rpm x86_64 'Advanced Micro Devices X86-64'
# Only the native binary runs here (no user-mode aarch64 emulator).
"$tmp/x86_64/root/usr/bin/taint_exporter" --version
# A cross build names the target's toolchain: the cross file for the compiler, and the binutils
# rpm's brp-strip scripts run on the installed binary (the native strip cannot read it).
check_rpm aarch64 AArch64 --target aarch64 \
	--define "meson_cross_file $PWD/packaging/cross/debian-arm64.ini" \
	--define "__strip aarch64-linux-gnu-strip" --define "__objdump aarch64-linux-gnu-objdump"
[ "$fail" -eq 0 ]
echo "ok: RPMs built for x86_64 and aarch64, their contents as the spec says"
