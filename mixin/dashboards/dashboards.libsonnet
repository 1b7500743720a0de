(import 'fleet.libsonnet') + (import 'host.libsonnet')
