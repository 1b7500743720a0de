#!/bin/sh
# rootfs.sh BINARY OUT: copies BINARY to OUT/usr/bin/ and every shared library it loads
# (ldd's closure, the dynamic loader and libc included) under OUT at the same paths, so that
# OUT is a complete root for it on top of an image that has no libc at all
# (distroless/static). Used by the Containerfile and by tests/packaging/container_rootfs.sh.
set -eu
binary=$1
out=$2
mkdir -p "$out/usr/bin"
cp "$binary" "$out/usr/bin/taint_exporter"
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		# --parents keeps the path; -L copies the file a symlink (libfoo.so.1) names.
		cp -L --parents "$lib" "$out"
	done
