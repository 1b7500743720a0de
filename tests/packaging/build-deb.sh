#!/usr/bin/env bash
# build-deb.sh OUTDIR [ARCH]: builds the .deb from packaging/debian with dpkg-buildpackage in a
# temporary copy of the tree (debian/ must be at the top of the source tree; the repository
# keeps it under packaging/) and leaves the .deb, .changes and .buildinfo in OUTDIR. With ARCH
# (a Debian architecture such as arm64), a cross build: `dpkg-buildpackage -a ARCH` with the
# cross and nocheck profiles (its unit tests could not run here), which needs
# crossbuild-essential-ARCH and the build dependencies of ARCH (multiarch; .ci/install-deps).
# DEB_BUILD_OPTIONS=nocheck from the caller skips the unit suite as well.
# Used by tests/packaging/deb.sh and by the kernel test bed, which installs the same package
# in its guest.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
arch=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tree as git sees it (tracked and untracked, minus ignored files: no build dirs).
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$work/src"
cp -r packaging/debian "$work/src/debian"
args=(-us -uc -b)
[ -z "$arch" ] || args+=(-a "$arch" -Pcross,nocheck)
echo "--- dpkg-buildpackage ${args[*]}"
(cd "$work/src" && DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}${arch:+ nocheck}" dpkg-buildpackage "${args[@]}") >"$work/build.log" 2>&1 || {
	tail -50 "$work/build.log" >&2
	exit 1
}
# Everything dpkg-buildpackage left beside the source: the .deb, its -dbgsym, .changes, .buildinfo.
find "$work" -maxdepth 1 -type f -exec mv -t "$out" {} +
echo "built $(basename "$out"/taint-exporter_*.deb)"
