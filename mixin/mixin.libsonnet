// taint_exporter's monitoring mixin: prometheusAlerts (the alerts and the recording rules they
// read) and grafanaDashboards, configured by _config (config.libsonnet). mixin/render writes
// the files the project ships from it; docs/alerting.md says how to use it.
(import 'config.libsonnet') +
(import 'alerts/alerts.libsonnet') +
(import 'dashboards/dashboards.libsonnet')
