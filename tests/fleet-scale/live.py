"""The live part of the fleet: real taint_exporter processes, one per host 0 to LIVE-1, each
on 127.0.0.1:0 with its own procfs and sysfs tree in its host's state, scraped by the engine
like the simulated targets. A host of theirs that picks up a new flag gets it in its files
while the engine scrapes it (pick_up_flags()), so that the alerts are proved on the real
exporter's path too."""
import os
import subprocess

import fleet_model


class LiveFleet:
    def __init__(self, exporter, hosts, work):
        self.hosts = [h for h in hosts if h.live]
        self.work = work
        self.procs, self.ports = [], {}
        for h in self.hosts:
            fleet_model.write_tree(self.root(h), h.before)
        for h in self.hosts:
            root = self.root(h)
            with open(root + ".log", "w") as log:
                self.procs.append(subprocess.Popen(
                    [exporter, "--web.listen-address=127.0.0.1:0", f"--path.procfs={root}/proc",
                     f"--path.sysfs={root}/sys"], stderr=log))
        for h, p in zip(self.hosts, self.procs):
            self.ports[h.name] = fleet_model.listening_port(p, self.root(h) + ".log")

    def root(self, h):
        return os.path.join(self.work, "live", h.name)

    def reset(self):
        """Every host back in its first state, for the next engine's run."""
        for h in self.hosts:
            fleet_model.write_tree(self.root(h), h.before)

    def pick_up_flags(self):
        changed = [h for h in self.hosts if h.picks_up_flag]
        for h in changed:
            fleet_model.write_tree(self.root(h), h.after)
        return changed

    def targets(self):
        """file_sd target groups: each exporter, labelled with its host's name."""
        return [{"targets": [f"127.0.0.1:{self.ports[h.name]}"], "labels": {"instance": h.name}}
                for h in self.hosts]

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait()
