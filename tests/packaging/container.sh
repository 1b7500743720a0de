#!/usr/bin/env bash
# .ci/run step, standing in for a container build (no container engine runs here): runs the
# Containerfile's build-stage RUN command (meson setup/compile/test and rootfs.sh), taken
# verbatim from the Containerfile, in a temporary copy of the tree; then starts the binary
# from the resulting root the way the final image does: chroot'ed into exactly those files
# (the final image adds only distroless/static's /etc files), as the image's user
# 65532:65532, with nothing writable, and scrapes a fixture tree. The same RUN command with
# TARGETARCH=arm64, as `--platform linux/arm64` sets it, cross-builds an arm64 root: its ELF
# files must be aarch64 and its libraries the native root's (it is not run: there is no
# user-mode emulator here; the arm64 .deb's binary runs in the kernel test bed's arm64 guest).
# Needs root (chroot), and Debian's arm64 cross toolchain and -dev packages (.ci/packages).
# Not tested: the apt-get RUN line, the FROM images, COPY and USER.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/packaging/lib.sh

use_scratch # $tmp, and $pid for the server it starts

mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$tmp/src"

# The RUN instruction that starts with "RUN rm -rf build", continuation lines included.
run=$(awk '/^RUN rm -rf build/ { on = 1 } on { print; if ($0 !~ /\\$/) exit }' \
	packaging/container/Containerfile | sed -e '1s/^RUN //')
[ -n "$run" ] || { echo "no build RUN line in the Containerfile" >&2; exit 1; }
echo "--- the Containerfile's build RUN, in a copy of the tree:"
echo "$run"
# build_root TARGETARCH ROOT: runs it as an engine would for --platform linux/TARGETARCH on
# this machine (BUILDARCH, TARGETARCH: the build arguments the file declares), into ROOT
# rather than /rootfs, and lists the root.
buildarch=$(dpkg --print-architecture)
build_root() {
	local root=$2
	echo "--- TARGETARCH=$1 BUILDARCH=$buildarch"
	(cd "$tmp/src" && BUILDARCH=$buildarch TARGETARCH=$1 sh -ec \
		"$(printf "%s\n" "$run" | sed "s| /rootfs$| $root|")") >"$tmp/build-$1.log" 2>&1 ||
		{ tail -40 "$tmp/build-$1.log" >&2; exit 1; }
	find "$root" -type f | sed "s|^$root||" | sort
	du -sh "$root" | cut -f1 | sed 's/^/rootfs size: /'
	if find "$root" -name 'libsystemd*' | grep -q .; then
		echo "the container binary must be built without libsystemd" >&2
		exit 1
	fi
}
build_root "$buildarch" "$tmp/rootfs"

# The arm64 root: every ELF file in it (binary, loader, libraries) for aarch64, the loader the
# binary names there, and the same libraries as the native root, which runs below.
arm64=$tmp/rootfs-arm64
build_root arm64 "$arm64"
while read -r f; do
	machine=$(elf_machine "$f")
	[ "$machine" = AArch64 ] || { echo "arm64 root: ${f#"$arm64"} is for '$machine'" >&2; exit 1; }
done < <(find "$arm64" -type f)
file "$arm64/usr/bin/taint_exporter"
interp=$(readelf -l "$arm64/usr/bin/taint_exporter" | sed -n 's/.*interpreter: \(.*\)\]$/\1/p')
[ -f "$arm64$interp" ] || { echo "arm64 root: no loader $interp" >&2; exit 1; }
libs() { find "$1" -type f -name 'lib*.so*' -printf '%f\n' | sort; }
diff <(libs "$tmp/rootfs") <(libs "$arm64") ||
	{ echo "the arm64 root's libraries (>) are not the native root's (<)" >&2; exit 1; }
echo "ok: the Containerfile's build command cross-builds an aarch64 root for TARGETARCH=arm64"

echo "--- run it chroot'ed, as 65532:65532, read-only, with a /proc as an engine mounts one"
make_fixture "$tmp/rootfs/fixture"
mkdir "$tmp/rootfs/proc"
chmod -R a-w "$tmp/rootfs"
# With the image's environment (its ENV lines), as an engine sets it, and a procfs mounted at
# the root's /proc in a mount namespace of its own, so that it goes when the server does.
mapfile -t image_env < <(sed -n 's/^ENV \([A-Za-z_][A-Za-z0-9_]*=[^ ]*\)$/\1/p' packaging/container/Containerfile)
unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec "$@"' \
	"$tmp/rootfs" env "${image_env[@]}" chroot --userspec=65532:65532 "$tmp/rootfs" \
	/usr/bin/taint_exporter --web.listen-address=127.0.0.1:0 --path.procfs=/fixture/proc \
	--path.sysfs=/fixture/sys 2>"$tmp/log" &
