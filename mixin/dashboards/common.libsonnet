// What both dashboards share: the data source, the job and instance variables, the frame.
// grafanaDashboards holds them as Grafana provisions them (a ConfigMap for the sidecar, a
// provisioning folder); importable() turns one into the file that Dashboards > Import takes,
// which asks for its data source (dashboards/*.json are these).
local datasource = { type: 'prometheus', uid: '${datasource}' };

// A variable of the values of one label of the exporter's build_info series.
local labelVariable(name, label, selector) = {
  name: name,
  label: label,
  type: 'query',
  datasource: datasource,
  definition: 'label_values(taint_exporter_build_info{%s}, %s)' % [selector, name],
  query: {
    query: 'label_values(taint_exporter_build_info{%s}, %s)' % [selector, name],
    refId: 'PrometheusVariableQueryEditor-VariableQuery',
  },
  refresh: 2,
  sort: 1,
  // dashboard-linter's template-job-rule and template-instance-rule: several at once, or All.
  multi: true,
  includeAll: true,
  allValue: '.+',
  current: {},
  options: [],
  hide: 0,
  regex: '',
  skipUrlSync: false,
};

// Grafana's names of the panel plugins the dashboards use, for an import's __requires.
local panelNames = {
  bargauge: 'Bar gauge',
  stat: 'Stat',
  'state-timeline': 'State timeline',
  table: 'Table',
  timeseries: 'Time series',
};

{
  datasource: datasource,

  // A dashboard of @spec (uid, title, description, links, panels) with the mixin's frame.
  dashboard(config, spec):: {
    annotations: {
      list: [{
        builtIn: 1,
        datasource: { type: 'grafana', uid: '-- Grafana --' },
        enable: true,
        hide: true,
        iconColor: 'rgba(0, 211, 255, 1)',
        name: 'Annotations & Alerts',
        type: 'dashboard',
      }],
    },
    description: spec.description,
    editable: false,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: spec.links,
    panels: spec.panels,
    refresh: config.dashboardRefresh,
    schemaVersion: 39,
    tags: config.dashboardTags,
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: { selected: false, text: 'default', value: 'default' },
          hide: 0,
          includeAll: false,
          multi: false,
          options: [],
          refresh: 1,
          regex: '',
          skipUrlSync: false,
        },
        labelVariable('job', 'Job', config.taintExporterSelector),
        labelVariable('instance', 'Host', 'job=~"$job"'),
      ],
    },
    time: { from: 'now-24h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: spec.title,
    uid: spec.uid,
    version: 1,
    weekStart: '',
  },

  // @dashboard as a file for Dashboards > Import: Grafana asks for the Prometheus data
  // source (DS_PROMETHEUS) and checks that it has the panel plugins.
  importable(dashboard):: dashboard {
    __inputs: [{
      name: 'DS_PROMETHEUS',
      label: 'Prometheus',
      description: 'The Prometheus that scrapes taint_exporter and has its rules loaded',
      type: 'datasource',
      pluginId: 'prometheus',
      pluginName: 'Prometheus',
    }],
    __elements: {},
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
    ] + [
      { type: 'panel', id: type, name: panelNames[type], version: '' }
      for type in std.set([p.type for p in dashboard.panels])
    ],
    templating+: {
      list: [
        if v.name == 'datasource'
        then v { current: { selected: false, text: 'Prometheus', value: '${DS_PROMETHEUS}' } }
        else v
        for v in super.list
      ],
    },
  },
}
