// The alerts, and the recording rules they read, as one group: rules of a group run in order
// at the same timestamp, so the alerts always see the severity table and the expected taint of
// the same evaluation. Hence everything is in prometheusAlerts (kube-prometheus and mixtool
// take prometheusRules as optional).
//
// Why "new" is computed the way it is: taint bits are only ever set, never cleared, until
// reboot, so "kernel_taint_flag == 1" alone would fire for ever on a host tainted since boot.
// A flag is new when it is set now and was not at some evaluation of this group in the last
// 30m at which its host was read: fewer samples of kernel_taint:flag_set (the set flags,
// recorded each evaluation) than of kernel_taint:scrape_success (the host read, recorded at the
// same evaluations) in the window. Both are recorded from the same scrapes at the same times,
// so an exporter or target that flaps, restarts or cannot read the taint file leaves the same
// gaps in both and is not a new taint; a host that appears already tainted (first scrape after
// boot or after the exporter is installed) has as many of one as of the other and is not
// either; so has every host when the rules are first loaded. An unknown bit (flag="?") is new
// the same way. The alert fires once: for the 30m while the window still holds the old
// state, then resolves.
//
// Cost at fleet scale: every flag series (20 per host) is read once per evaluation, by
// kernel_taint:flag_set, the least any rule that looks at every flag can do. The rest reads
// per-host series or sparse ones: the set flags, the tainting modules. The rules up to c5b576c
// compared the raw flag series over 30m, and took 3.4 to 4.1 times that at 10,000 hosts
// (docs/alerting.md, "At fleet scale").
//
// Modules: kernel_module_taint_flag exists only while a module carries a letter (sparse), so a
// module is newly tainting when its series has fewer samples than the host has scrapes that
// read the whole module list in the window (kernel_taint:module_list_success:sum30m, read
// once for both module alerts): a scrape that could not read the list (out of file
// descriptors, say) has no module series, and must not make every module look new when the
// list can be read again.
local runbook(config, section) = config.runbookURLPattern % section;

// An annotation written as a text block, without the block's final newline.
local text(block) = std.rstripChars(block, '\n');

// A PromQL regex alternative for each letter: '?' (a bit no layout knows) is literal.
local letterRegex(letters) =
  std.join('|', [if l == '?' then '[?]' else l for l in letters]);