pid=$!
wait_for_log "$tmp/log" 'msg="Listening on" address=127\.0\.0\.1:[0-9]+'
for var in "${image_env[@]}"; do
	tr '\0' '\n' </proc/$pid/environ | grep -qxF "$var" || {
		echo "the image's $var did not reach the exporter" >&2
		exit 1
	}
done
# Nothing sets an allocator tunable: not the image, not the exporter itself.
if tr '\0' '\n' </proc/$pid/environ | grep -E '^(GLIBC_TUNABLES|MALLOC_)' >&2; then
	echo "the exporter in the root runs with allocator settings in its environment" >&2
	exit 1
fi
port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/log" | head -1)
curl -sS --fail --max-time 10 -o "$tmp/metrics" "http://127.0.0.1:$port/metrics"
check_fixture_metrics "$tmp/metrics"
curl -sS --fail --max-time 10 -o /dev/null "http://127.0.0.1:$port/-/healthy"
kill "$pid"
wait "$pid" || true
pid=
echo "ok: the Containerfile's build command and root serve the fixture as a non-root user"

# --collector.kmsg as README's "Container" section runs it: this host's real /dev/kmsg as the
# root's only device (--device=/dev/kmsg:/dev/kmsg:r), user 65532 with CAP_SYSLOG in its
# ambient set (--cap-add=SYSLOG, as podman gives it to a non-root user). chroot itself needs
# CAP_SYS_CHROOT, which the exporter then keeps too: a stand-in's artifact, not the image's.
# kmsg_run CAPS: start the root's exporter with --collector.kmsg as 65532 holding CAPS.
kmsg_run() {
	unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec "$@"' \
		"$tmp/rootfs" setpriv --reuid=65532 --regid=65532 --clear-groups --inh-caps="$1" \
		--ambient-caps="$1" -- chroot "$tmp/rootfs" /usr/bin/taint_exporter \
		--web.listen-address=127.0.0.1:0 --path.procfs=/fixture/proc \
		--path.sysfs=/fixture/sys --collector.kmsg 2>"$tmp/log" &
	pid=$!
	wait_for_log "$tmp/log" 'msg="Listening on" address=127\.0\.0\.1:[0-9]+'
	port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/log" | head -1)
	curl -sS --fail --max-time 10 -o "$tmp/metrics" "http://127.0.0.1:$port/metrics"
	kill "$pid"
	wait "$pid" || true
	pid=
}
chmod o+x "$tmp" # chroot now runs as 65532, who must reach the root
chmod u+w "$tmp/rootfs"
mkdir "$tmp/rootfs/dev"
mknod -m 444 "$tmp/rootfs/dev/kmsg" c 1 11
chmod a-w "$tmp/rootfs" "$tmp/rootfs/dev"
kmsg_run +syslog,+sys_chroot
grep -qx 'taint_exporter_collector_up{collector="kmsg"} 1' "$tmp/metrics" ||
	{ echo "with CAP_SYSLOG the kmsg collector must be up:" >&2; cat "$tmp/log" "$tmp/metrics" >&2; exit 1; }
if [ "$(cat /proc/sys/kernel/dmesg_restrict)" = 1 ]; then
	kmsg_run +sys_chroot
	grep -qx 'taint_exporter_collector_up{collector="kmsg"} 0' "$tmp/metrics" ||
		{ echo "without CAP_SYSLOG (dmesg_restrict 1) the kmsg collector must be down" >&2; exit 1; }
	grep -q 'err="reading the kernel log needs CAP_SYSLOG' "$tmp/log" ||
		{ echo "without CAP_SYSLOG the log must say why: $(cat "$tmp/log")" >&2; exit 1; }
	echo "ok: --collector.kmsg reads the real /dev/kmsg as 65532 with CAP_SYSLOG, and is down without it"
else
	echo "ok: --collector.kmsg reads the real /dev/kmsg as 65532 with CAP_SYSLOG (dmesg_restrict is 0 here: the refusal is tested on the kernel test bed)"
fi
chmod -R u+w "$tmp/rootfs"
