// The fleet dashboard, dashboards/taint-fleet.json once rendered.
local common = import 'common.libsonnet';
local ds = common.datasource;

{
  grafanaDashboards+:: {
    local c = $._config,
    'taint-fleet.json': common.dashboard(c, {
      uid: c.dashboardUIDPrefix + 'fleet',
      title: 'Kernel taint / Fleet',
      description: 'Which kernels in the fleet are tainted, by flag and severity, and which modules are responsible (taint_exporter).',
      links: [
        {
          title: 'Host view',
          type: 'link',
          url: '/d/%shost/kernel-taint-host' % c.dashboardUIDPrefix,
          includeVars: true,
          keepTime: true,
        },
      ],
      panels: [
        {
          id: 1,
          type: 'stat',
          title: 'Hosts reporting',
          description: 'Targets whose exporter answered the last scrape.',
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
              expr: 'count(up{job=~"$job", instance=~"$instance"} == 1) or vector(0)',
              refId: 'A',
              editorMode: 'code',
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
            textMode: 'auto',
          },
          fieldConfig: {
            defaults: {
              unit: 'short',
            },
          },
        },
        {
          id: 2,
          type: 'stat',
          title: 'Tainted hosts',
          description: 'Hosts whose kernel taint value is not 0.',
          datasource: ds,
          gridPos: {
            x: 4,
            y: 0,
            w: 4,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'count(kernel_tainted{job=~"$job", instance=~"$instance"} > 0) or vector(0)',
              refId: 'A',
              editorMode: 'code',
              instant: true,
              range: false,
            },
          ],
          fieldConfig: {
            defaults: {
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
              unit: 'short',
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
            textMode: 'auto',
          },
        },
        {
          id: 3,
          type: 'stat',
          title: 'Hosts not reporting taint',
          description: 'Targets down, or exporters that cannot read the taint file (see dashboards/RUNBOOK.md).',
          datasource: ds,
          gridPos: {
            x: 8,
            y: 0,
            w: 4,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'count(up{job=~"$job", instance=~"$instance"} == 0 or taint_exporter_scrape_success{job=~"$job", instance=~"$instance"} == 0) or vector(0)',
              refId: 'A',
              editorMode: 'code',
              instant: true,
              range: false,
            },
          ],
          fieldConfig: {
            defaults: {
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'red',
                    value: 1,
                  },
                ],
              },
              color: {
                mode: 'thresholds',
              },
              unit: 'short',
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
            textMode: 'auto',
          },
        },
        {
          id: 4,
          type: 'bargauge',
          title: 'Tainted hosts by severity',
          description: 'Hosts with at least one set flag of each severity class (the severity table is the kernel_taint:flag_severity recording rules).',
          datasource: ds,
          gridPos: {
            x: 12,
            y: 0,
            w: 12,
            h: 4,
          },
          targets: [
            {
              datasource: ds,
              expr: 'count by (severity) (max by (job, instance, severity) (kernel_taint:flag_set{job=~"$job", instance=~"$instance"} * on (flag) group_left (severity) kernel_taint:flag_severity))',
              refId: 'A',
              editorMode: 'code',
              legendFormat: '{{severity}}',
              instant: true,
              range: false,
            },
          ],
          fieldConfig: {
            defaults: {
              min: 0,
              color: {
                mode: 'fixed',
                fixedColor: 'blue',
              },
              unit: 'short',
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'critical',
                },
                properties: [
                  {
                    id: 'color',
                    value: {
                      mode: 'fixed',
                      fixedColor: 'red',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'warning',
                },
                properties: [
                  {
                    id: 'color',
                    value: {
                      mode: 'fixed',
                      fixedColor: 'orange',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'info',
                },
                properties: [
                  {
                    id: 'color',
                    value: {
                      mode: 'fixed',
                      fixedColor: 'blue',
                    },
                  },
                ],
              },
            ],
          },
          options: {
            orientation: 'vertical',
            displayMode: 'basic',
            showUnfilled: true,
            reduceOptions: {
              calcs: [
                'lastNotNull',
              ],
              fields: '',
              values: false,
            },
          },
        },
        {
          id: 5,
          type: 'bargauge',
          title: 'Tainted hosts by flag',
          description: 'How many hosts have each taint flag set.',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 4,
            w: 24,
            h: 6,
          },
          targets: [
            {
              datasource: ds,
              expr: 'count by (flag, flag_name) (kernel_taint:flag_set{job=~"$job", instance=~"$instance"})',
              refId: 'A',
              editorMode: 'code',
              legendFormat: '{{flag}} {{flag_name}}',
              instant: true,
              range: false,
            },
          ],
          fieldConfig: {
            defaults: {
              min: 0,
              color: {
                mode: 'fixed',
                fixedColor: 'orange',
              },
              unit: 'short',
            },
            overrides: [],
          },
          options: {
            orientation: 'vertical',
            displayMode: 'basic',
            showUnfilled: true,
            reduceOptions: {
              calcs: [
                'lastNotNull',
              ],
              fields: '',
              values: false,
            },
          },
        },
        {
          id: 6,
          type: 'table',
          title: 'Tainted hosts',
          description: 'Each tainted host with its flags (in bit order, as the kernel prints them without blanks), its bit layout, the raw value and how many of its modules carry a taint. Click a host for the host view.',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 10,
            w: 12,
            h: 10,
          },
          targets: [
            {
              datasource: ds,
              expr: 'max by (job, instance, flags) (kernel_taint_info{job=~"$job", instance=~"$instance", flags!=""})',
              refId: 'A',
              editorMode: 'code',
              instant: true,
              range: false,
              format: 'table',
            },
            {
              datasource: ds,
              expr: 'max by (job, instance, layout) (kernel_taint_layout_info{job=~"$job", instance=~"$instance"}) * on (job, instance) group_left () (kernel_tainted{job=~"$job", instance=~"$instance"} > 0)',
              refId: 'B',
              editorMode: 'code',
              instant: true,
              range: false,
              format: 'table',
            },
            {
              datasource: ds,
              expr: 'count by (job, instance) (count by (job, instance, module) (kernel_module_taint_flag{job=~"$job", instance=~"$instance"}))',
              refId: 'C',
              editorMode: 'code',
              instant: true,
              range: false,
              format: 'table',
            },
          ],
          transformations: [
            {
              id: 'merge',
              options: {},
            },
            {
              id: 'organize',
              options: {
                excludeByName: {
                  Time: true,
                  'Value #A': true,
                },
                renameByName: {
                  'Value #B': 'raw value',
                  'Value #C': 'tainted modules',
                },
                indexByName: {
                  instance: 0,
                  flags: 1,
                  layout: 2,
                  'Value #B': 3,
                  'Value #C': 4,
                  job: 5,
                },
              },
            },
          ],
          fieldConfig: {
            defaults: {
              unit: 'short',
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'instance',
                },
                properties: [
                  {
                    id: 'links',
                    value: [
                      {
                        title: 'Host view',
                        url: '/d/%shost/kernel-taint-host?${datasource:queryparam}&var-job=${__data.fields.job}&var-instance=${__data.fields.instance}' % c.dashboardUIDPrefix,
                      },
                    ],
                  },
                ],
              },
            ],
          },
          options: {
            showHeader: true,
            sortBy: [
              {
                displayName: 'instance',
                desc: false,
              },
            ],
          },
        },
        {
          id: 7,
          type: 'table',
          title: 'Unexpected module taint',
          description: 'Each loaded module that carries a taint letter (/proc/modules, /sys/module/*/taint), on each host, except the modules and letters the rules expect (kernel_taint:module_flag_expected: edit it in taint_exporter.rules.yml).',
          datasource: ds,
          gridPos: {
            x: 12,
            y: 10,
            w: 12,
            h: 10,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_module_taint_flag{job=~"$job", instance=~"$instance"} unless on (job, instance, module, flag) kernel_taint:module_flag_expected{job=~"$job", instance=~"$instance"}',
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
                indexByName: {
                  instance: 0,
                  module: 1,
                  flag: 2,
                  flag_name: 3,
                  bit: 4,
                  job: 5,
                },
              },
            },
          ],
          fieldConfig: {
            defaults: {
              unit: 'short',
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'instance',
                },
                properties: [
                  {
                    id: 'links',
                    value: [
                      {
                        title: 'Host view',
                        url: '/d/%shost/kernel-taint-host?${datasource:queryparam}&var-job=${__data.fields.job}&var-instance=${__data.fields.instance}' % c.dashboardUIDPrefix,
                      },
                    ],
                  },
                ],
              },
            ],
          },
          options: {
            showHeader: true,
            sortBy: [
              {
                displayName: 'instance',
                desc: false,
              },
            ],
          },
        },
        {
          id: 8,
          type: 'timeseries',
          title: 'New taints',
          description: 'Flags and module taints that appeared in the last 30 minutes, as the alerts KernelTaintNewFlag and KernelModuleNewTaint see them (needs dashboards/taint_exporter.rules.yml loaded).',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 20,
            w: 12,
            h: 8,
          },
          targets: [
            {
              datasource: ds,
              expr: 'count by (flag, severity) (ALERTS{alertname="KernelTaintNewFlag", alertstate="firing", job=~"$job", instance=~"$instance"})',
              refId: 'A',
              editorMode: 'code',
              legendFormat: 'flag {{flag}} ({{severity}})',
              range: true,
            },
            {
              datasource: ds,
              expr: 'count by (module, flag) (ALERTS{alertname="KernelModuleNewTaint", alertstate="firing", job=~"$job", instance=~"$instance"})',
              refId: 'B',
              editorMode: 'code',
              legendFormat: 'module {{module}} {{flag}}',
              range: true,
            },
          ],
          fieldConfig: {
            defaults: {
              custom: {
                drawStyle: 'bars',
                fillOpacity: 60,
                stacking: {
                  mode: 'normal',
                  group: 'A',
                },
              },
              min: 0,
              decimals: 0,
              unit: 'short',
            },
            overrides: [],
          },
        },
        {
          id: 9,
          type: 'timeseries',
          title: 'Tainted hosts over time',
          description: 'Hosts whose kernel taint value is not 0.',
          datasource: ds,
          gridPos: {
            x: 12,
            y: 20,
            w: 12,
            h: 8,
          },
          targets: [
            {
              datasource: ds,
              expr: 'count(kernel_tainted{job=~"$job", instance=~"$instance"} > 0)',
              refId: 'A',
              editorMode: 'code',
              legendFormat: 'tainted hosts',
              range: true,
            },
            {
              datasource: ds,
              expr: 'count(kernel_tainted{job=~"$job", instance=~"$instance"})',
              refId: 'B',
              editorMode: 'code',
              legendFormat: 'hosts reporting',
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
          id: 10,
          type: 'table',
          title: 'Expected module taint',
          description: 'The module taint this fleet expects and has (kernel_taint:module_flag_expected, the rule to edit in taint_exporter.rules.yml): it raises no new-taint alert.',
          datasource: ds,
          gridPos: {
            x: 0,
            y: 28,
            w: 24,
            h: 8,
          },
          targets: [
            {
              datasource: ds,
              expr: 'kernel_taint:module_flag_expected{job=~"$job", instance=~"$instance"}',
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
                indexByName: {
                  instance: 0,
                  module: 1,
                  flag: 2,
                  flag_name: 3,
                  bit: 4,
                  job: 5,
                },
              },
            },
          ],
          fieldConfig: {
            defaults: {
              unit: 'short',
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'instance',
                },
                properties: [
                  {
                    id: 'links',
                    value: [
                      {
                        title: 'Host view',
                        url: '/d/%shost/kernel-taint-host?${datasource:queryparam}&var-job=${__data.fields.job}&var-instance=${__data.fields.instance}' % c.dashboardUIDPrefix,
                      },
                    ],
                  },
                ],
              },
            ],
          },
          options: {
            showHeader: true,
            sortBy: [
              {
                displayName: 'instance',
                desc: false,
              },
            ],
          },
        },
      ],
    }),
  },
}
