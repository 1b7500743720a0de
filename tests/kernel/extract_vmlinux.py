#!/usr/bin/env python3
"""Extract the uncompressed vmlinux from a compressed kernel image (bzImage).

    extract_vmlinux.py IMAGE OUT

What the kernel's scripts/extract-vmlinux does, for the compressions Debian's images use (xz
up to Debian 12's 6.1, zstd from 6.12 on) and gzip: find each compressed stream's magic,
decompress from there, and keep the first result that is an ELF file. xz and gzip are read by
Python's standard library; zstd by the zstd program (it decompresses the first frame, then
stops at the image's trailing bytes with an error that does not matter here). The test bed boots that ELF
directly through its PVH note, which skips the decompressor.
"""
import gzip
import io
import lzma
import subprocess
import sys
import zlib

MAGICS = [
    (b"\xfd7zXZ\x00", lambda data: lzma.LZMADecompressor().decompress(data)),
    (b"\x1f\x8b\x08", lambda data: gzip.GzipFile(fileobj=io.BytesIO(data)).read()),
    (b"\x28\xb5\x2f\xfd", lambda data: subprocess.run(["zstd", "-dcq"], input=data,
                                                       capture_output=True).stdout),
]


def extract(image):
    for magic, decompress in MAGICS:
        start = image.find(magic)
        while start != -1:
            try:
                out = decompress(image[start:])
            except (lzma.LZMAError, zlib.error, OSError, EOFError):
                out = b""
            if out.startswith(b"\x7fELF"):
                return out
            start = image.find(magic, start + 1)
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract_vmlinux.py IMAGE OUT")
    with open(sys.argv[1], "rb") as f:
        vmlinux = extract(f.read())
    if vmlinux is None:
        sys.exit(f"extract_vmlinux: no xz, zstd or gzip stream holding an ELF file in {sys.argv[1]}")
    with open(sys.argv[2], "wb") as f:
        f.write(vmlinux)


if __name__ == "__main__":
    main()
