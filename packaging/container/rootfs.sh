#!/bin/sh
# rootfs.sh BINARY OUT: copies BINARY to OUT/usr/bin/ and every shared library it loads (the
# closure of its DT_NEEDED entries, the dynamic loader and libc included) under OUT at the same
# paths, so that OUT is a complete root for it on top of an image that has no libc at all
# (distroless/static). Used by the Containerfile and by tests/packaging/container.sh.
# BINARY may be cross-built (the Containerfile's --platform): so readelf, not ldd (ldd runs the
# loader, which loads only this machine's binaries); the libraries are taken from Debian's
# multiarch directories for BINARY's architecture, where its loader looks for them at run time.
set -eu
binary=$1
out=$2
case $(readelf -h "$binary" | sed -n 's/^ *Machine: *//p') in
'Advanced Micro Devices X86-64') triplet=x86_64-linux-gnu ;;
AArch64) triplet=aarch64-linux-gnu ;;
*) echo "rootfs.sh: $binary: not an x86-64 or aarch64 ELF" >&2 && exit 1 ;;
esac
interp=$(readelf -l "$binary" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
[ -n "$interp" ] || { echo "rootfs.sh: $binary has no program interpreter" >&2 && exit 1; }

# copy_needed ELF: copies the libraries ELF needs that OUT lacks, then the ones they need.
copy_needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | while read -r name; do
		# The loader is loaded already, under its own name (libc needs it).
		[ "$name" != "${interp##*/}" ] || continue
		for dir in "/lib/$triplet" "/usr/lib/$triplet" missing; do
			[ "$dir" != missing ] || { echo "rootfs.sh: $name not found" >&2 && exit 1; }
			[ -e "$dir/$name" ] && break
		done
		[ ! -e "$out$dir/$name" ] || continue
		# --parents keeps the path; -L copies the file a symlink (libfoo.so.1) names.
		cp -L --parents "$dir/$name" "$out"
		copy_needed "$out$dir/$name"
	done
}

mkdir -p "$out/usr/bin"
cp "$binary" "$out/usr/bin/taint_exporter"
cp -L --parents "$interp" "$out"
copy_needed "$binary"
