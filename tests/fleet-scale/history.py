"""The fleet's past, written in the formats the engines import: OpenMetrics text for
`promtool tsdb create-blocks-from openmetrics`, and the JSON lines of VictoriaMetrics'
/api/v1/import.

Each host has a sample every STEP seconds (at its own offset in the interval) in the stretch
of time asked for: the series its state's exporter output has, labelled with
job and instance as a scrape would label them, and the five series an engine adds to every
scrape (up, scrape_duration_seconds, ...: each engine's own list). While a flapping target
fails, only those are there, with up at 0. Nearly every host is in one state for the whole day; its samples are
written from strings made once, which is what makes 10,000 hosts' day quick to write.
"""
import json
import re

STEP = 60  # the scrape interval, in seconds; run sets it
JOB = "taint_exporter"

# What the rules record per host, written into the past as the rules would have recorded it,
# so that a run measures rules that have run all day (as on a real Prometheus), not rules that
# started with the engine: {record: (the series it selects, the value it keeps)}. Only the
# records the rule file has are written.
RECORDED = {"kernel_taint:flag_set": ("kernel_taint_flag", "1"),
            "kernel_taint:scrape_success": ("taint_exporter_scrape_success", "1")}


def scrape_values(name, samples):
    """The value of the series @name that an engine adds to a scrape that got @samples (None:
    a failed one)."""
    n = str(len(samples)) if samples is not None else "0"
    return {"up": "1" if samples is not None else "0", "scrape_duration_seconds": "0.002",
            "scrape_samples_scraped": n, "scrape_samples_post_metric_relabeling": n,
            "scrape_series_added": "0", "scrape_timeout_seconds": "10"}[name]


class Series:
    """Every series of a host in each of its states: {state: [(key, value)]}, where key is
    (name, ((label, value), ...)) with job and instance added."""

    def __init__(self, rendered, scrape_series, records=()):
        self.rendered, self.scrape_series = rendered, scrape_series
        self.recorded = {RECORDED[r]: r for r in records if r in RECORDED}
        self.families = []  # every name, in a fixed order, for OpenMetrics' grouping
        for _, samples in rendered.values():
            for name, _, _ in samples:
                if name not in self.families:
                    self.families.append(name)
        self.families += list(scrape_series) + sorted(self.recorded.values())

    def of(self, host, state):
        """[(name, labels, value)] that a scrape of @host in @state (None: failing) stores."""
        ident = (("instance", host.name), ("job", JOB))
        samples = self.rendered[state][1] if state else None
        out = [(name, tuple(sorted(labels.items())) + ident, value)
               for name, labels, value in (samples or [])]
        out += [(self.recorded[(name, value)], labels, "1") for name, labels, value in out
                if (name, value) in self.recorded]
        out += [(name, ident, scrape_values(name, samples)) for name in self.scrape_series]
        return out


def timestamps(host, start, end):
    """The host's scrape times in [start, end): every STEP s at its own offset."""
    first = start - start % STEP + host.offset
    if first < start:
        first += STEP
    return range(first, end, STEP)


def host_samples(series, host, history_end, start, end):
    """{(name, labels): [(t, value)]} of @host in [start, end): the slow path, for a host
    whose state changes."""
    out = {}
    for t in timestamps(host, start, end):
        for name, labels, value in series.of(host, host.state_at(t, history_end)):
            out.setdefault((name, labels), []).append((t, value))
    return out


def steady(host, history_end, start, end):
    """The one state of a host that neither flaps nor changes in [start, end), or None."""
    if host.flaps:
        return None
    when = host.changes_at(history_end)
    if when is not None and start <= when < end:
        return None
    return host.state_at(start, history_end)


def om_labels(name, labels):
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in labels) + "}"


def write_openmetrics(out, hosts, series, history_end, start, end):
    """OpenMetrics text of every host in [start, end), one family after another (promtool
    reads a family's samples together, each series' in time order). Returns samples written."""
    written = 0
    suffixes = {}  # offset -> [" t\n"]
    slow = {h.i: host_samples(series, h, history_end, start, end)
            for h in hosts if steady(h, history_end, start, end) is None}
    for family in series.families:
        for h in hosts:
            if h.i in slow:
                for (name, labels), points in slow[h.i].items():
                    if name == family:
                        out.write("".join(f"{om_labels(name, labels)} {v} {t}\n"
                                          for t, v in points))
                        written += len(points)
                continue
            if h.offset not in suffixes:
                suffixes[h.offset] = [f" {t}\n" for t in timestamps(h, start, end)]
            ts = suffixes[h.offset]
            for name, labels, value in series.of(h, steady(h, history_end, start, end)):
                if name == family:
                    head = f"{om_labels(name, labels)} {value}"
                    out.write("".join([head + s for s in ts]))
                    written += len(ts)
    out.write("# EOF\n")
    return written


ESCAPE_RE = re.compile(r"\\(.)")


def unescape(value):
    """An exposition label value as the string it stands for."""
    return ESCAPE_RE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def vm_metric(name, labels):
    return json.dumps(dict([("__name__", name)] + [(k, unescape(v)) for k, v in labels]),
                      separators=(",", ":"))


def vm_lines(hosts, series, history_end, start, end):
    """VictoriaMetrics import lines (one per series: all its values and timestamps, in ms),
    as chunks of bytes; yields (chunk, samples in it)."""
    ts_cache, values_cache = {}, {}
    for h in hosts:
        lines, count = [], 0
        state = steady(h, history_end, start, end)
        if state is not None:
            if h.offset not in ts_cache:
                ts = [t * 1000 for t in timestamps(h, start, end)]
                ts_cache[h.offset] = (",".join(map(str, ts)), len(ts))
            ts_text, n = ts_cache[h.offset]
            for name, labels, value in series.of(h, state):
                if value not in values_cache:
                    values_cache[value] = ",".join([value] * n)
                lines.append(f'{{"metric":{vm_metric(name, labels)},"values":['
                             f'{values_cache[value]}],"timestamps":[{ts_text}]}}\n')
                count += n
        else:
            for (name, labels), points in host_samples(series, h, history_end, start,
                                                       end).items():
                lines.append(f'{{"metric":{vm_metric(name, labels)},"values":['
                             f'{",".join(v for _, v in points)}],"timestamps":['
                             f'{",".join(str(t * 1000) for t, _ in points)}]}}\n')
                count += len(points)
        yield "".join(lines).encode(), count
