// The files the project ships, rendered from the mixin (mixin/render writes them, and
// tests/dashboards/mixin_render.sh fails when a committed one differs from a fresh render).
local common = import 'dashboards/common.libsonnet';
local mixin = import 'mixin.libsonnet';

local header(lines) = std.join('', ['# %s\n' % l for l in lines]);
local generated = [
  'Generated from mixin/ by mixin/render: change mixin/config.libsonnet, or override _config',
  'from your own jsonnet (docs/alerting.md), and render again.',
];
// Every expression is a block scalar, so that PromQL's quotes are not escaped.
local yaml(value) = std.manifestYamlDoc(value, indent_array_in_object=true, quote_keys=false);

// Kubernetes objects of the kustomize base in packaging/kubernetes/base/.
local metadata(name, labels={}) = {
  name: name,
  namespace: 'monitoring',
  labels: { 'app.kubernetes.io/name': 'taint-exporter' } + labels,
};

{
  'dashboards/taint_exporter.rules.yml':
    header(['Prometheus alerting rules for taint_exporter. Load with rule_files: in prometheus.yml;'] +
           ['dashboards/RUNBOOK.md says what each alert means. The expected-taint regexes may be'] +
           ['edited here (docs/alerting.md, "Expected taint").'] + generated) +
    yaml(mixin.prometheusAlerts),

  'dashboards/taint-fleet.json':
    std.manifestJsonEx(common.importable(mixin.grafanaDashboards['taint-fleet.json']), '  ') + '\n',
  'dashboards/taint-host.json':
    std.manifestJsonEx(common.importable(mixin.grafanaDashboards['taint-host.json']), '  ') + '\n',

  'packaging/kubernetes/base/prometheusrule.yaml':
    header([
      'The alerts for prometheus-operator. Its Prometheus must select this object: kube-prometheus',
      'selects every PrometheusRule of its namespaces; kube-prometheus-stack only those labelled',
      'release: <its release name>, which an overlay adds.',
    ] + generated) +
    yaml({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: metadata('taint-exporter'),
      spec: mixin.prometheusAlerts,
    }),

  'packaging/kubernetes/base/grafana-dashboards.yaml':
    header([
      "The dashboards as ConfigMaps for Grafana's dashboard sidecar, which looks for the label",
      'grafana_dashboard: "1" in its own namespace (or in all, with searchNamespace: ALL).',
    ] + generated) +
    std.manifestYamlStream([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('taint-exporter-dashboard-' + std.strReplace(std.strReplace(name, 'taint-', ''), '.json', ''),
                           { grafana_dashboard: '1' }),
        data: { [name]: std.manifestJsonEx(mixin.grafanaDashboards[name], '  ') + '\n' },
      }
      for name in std.objectFields(mixin.grafanaDashboards)
    ], indent_array_in_object=true, c_document_end=false, quote_keys=false),
}
