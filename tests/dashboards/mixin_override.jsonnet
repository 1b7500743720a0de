// The mixin as kube-prometheus consumes it: imported by a parent that overrides every setting
// of _config. tests/dashboards/check_mixin_override.py checks that each override reaches every
// rule and panel.
local mixin = (import '../../mixin/mixin.libsonnet') + {
  _config+:: {
    taintExporterSelector: 'job="node-taint", cluster="eu-1"',
    expectedModules: 'nvidia|zfs',
    expectedFlags: 'P|O|E',
    severityClasses+: {
      critical: ['M', 'B', 'D', 'W'],
      warning: ['L', 'F', 'R', 'S', 'A', 'U'],
    },
    unknownModuleLetterSeverity: 'warning',
    runbookURLPattern: 'https://runbooks.example.com/taint/%s',
    dashboardTags: ['fleet-kernel'],
    dashboardUIDPrefix: 'k-taint-',
    dashboardRefresh: '5m',
  },
};
{
  rules: mixin.prometheusAlerts,
  dashboards: mixin.grafanaDashboards,
}
