"""The two engines, each loaded with the fleet's history, started on loopback with the
project's rule file as shipped, scraping the whole fleet, and stopped again.

Prometheus (Debian's 2.42): the history becomes TSDB blocks with promtool (in time slices,
two at a time, one per core), which are moved into its data directory before it starts.
VictoriaMetrics (Debian's 1.79): victoria-metrics takes the history on /api/v1/import; vmagent
scrapes the fleet into it and vmalert evaluates the rules against it, writing the recording
rules and alert state back, as a scaled-out deployment runs them.
"""
import http.client
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request

import history

EVAL_INTERVAL = "30s"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, procs, what, timeout=600):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{what} exited with {p.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} not ready at {url} after {timeout} s")


def scrape_config(path, targets_file, evaluation=""):
    with open(path, "w") as f:
        f.write(f"global:\n  scrape_interval: {history.STEP}s\n"
                f"  scrape_timeout: {min(10, history.STEP)}s\n"
                f"{evaluation}scrape_configs:\n  - job_name: taint_exporter\n    file_sd_configs:\n"
                f"      - files: [{targets_file}]\n")


class Engine:
    """What both engines share: their processes, and stopping them."""

    def __init__(self, work):
        self.work, self.procs = work, []
        self.seen = {}

    def spawn(self, name, argv):
        with open(os.path.join(self.work, name + ".log"), "w") as out:
            self.procs.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT))
        return self.procs[-1]

    def stop(self):
        for p in reversed(self.procs):
            p.terminate()
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []

    def rule_times(self):
        """[(seconds, rule)] of each rule's last evaluation, from /api/v1/rules (Prometheus
        and vmalert both have it), slowest first. A rule is named by its alert or record
        name, and its labels when several rules share the name."""
        with urllib.request.urlopen(self.alerts_url + "/api/v1/rules", timeout=30) as r:
            groups = json.load(r)["data"]["groups"]
        out = []
        for g in groups:
            for rule in g["rules"]:
                labels = ",".join(f"{k}={v}" for k, v in sorted(rule.get("labels", {}).items()))
                out.append((float(rule.get("evaluationTime", 0)),
                            rule["name"] + (f"{{{labels}}}" if labels else "")))
        return sorted(out, reverse=True)

    def scrape_state(self):
        """What the scraper says of its targets, and its log's last lines: for the error of
        a fleet that is not scraped in time."""
        out = []
        try:
            with urllib.request.urlopen(self.scraper_url + "/api/v1/targets?state=active",
                                        timeout=60) as r:
                targets = json.load(r)["data"]["activeTargets"]
            health, errors = {}, {}
            for t in targets:
                health[t["health"]] = health.get(t["health"], 0) + 1
                if t.get("lastError"):
                    errors[t["lastError"]] = errors.get(t["lastError"], 0) + 1
            out.append(f"targets by health {health}; errors "
                       f"{sorted(errors.items(), key=lambda e: -e[1])[:3]}")
        except (OSError, ValueError, KeyError) as e:
            out.append(f"targets not listed: {e}")
        for p in self.procs:
            name = os.path.basename(p.args[0])
            try:
                with open(os.path.join(self.work, name + ".log")) as f:
                    out.append(f"{name}.log: " + " | ".join(f.read().splitlines()[-8:]))
            except OSError:
                pass
        return "\n  ".join(out)

    def check_running(self):
        for p in self.procs:
            if p.poll() is not None:
                raise RuntimeError(f"{os.path.basename(p.args[0])} exited with {p.returncode}"
                                   f" (its log: {self.work}/{os.path.basename(p.args[0])}.log)")

    def rss_kib(self):
        """{process name: (VmRSS, VmHWM)} in KiB."""
        out = {}
        for p in self.procs:
            with open(f"/proc/{p.pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            name = os.path.basename(p.args[0])
            out[name] = tuple(int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM"))
        return out


class Prometheus(Engine):
    name = "prometheus"
    scrape_series = ("up", "scrape_duration_seconds", "scrape_samples_scraped",
                     "scrape_samples_post_metric_relabeling", "scrape_series_added")

    def load(self, hosts, series, history_end, start, end, slice_hours):
        """The history in [start, end) as TSDB blocks: OpenMetrics text per time slice
        (written to memory when /dev/shm has room), promtool on two slices at a time."""
        self.data = os.path.join(self.work, "prometheus-data")
        os.makedirs(self.data, exist_ok=True)
        slices = []
        t = start
        while t < end:
            slices.append((t, min(t + slice_hours * 3600, end)))
            t += slice_hours * 3600
        scratch = scratch_dir(self.work)
        try:
            return self.write_blocks(hosts, series, history_end, slices, scratch)
        finally:
            if scratch != self.work:
                shutil.rmtree(scratch, ignore_errors=True)

    def write_blocks(self, hosts, series, history_end, slices, scratch):
        samples = 0
        for pair in (slices[i:i + 2] for i in range(0, len(slices), 2)):
            jobs = []
            for a, b in pair:
                text = os.path.join(scratch, f"history-{a}.om")
                with open(text, "w") as f:
                    samples += history.write_openmetrics(f, hosts, series, history_end, a, b)
                jobs.append((text, subprocess.Popen(
                    ["promtool", "tsdb", "create-blocks-from", "openmetrics",
                     "--max-block-duration=54h", text, self.data],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
            for text, p in jobs:
                _, err = p.communicate()
                os.unlink(text)
                if p.returncode:
                    raise RuntimeError(f"promtool failed: {err.decode()[-2000:]}")
        return samples

    def start(self, targets_file, rules):
        config = os.path.join(self.work, "prometheus.yml")
        scrape_config(config, targets_file, f"  evaluation_interval: {EVAL_INTERVAL}\n")
        with open(config, "a") as f:
            f.write(f"rule_files: [{rules}]\n")
        self.port = free_port()
        # The hidden block-duration flags at 2h: the imported blocks are queried as they are,
        # not compacted together while the figures are taken.
        p = self.spawn("prometheus", [
            "prometheus", f"--config.file={config}", f"--storage.tsdb.path={self.data}",
            f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=30d",
            "--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h",
            "--log.level=warn"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.alerts_url = self.scraper_url = self.url
        wait_ready(self.url + "/-/ready", [p], "prometheus")

    def new_evaluations(self):
        """[seconds] of each rule group evaluation since the last call (polled more often
        than the groups run), from /api/v1/rules."""
        with urllib.request.urlopen(self.url + "/api/v1/rules", timeout=30) as r:
            groups = json.load(r)["data"]["groups"]
        out = []
        for g in groups:
            if self.seen.get(g["name"]) != g["lastEvaluation"]:
                if g["name"] in self.seen:
                    out.append(g["evaluationTime"])
                self.seen[g["name"]] = g["lastEvaluation"]
        return out


def scratch_dir(work):
    """/dev/shm when it is a tmpfs with room for a slice of text, else the work directory."""
    try:
        st = os.statvfs("/dev/shm")
        if st.f_bavail * st.f_frsize > 16 << 30:
            d = os.path.join("/dev/shm", os.path.basename(work))
            os.makedirs(d, exist_ok=True)
            return d
    except OSError:
        pass
    return work


class VictoriaMetrics(Engine):
    name = "victoriametrics"
    scrape_series = Prometheus.scrape_series + ("scrape_timeout_seconds",)

    def start_storage(self):
        self.port = free_port()
        # -search.maxUniqueTimeseries: kernel_taint:flag_set selects every flag series of the
        # fleet (200,000 at 10,000 hosts), past the default limit of 300,000 with the modules'
        # and the 24 h range's series; a fleet this size raises it, as this does.
        p = self.spawn("victoria-metrics", [
            "victoria-metrics", f"-httpListenAddr=127.0.0.1:{self.port}",
            f"-storageDataPath={os.path.join(self.work, 'vmdata')}", "-retentionPeriod=30d",
            "-search.maxUniqueTimeseries=2000000", "-loggerLevel=WARN"])
        self.url = f"http://127.0.0.1:{self.port}"
        wait_ready(self.url + "/health", [p], "victoria-metrics")

    def load(self, hosts, series, history_end, start, end, slice_hours):
        """The history in [start, end) through /api/v1/import."""
        if not self.procs:
            self.start_storage()
        samples = [0]

        def body():
            for chunk, n in history.vm_lines(hosts, series, history_end, start, end):
                samples[0] += n
                yield chunk

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        conn.request("POST", "/api/v1/import", body=body(), encode_chunked=True)
        r = conn.getresponse()
        if r.status != 204:
            raise RuntimeError(f"import answered {r.status}: {r.read()[:500]}")
        conn.close()
        with urllib.request.urlopen(self.url + "/internal/force_flush", timeout=60):
            pass
        return samples[0]

    def start(self, targets_file, rules):
        config = os.path.join(self.work, "scrape.yml")
        scrape_config(config, targets_file)
        agent = free_port()
        self.agent_url = self.scraper_url = f"http://127.0.0.1:{agent}"
        p = self.spawn("vmagent", [
            "vmagent", f"-httpListenAddr=127.0.0.1:{agent}", f"-promscrape.config={config}",
            f"-remoteWrite.url={self.url}/api/v1/write",
            f"-remoteWrite.tmpDataPath={os.path.join(self.work, 'vmagent')}",
            "-loggerLevel=WARN"])
        wait_ready(self.agent_url + "/health", [p], "vmagent")
        # Alertmanager's place is taken by the simulated targets' server (it answers POST).
        alert = free_port()
        p = self.spawn("vmalert", [
            "vmalert", f"-httpListenAddr=127.0.0.1:{alert}", f"-rule={rules}",
            f"-evaluationInterval={EVAL_INTERVAL}", f"-datasource.url={self.url}",
            f"-remoteWrite.url={self.url}", f"-remoteRead.url={self.url}",
            f"-notifier.url={self.notifier_url}", "-loggerLevel=WARN"])
        self.alerts_url = f"http://127.0.0.1:{alert}"
        wait_ready(self.alerts_url + "/health", [p], "vmalert")

    def new_evaluations(self):
        """[seconds] of each rule group evaluation since the last call, from the growth of
        vmalert's vmalert_iteration_duration_seconds _count and _sum (polled more often than
        the groups run, so that each growth is one iteration)."""
        with urllib.request.urlopen(self.alerts_url + "/metrics", timeout=30) as r:
            text = r.read().decode()
        now = {}
        for line in text.splitlines():
            for suffix, idx in (("_count", 0), ("_sum", 1)):
                prefix = "vmalert_iteration_duration_seconds" + suffix + "{"
                if line.startswith(prefix):
                    labels, value = line[len(prefix):].rsplit("} ", 1)
                    group = dict(kv.split("=", 1) for kv in labels.split(","))["group"]
                    now.setdefault(group, [0, 0.0])[idx] = float(value)
        out = []
        for group, (count, total) in now.items():
            if group in self.seen and count > self.seen[group][0]:
                iterations = count - self.seen[group][0]
                out += [(total - self.seen[group][1]) / iterations] * int(iterations)
            self.seen[group] = (count, total)
        return out
