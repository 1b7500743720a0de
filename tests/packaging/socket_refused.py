#!/usr/bin/env python3
"""--web.systemd-socket refuses a file descriptor that is not a listening TCP socket.

    socket_refused.py BINARY

For each kind of fd that systemd could be told to pass by mistake (a regular file, a pipe,
a UDP socket, a TCP socket bound but not listening, a listening Unix socket), the exporter is
started the way systemd starts it (the fd as 3, LISTEN_FDS=1, LISTEN_PID its own pid): it
must exit 1 within 10 s, saying which fd and why, instead of spinning on it or serving
nothing. A listening TCP socket passed the same way must be served, so that the refusals are
the check's doing and not the harness's.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

binary = os.path.realpath(sys.argv[1])
failures = 0


def start(fd):
    """The exporter with @fd as its fd 3 and the socket-activation environment."""
    env = dict(os.environ, LISTEN_FDS="1")
    env.pop("LISTEN_FDNAMES", None)
    # sh moves the fd to 3 and closes the original; LISTEN_PID must be the exporter's own
    # pid, which is the shell's once it execs.
    move = f"exec 3<&{fd} {fd}<&-; " if fd != 3 else ""
    script = move + 'LISTEN_PID=$$ exec "$0" --web.systemd-socket --log.level=info'
    return subprocess.Popen(["sh", "-c", script, binary], env=env, pass_fds=(fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def refused(kind, fd):
    global failures
    p = start(fd)
    try:
        _, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        print(f"FAIL {kind}: still running after 10 s; log:\n{err}")
        failures += 1
        return
    if p.returncode != 1 or "not a listening TCP socket" not in err or "fd=3" not in err:
        print(f"FAIL {kind}: expected exit 1 naming fd 3 as not a listening TCP socket, got "
              f"exit {p.returncode}; log:\n{err}")
        failures += 1
    else:
        print(f"ok {kind}: refused ({err.strip().splitlines()[-1]})")


with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "file"), "w+") as f:
        refused("a regular file", f.fileno())
    r, w = os.pipe()
    refused("a pipe", r)
    os.close(r)
    os.close(w)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        refused("a UDP socket", s.fileno())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        refused("a TCP socket bound but not listening", s.fileno())
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.bind(os.path.join(tmp, "sock"))
        s.listen()
        refused("a listening Unix socket", s.fileno())

    # The control: a listening TCP socket, passed the same way, is served.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        p = start(s.fileno())
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/healthy",
                                                timeout=2) as resp:
                        assert resp.status == 200
                    print("ok a listening TCP socket: served")
                    break
                except OSError as exc:
                    if time.monotonic() > deadline or p.poll() is not None:
                        print(f"FAIL a listening TCP socket: not served ({exc})")
                        failures += 1
                        break
                    time.sleep(0.1)
        finally:
            p.terminate()
            p.communicate(timeout=10)

sys.exit(1 if failures else 0)
