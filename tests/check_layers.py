#!/usr/bin/env python3
"""The layers of exporter/ and include/, checked from the includes and from the calls.

Each folder is a layer, and a file may include headers of its own layer and of the layers it
stands on, never of one above it:

    decode   bytes -> values, pure        stands on: nothing but the shared basics
    read     procfs/sysfs -> a snapshot   stands on: decode
    render   a snapshot -> text           stands on: decode
    config   the web config file          stands on: read (its one file reader)
    serve    HTTP                         stands on: config, read, decode, render
    top      main.c, flags.c, log.c      (everything)

The shared basics at the top of include/ (util.h, buffer.h, snapshot.h, log.h) are usable
from every layer; flags.h (the command line) only from the top. decode/ and render/ are pure:
no file in them may call open, openat, read, pread, write, close or their kin (read/ does every
read). Prints each include or call that breaks this and exits 1.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STANDS_ON = {
    "decode": {"decode"},
    "read": {"read", "decode"},
    "render": {"render", "decode"},
    "config": {"config", "read"},
    "serve": {"serve", "config", "read", "decode", "render"},
}
# Pure layers: none of these calls (a word followed by "(", outside comments and strings).
PURE = {"decode", "render"}
IO_CALLS = ("open", "openat", "openat2", "read", "pread", "pread64", "preadv", "readv",
            "write", "pwrite", "writev", "close", "fopen", "fread", "fwrite", "fdopen",
            "getdents64", "readlink", "readlinkat", "stat", "fstat", "fstatat", "lseek",
            "mmap", "recv", "send", "socket", "ioctl")
IO_CALL = re.compile(r"(?<![\w.>])(" + "|".join(IO_CALLS) + r")\s*\(")
COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
BASICS = {"util.h", "buffer.h", "snapshot.h", "log.h"}
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)


def layer_of(rel):
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else "top"


def main():
    bad = []
    for top in ("exporter", "include"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, ROOT)
                layer = layer_of(rel)
                with open(path) as fh:
                    text = fh.read()
                if layer in PURE:
                    code = COMMENT_OR_STRING.sub(" ", text)
                    for call in sorted(set(IO_CALL.findall(code))):
                        bad.append(f"{rel}: the {layer} layer calls {call}(), an I/O call "
                                   "(read/ does every read)")
                for inc in INCLUDE.findall(text):
                    target = inc.split("/")[0] if "/" in inc else None
                    if layer == "top" or inc == "build_config.h":
                        continue
                    if target is None:
                        if inc not in BASICS:
                            bad.append(f"{rel}: includes {inc}, which only the top may")
                    elif target not in STANDS_ON[layer]:
                        bad.append(f"{rel}: the {layer} layer includes {inc} "
                                   f"(of the {target} layer, which {layer} does not stand on)")
    for line in bad:
        print(line)
    print(f"check_layers: {len(bad)} include(s) across layers or I/O call(s) in a pure layer")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
