// The host dashboard, dashboards/taint-host.json once rendered.
local common = import 'common.libsonnet';
local ds = common.datasource;

{
  grafanaDashboards+:: {
    local c = $._config,
    'taint-host.json': common.dashboard(c, {
      uid: c.dashboardUIDPrefix + 'host',
      title: 'Kernel taint / Host',
      description: "One host's kernel taint: the raw value, each flag over time, the tainted modules and the exporter's health (taint_exporter).",
      links: [
        {
          title: 'Fleet view',
          type: 'link',
          url: '/d/%sfleet/kernel-taint-fleet' % c.dashboardUIDPrefix,
          includeVars: false,
          keepTime: true,
        },
      ],
      panels: [
        {
          id: 1,
          type: 'stat',
          title: 'Raw taint value',
          description: 'The value of /proc/sys/kernel/tainted (0: not tainted).',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 0,
            w: 4,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_tainted{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              instant: true,
              range: false,
            },
          ],
          fieldConfig: {
            defaults: {
              decimals: 0,
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: 1,
                  },
                ],
              },
              color: {
                mode: 'thresholds',
              },
              unit: 'none',
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              calcs: [
                'lastNotNull',
              ],
              fields: '',
              values: false,
            },
            colorMode: 'value',
            graphMode: 'none',
            textMode: 'value',
          },
        },
        {
          id: 2,
          type: 'stat',
          title: 'Flags',
          description: 'The set flags in bit order, as the kernel prints them without blanks.',
          datasource: ds,
          gridPos: {
            x: 4,
            y: 0,
            w: 6,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_taint_info{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              legendFormat: '{{flags}}',
              instant: true,
              range: false,
            },
          ],
          options: {
            reduceOptions: {
              calcs: [
                'lastNotNull',
              ],
              fields: '',
              values: false,
            },
            colorMode: 'none',
            graphMode: 'none',
            textMode: 'name',
          },
          fieldConfig: {
            defaults: {
              unit: 'string',
            },
          },
        },
        {
          id: 3,
          type: 'stat',
          title: 'Bit layout',
          description: 'The vendor layout the exporter decodes the bits with (--kernel.vendor).',
          datasource: ds,
          gridPos: {
            x: 10,
            y: 0,
            w: 4,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_taint_layout_info{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              legendFormat: '{{layout}}',
              instant: true,
              range: false,
            },
          ],
          options: {
            reduceOptions: {
              calcs: [
                'lastNotNull',
              ],
              fields: '',
              values: false,
            },
            colorMode: 'none',
            graphMode: 'none',
            textMode: 'name',
          },
          fieldConfig: {
            defaults: {
              unit: 'string',
            },
          },
        },
        {
          id: 4,
          type: 'stat',
          title: 'Exporter',
          description: '1: the last scrape succeeded and the taint file was read.',
          datasource: ds,
          gridPos: {
            x: 14,
            y: 0,
            w: 10,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'up{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              legendFormat: 'target up',
              instant: true,
              range: false,
            },
            {
              datasource: ds,
              expr: 'taint_exporter_scrape_success{job=~"$job", instance=~"$instance"}',
              refId: 'B',
              editorMode: 'code',
              legendFormat: 'taint file read',
              instant: true,
              range: false,
            },
            {
              datasource: ds,
              expr: 'taint_exporter_module_read_errors{job=~"$job", instance=~"$instance"}',
              refId: 'C',
              editorMode: 'code',
              legendFormat: 'module read errors',
              instant: true,
              range: false,
            },
            {
              datasource: ds,
              expr: 'taint_exporter_modules_omitted{job=~"$job", instance=~"$instance"}',
              refId: 'D',
              editorMode: 'code',
              legendFormat: 'modules omitted',
              instant: true,
              range: false,
            },
          ],
          options: {
            reduceOptions: {
              calcs: [
                'lastNotNull',
              ],
              fields: '',
              values: false,
            },
            colorMode: 'value',
            graphMode: 'none',
            textMode: 'value_and_name',
          },
          fieldConfig: {
            defaults: {
              unit: 'short',
            },
          },
        },
        {
          id: 5,
          type: 'state-timeline',
          title: 'Flags over time',
          description: 'Each taint flag of the layout, set (1) or not (0); unknown bits show as ?.',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 4,
            w: 24,
            h: 10,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_taint_flag{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              legendFormat: '{{flag}} {{flag_name}}',
              range: true,
            },
          ],
          fieldConfig: {
            defaults: {
              color: {
                mode: 'thresholds',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'transparent',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: 1,
                  },
                ],
              },
              mappings: [
                {
                  type: 'value',
                  options: {
                    '0': {
                      text: 'clear',
                    },
                    '1': {
                      text: 'set',
                    },
                  },
                },
              ],
              unit: 'bool',
            },
            overrides: [],
          },
          options: {
            showValue: 'never',
            mergeValues: true,
            rowHeight: 0.8,
          },
        },
        {
          id: 6,
          type: 'table',
          title: 'Modules tainting the kernel',
          description: "Each loaded module of this host that carries a taint letter, with the letter's severity.",
          datasource: ds,
          gridPos: {
            x: 0,
            y: 14,
            w: 12,
            h: 8,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_module_taint_flag{job=~"$job", instance=~"$instance"} * on (flag) group_left (severity) kernel_taint:flag_severity',
              refId: 'A',
              editorMode: 'code',
              instant: true,
              range: false,
              format: 'table',
            },
          ],
          transformations: [
            {
              id: 'organize',
              options: {
                excludeByName: {
                  Time: true,
                  Value: true,
                  job: true,
                  instance: true,
                },
                indexByName: {
                  module: 0,
                  flag: 1,
                  flag_name: 2,
                  bit: 3,
                  severity: 4,
                },
              },
            },
          ],
          options: {
            showHeader: true,
            sortBy: [
              {
                displayName: 'module',
                desc: false,
              },
            ],
          },
          fieldConfig: {
            defaults: {
              unit: 'short',
            },
          },
        },
        {
          id: 7,
          type: 'timeseries',
          title: 'Exporter health',
          description: 'Whether Prometheus reached the exporter and whether it could read the taint file, and module read errors.',
          datasource: ds,
          gridPos: {
            x: 12,
            y: 14,
            w: 12,
            h: 8,
          },
          targets: [
            {
              datasource: ds,
              expr: 'up{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              legendFormat: 'target up',
              range: true,
            },
            {
              datasource: ds,
              expr: 'taint_exporter_scrape_success{job=~"$job", instance=~"$instance"}',
              refId: 'B',
              editorMode: 'code',
              legendFormat: 'taint file read',
              range: true,
            },
            {
              datasource: ds,
              expr: 'taint_exporter_module_read_errors{job=~"$job", instance=~"$instance"}',
              refId: 'C',
              editorMode: 'code',
              legendFormat: 'module read errors',
              range: true,
            },
          ],
          fieldConfig: {
            defaults: {
              min: 0,
              decimals: 0,
              unit: 'short',
            },
            overrides: [],
          },
        },
        {
          id: 8,
          type: 'table',
          title: 'Exporter build',
          description: 'Version of taint_exporter on this host.',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 22,
            w: 24,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'taint_exporter_build_info{job=~"$job", instance=~"$instance"}',
              refId: 'A',
              editorMode: 'code',
              instant: true,
              range: false,
              format: 'table',
            },
          ],
          transformations: [
            {
              id: 'organize',
              options: {
                excludeByName: {
                  Time: true,
                  Value: true,
                  __name__: true,
                },
              },
            },
          ],
          options: {
            showHeader: true,
          },
          fieldConfig: {
            defaults: {
              unit: 'string',
            },
          },
        },
      ],
    }),
  },
}
