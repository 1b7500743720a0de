#!/usr/bin/env python3
"""The simulated hosts, scraped: one HTTP server on loopback that answers
GET /metrics?host=hNNNNN with what that host's exporter would answer now (its state's real
exporter output, from fleet_model's timeline), or 503 while a flapping target fails. It also
takes vmalert's notifications (POST, answered 200 and dropped: Alertmanager's place).

  simulated_targets.py PORT_FILE STATES_JSON N LIVE HISTORY_END

STATES_JSON holds {state: exposition text}. The server binds 127.0.0.1:0 and writes its port
to PORT_FILE once it listens. One asyncio loop: 10,000 targets every minute is 170 requests a
second, each a dictionary lookup and a write.
"""
import asyncio
import json
import os
import sys
import time
import urllib.parse

import fleet_model


def responses(states):
    out = {}
    for state, text in states.items():
        body = text.encode()
        out[state] = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                      b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    out[None] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
    return out


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


async def serve(reader, writer, hosts, answers, history_end):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target = lines[0].split(" ")[:2]
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            if length:
                await reader.readexactly(length)
            url = urllib.parse.urlsplit(target)
            host = hosts.get(urllib.parse.parse_qs(url.query).get("host", [""])[0])
            if method == "POST":
                writer.write(OK)
            elif url.path == "/metrics" and host is not None:
                writer.write(answers[host.state_at(int(time.time()), history_end)])
            else:
                writer.write(NOT_FOUND)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    port_file, states_json, n, live, history_end = sys.argv[1:6]
    with open(states_json) as f:
        answers = responses(json.load(f))
    hosts = {h.name: h for h in fleet_model.fleet(int(n), int(live)) if not h.live}
    server = await asyncio.start_server(
        lambda r, w: serve(r, w, hosts, answers, int(history_end)), "127.0.0.1", 0,
        backlog=1024)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.replace(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
