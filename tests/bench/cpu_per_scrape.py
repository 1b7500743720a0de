#!/usr/bin/env python3
"""Two builds side by side: the exporter's CPU time (user + system, from /proc/PID/stat) per
scrape of this host's /metrics on one keep-alive connection, 3,000 scrapes after 100 to warm
up, five runs each, alternating. For a change whose cost on a scrape is the question.

Usage: cpu_per_scrape.py BEFORE_BINARY AFTER_BINARY
"""
import http.client, os, re, signal, subprocess, sys, time
def run(binary, n=3000):
    p = subprocess.Popen([binary, "--web.listen-address=127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        m = re.search(r"address=127\.0\.0\.1:(\d+)", p.stderr.readline())
        if m: port = int(m.group(1))
    c = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(100):
        c.request("GET", "/metrics"); c.getresponse().read()
    def cpu():
        f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    t0 = cpu()
    for _ in range(n):
        c.request("GET", "/metrics"); c.getresponse().read()
    used = cpu() - t0
    p.send_signal(signal.SIGTERM); p.wait()
    return used / n * 1e6
res = {"before": [], "after": []}
for i in range(5):
    res["before"].append(run(sys.argv[1])); res["after"].append(run(sys.argv[2]))
for k, v in res.items():
    v.sort(); print(k, "CPU per scrape (us), median of 5 runs of 3000:", round(v[2], 1), [round(x, 1) for x in v])