{
  prometheusAlerts+:: {
    local c = $._config,
    local sel = c.taintExporterSelector,
    groups+: [{
      name: 'taint_exporter',
      rules: [
        // The one selection of every flag series: the set flags, one series per set flag per
        // host, which everything after reads.
        {
          record: 'kernel_taint:flag_set',
          expr: |||
            kernel_taint_flag{%s} == 1
          ||| % sel,
        },
        // The hosts read at this evaluation, one series per host: what a flag's samples are
        // counted against.
        {
          record: 'kernel_taint:scrape_success',
          expr: |||
            taint_exporter_scrape_success{%s} == 1
          ||| % sel,
        },
      ] + [
        // The severity table: one recording rule per class, each matching its letters. The
        // result is one series per letter set in the fleet, e.g.
        // kernel_taint:flag_severity{flag="M",severity="critical"} 1, which the alerts and
        // the dashboards join on the flag label. It reads the set flags and the tainting
        // modules, both sparse.
        {
          record: 'kernel_taint:flag_severity',
          expr: |||
            group by (flag) (
                {__name__=~"kernel_taint:flag_set|kernel_module_taint_flag", %(sel)s, flag=~"%(letters)s"}%(unknown)s
            )
          ||| % {
            sel: sel,
            letters: letterRegex(c.severityClasses[severity]),
            unknown: if severity == c.unknownModuleLetterSeverity then
              '\n  or\n    kernel_module_taint_flag{%s, bit="?"}' % sel
            else '',
          },
          labels: { severity: severity },
        }
        for severity in std.objectFields(c.severityClasses)
      ] + [
        // Expected taint (_config.expectedModules and expectedFlags): one series per module
        // and letter expected and present on a host, which the new-taint alerts and the fleet
        // dashboard use. To expect a module on some hosts only, add a matcher to the
        // selector, e.g. instance=~"gpu-.*".
        {
          record: 'kernel_taint:module_flag_expected',
          expr: |||
            kernel_module_taint_flag{%s, module=~"%s", flag=~"%s"} == 1
          ||| % [sel, c.expectedModules, c.expectedFlags],
        },
        // How many scrapes of each host read its whole module list in the last 30m, for the
        // hosts with a tainting module or an unattributed flag, the only ones the two module
        // alerts can match: one reading of the per-host series for both, and a sparse result.
        {
          record: 'kernel_taint:module_list_success:sum30m',
          expr: |||
            sum_over_time(taint_exporter_module_list_success{%(sel)s}[30m])
            and on (job, instance)
            (kernel_module_taint_flag{%(sel)s} or kernel_taint_flag_unattributed{%(sel)s})
          ||| % { sel: sel },
        },
        {
          alert: 'KernelTaintNewFlag',
          expr: |||
            (
                kernel_taint:flag_set{%(sel)s}
              and
                  count_over_time(kernel_taint:flag_set{%(sel)s}[30m])
                < on (job, instance) group_left ()
                  count_over_time(kernel_taint:scrape_success{%(sel)s}[30m])
              # not when expected modules carry the flag and no other module does
              unless on (job, instance, flag)
                (
                    kernel_taint:module_flag_expected
                  unless on (job, instance, flag)
                    (kernel_module_taint_flag{%(sel)s} unless on (job, instance, module, flag) kernel_taint:module_flag_expected)
                )
            )
            * on (flag) group_left (severity) kernel_taint:flag_severity
          ||| % { sel: sel },
          // A minute's grace, for engines that make new series searchable late:
          // victoria-metrics 1.79 showed a module's new series 7 to 11 s after its first
          // scrape, and the expected taint recorded from it later still, so that without it an
          // expected module's load fired on vmalert (its P, O and E flags flipped at once, its
          // exclusion not yet there). Taint stays set until reboot: the alert is only a minute
          // later, never lost.
          'for': '1m',
          annotations: {
            summary: '{{ $labels.instance }}: kernel newly tainted with {{ $labels.flag }} ({{ $labels.flag_name }})',
            description: text(|||
              The kernel of {{ $labels.instance }} (job {{ $labels.job }}) has set taint flag {{ $labels.flag }}, bit {{ $labels.bit }} ({{ $labels.flag_name }}), in the last 30 minutes; it stays set until the next reboot. Severity {{ $labels.severity }}.
            |||),
            runbook_url: runbook(c, '{{ $labels.severity }}-taint-flags'),
          },
        },
        {
          alert: 'KernelModuleNewTaint',
          expr: |||
            (
                (
                    count_over_time(kernel_module_taint_flag{%(sel)s}[30m])
                  < on (job, instance) group_left ()
                    kernel_taint:module_list_success:sum30m
                )
              and
                kernel_module_taint_flag{%(sel)s} == 1
              unless on (job, instance, module, flag)
                kernel_taint:module_flag_expected
            )
            * on (flag) group_left (severity) kernel_taint:flag_severity
          ||| % { sel: sel },
          // The same grace as KernelTaintNewFlag's, for the same reason.
          'for': '1m',
          annotations: {
            summary: '{{ $labels.instance }}: module {{ $labels.module }} newly taints the kernel with {{ $labels.flag }} ({{ $labels.flag_name }})',
            description: text(|||
              Module {{ $labels.module }} on {{ $labels.instance }} (job {{ $labels.job }}) carries taint flag {{ $labels.flag }} ({{ $labels.flag_name }}) and did not in the last 30 minutes: it was loaded, or reloaded, recently. Severity {{ $labels.severity }}.
            |||),
            runbook_url: runbook(c, 'kernelmodulenewtaint'),
          },
        },
        // A module flag that no loaded module carries, newly: it is 1 now and some scrape
        // that read the whole module list in the last 30m saw it 0 (a module carried it) or
        // not at all (the flag was clear). kernel_taint_flag_unattributed exists only for set
        // module flags and only when the module list was read whole, so it is counted against
        // taint_exporter_module_list_success, as the module alert is.
        {
          alert: 'KernelTaintUnattributedFlag',
          expr: |||
            (
                kernel_taint_flag_unattributed{%(sel)s} == 1
              and
                  sum_over_time(kernel_taint_flag_unattributed{%(sel)s}[30m])
                < on (job, instance) group_left ()
                  kernel_taint:module_list_success:sum30m
            )
          ||| % { sel: sel },
          // The same grace as KernelTaintNewFlag's: without it, vmalert fired this for hosts
          // unattributed since their first scrape, in the moments when victoria-metrics had
          // the module list's latest sample searchable and not yet this series' (the fleet
          // rehearsal, 2026-12-04).
          'for': '1m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.instance }}: taint flag {{ $labels.flag }} ({{ $labels.flag_name }}) is set but no loaded module carries it',
            description: text(|||
              The kernel of {{ $labels.instance }} (job {{ $labels.job }}) shows taint flag {{ $labels.flag }}, bit {{ $labels.bit }} ({{ $labels.flag_name }}), that modules carry, and no module loaded now carries it: the module that set it was unloaded, or is hidden from /proc/modules and /sys/module.
            |||),
            runbook_url: runbook(c, 'kerneltaintunattributedflag'),
          },
        },
        {
          alert: 'TaintExporterCannotReadTaint',
          expr: 'taint_exporter_scrape_success{%s} == 0\n' % sel,
          'for': '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.instance }}: taint_exporter cannot read the kernel taint file',
            description: text(|||
              taint_exporter on {{ $labels.instance }} (job {{ $labels.job }}) has not been able to read or parse <procfs>/sys/kernel/tainted for 5 minutes, so the taint state of this host is unknown. Its log names the path and the reason.
            |||),
            runbook_url: runbook(c, 'taintexportercannotreadtaint'),
          },
        },
        {
          alert: 'TaintExporterCannotReadModules',
          expr: 'taint_exporter_module_list_success{%s} == 0\n' % sel,
          'for': '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.instance }}: taint_exporter cannot read the module list',
            description: text(|||
              taint_exporter on {{ $labels.instance }} (job {{ $labels.job }}) has not been able to read the whole list of loaded modules for 5 minutes, so modules that taint the kernel may go unreported. Its log names the path and the reason.
            |||),
            runbook_url: runbook(c, 'taintexportercannotreadmodules'),
          },
        },
        {
          alert: 'TaintExporterDown',
          expr: 'up{%s} == 0\n' % sel,
          'for': '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.instance }}: taint_exporter target is down',
            description: text(|||
              Prometheus has failed to scrape taint_exporter on {{ $labels.instance }} (job {{ $labels.job }}) for 5 minutes, so new taints on this host go unnoticed.
            |||),
            runbook_url: runbook(c, 'taintexporterdown'),
          },
        },
      ],
    }],
  },
}
