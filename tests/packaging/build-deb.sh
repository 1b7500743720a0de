#!/usr/bin/env bash
# build-deb.sh OUTDIR: builds the .deb from packaging/debian with dpkg-buildpackage in a
# temporary copy of the tree (debian/ must be at the top of the source tree; the repository
# keeps it under packaging/) and leaves the .deb, .changes and .buildinfo in OUTDIR.
# Used by tests/packaging/deb.sh and by the kernel test bed, which installs the same package
# in its guest.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tree as git sees it (tracked and untracked, minus ignored files: no build dirs).
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$work/src"
cp -r packaging/debian "$work/src/debian"
echo "--- dpkg-buildpackage -us -uc -b"
(cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
	tail -50 "$work/build.log" >&2
	exit 1
}
# Everything dpkg-buildpackage left beside the source: the .deb, its -dbgsym, .changes, .buildinfo.
find "$work" -maxdepth 1 -type f -exec mv -t "$out" {} +
echo "built $(basename "$out"/taint-exporter_*.deb)"
