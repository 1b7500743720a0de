// What a user of the mixin sets. Import mixin.libsonnet and override _config, as
// kube-prometheus does:
//   (import 'taint_exporter/mixin/mixin.libsonnet') + {
//     _config+:: { taintExporterSelector: 'job="node-taint"', expectedModules: 'nvidia|zfs' },
//   }
// docs/alerting.md says what each setting changes; tests/dashboards/mixin_override.jsonnet
// overrides every one of them and checks that each reaches every rule and panel.
{
  _config+:: {
    // The selector of taint_exporter's scrape job, in every alert and recording rule and in
    // the dashboards' job variable. It must match what the install names the job: the
    // shipped scrape config, ServiceMonitor and DaemonSet all name it taint_exporter.
    taintExporterSelector: 'job="taint_exporter"',

    // Expected taint: what this fleet expects modules to carry, e.g. modules 'nvidia|zfs',
    // flags 'P|O|E'. An expected module's new taint raises nothing, and a host flag that
    // only expected modules carry is not new taint either. Empty: nothing is expected.
    expectedModules: '',
    expectedFlags: '',

    // The severity of each taint letter, for the alerts' severity label and the dashboards.
    // Every letter of every layout the exporter knows must be in exactly one class
    // (tests/dashboards/check_severity_table.py checks the rendered rules against the
    // exporter's tables). Letters are case-sensitive: RHEL's h, t, u and SUSE's n are not H,
    // T, U, N. '?' is a bit the exporter's layout does not know.
    severityClasses: {
      // Hardware faults and kernel death.
      critical: ['M', 'B', 'D'],
      // Warnings, soft lockups, forced module loads and unloads, out-of-spec CPU, overridden
      // ACPI tables, taint written by user space.
      warning: ['W', 'L', 'F', 'R', 'S', 'A', 'U'],
      // Module provenance, expected distribution taints, vendor bits, unknown bits.
      info: ['P', 'O', 'E', 'C', 'K', 'X', 'T', 'N', 'I', 'J', 'H', 'Z', 'h', 'r', 'p', 't', 'u', 'n', '?'],
    },
    // The class of a module's letter that the exporter's layout does not know (its series has
    // bit="?" and keeps the letter in flag), so that no new module taint is dropped.
    unknownModuleLetterSeverity: 'info',

    // Each alert's runbook_url: the pattern with %s replaced by the alert's section of
    // dashboards/RUNBOOK.md. The project has no public address, so the default is that file's
    // path in this repository: set it to where you host the runbook, e.g.
    // 'https://wiki.example.com/taint_exporter/RUNBOOK.md#%s'.
    runbookURLPattern: 'dashboards/RUNBOOK.md#%s',


    // Dashboards: their tags, the prefix of their uids (and so of the links between them),
    // and how often they refresh.
    dashboardTags: ['taint_exporter', 'kernel'],
    dashboardUIDPrefix: 'taint-exporter-',
    dashboardRefresh: '1m',
  },
}
