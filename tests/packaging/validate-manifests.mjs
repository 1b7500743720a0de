// Validates every document of a kustomize build (kubectl kustomize's output) against the
// Kubernetes and prometheus-operator schemas (kubernetes-models' validate(): types, formats
// such as quantities and durations, required fields, enums), then checks what the schemas
// cannot: the security settings, probes and tolerations the docs promise (for the kmsg
// overlay, exactly the grants it documents and no more), that the Service and the
// ServiceMonitor select what the DaemonSet runs, that the PrometheusRule has the alerts and the
// dashboard ConfigMaps carry the sidecar's label and dashboards. The schemas do not reject
// unknown fields (the API server's strict field validation would), so a misspelt field is
// caught only by the explicit checks that read it.
// Usage: node validate-manifests.mjs base|kmsg FILE
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Service } from "kubernetes-models/v1/Service";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";

const models = { DaemonSet, Service, ConfigMap, ServiceMonitor, PodMonitor, PrometheusRule };
const [profile, file] = process.argv.slice(2);
if (!["base", "kmsg"].includes(profile) || !file) {
  console.error("usage: validate-manifests.mjs base|kmsg FILE");
  process.exit(2);
}
const failures = [];
const fail = (where, msg) => failures.push(`${where}: ${msg}`);

// The validator must reject a manifest that is wrong: a test that cannot fail proves nothing.
try {
  new DaemonSet({
    metadata: { name: "broken" },
    spec: { selector: {}, template: { spec: { containers: [{ name: "c", resources: { limits: { memory: "lots" } } }] } } },
  }).validate();
  fail("self-check", "a DaemonSet with memory limit \"lots\" passed validation");
} catch {
  // expected
}

const docs = [];
{
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      fail(file, `YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    const where = `${file} ${obj.kind}/${obj.metadata?.name}`;
    const Model = models[obj.kind];
    if (!Model || Model.apiVersion !== obj.apiVersion) {
      fail(where, `no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`valid: ${where} (${obj.apiVersion})`);
    } catch (e) {
      fail(where, `schema: ${e.message}`);
    }
    docs.push({ where, obj });
  }
}

const byKind = (kind) => docs.filter((d) => d.obj.kind === kind);
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

// What the kmsg overlay grants, and nothing else may differ from the base: /dev/kmsg reaches a
// pod only through a privileged container, and CAP_SYSLOG is effective only for root.
const kmsg = profile === "kmsg";
// JSON with keys sorted, to compare objects whatever order a kustomize writes their fields in.
const canon = (v) =>
  JSON.stringify(v, (_, x) => (x && typeof x === "object" && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
for (const { where, obj } of byKind("DaemonSet")) {
  const pod = obj.spec.template.spec;
  if (!pod.tolerations?.some((t) => t.operator === "Exists" && !t.key && !t.effect))
    fail(where, "needs a toleration { operator: Exists } to run on every node");
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) fail(where, "must not use host namespaces");
  const hostPaths = (pod.volumes ?? []).filter((v) => v.hostPath);
  const kmsgVolume = { name: "kmsg", hostPath: { path: "/dev/kmsg", type: "CharDevice" } };
  if (canon(hostPaths) !== canon(kmsg ? [kmsgVolume] : []))
    fail(where, `hostPath volumes ${JSON.stringify(hostPaths)}: expected ${kmsg ? "/dev/kmsg alone" : "none"}`);
  if (!kmsg && pod.securityContext?.runAsNonRoot !== true) fail(where, "pod must set runAsNonRoot: true");
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault")
    fail(where, "pod must use the RuntimeDefault seccomp profile");
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    const cw = `${where} container ${c.name}`;
    if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]') fail(cw, "must drop ALL capabilities");
    if (JSON.stringify(sc.capabilities?.add ?? []) !== JSON.stringify(kmsg ? ["SYSLOG"] : []))
      fail(cw, `adds capabilities ${JSON.stringify(sc.capabilities?.add)}: expected ${kmsg ? "SYSLOG alone" : "none"}`);
    if (sc.readOnlyRootFilesystem !== true) fail(cw, "must set readOnlyRootFilesystem: true");
    // The API server refuses a privileged container with allowPrivilegeEscalation: false.
    if (sc.privileged && sc.allowPrivilegeEscalation === false)
      fail(cw, "privileged with allowPrivilegeEscalation: false is refused by the API server");
    if ((sc.privileged ?? false) !== kmsg) fail(cw, `privileged ${sc.privileged}: expected ${kmsg}`);
    if (!kmsg && sc.allowPrivilegeEscalation !== false) fail(cw, "must set allowPrivilegeEscalation: false");
    const nonRoot = (sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) === true;
    if (kmsg ? (sc.runAsUser !== 0 || nonRoot) : !nonRoot)
      fail(cw, kmsg ? "must run as root (runAsUser: 0), for CAP_SYSLOG to be effective" : "must run as non-root");
    const mounts = canon(c.volumeMounts ?? []);
    if (mounts !== canon(kmsg ? [{ mountPath: "/dev/kmsg", name: "kmsg", readOnly: true }] : []))
      fail(cw, `volumeMounts ${mounts}: expected ${kmsg ? "/dev/kmsg read-only alone" : "none"}`);
    if ((c.args ?? []).includes("--collector.kmsg") !== kmsg)
      fail(cw, `args ${JSON.stringify(c.args)}: --collector.kmsg expected ${kmsg ? "" : "not "}to be there`);
    for (const r of ["requests", "limits"])
      for (const q of ["cpu", "memory"])
        if (!c.resources?.[r]?.[q]) fail(cw, `needs resources.${r}.${q}`);
    if (c.livenessProbe?.httpGet?.path !== "/-/healthy") fail(cw, "livenessProbe must GET /-/healthy");
    if (c.readinessProbe?.httpGet?.path !== "/-/ready") fail(cw, "readinessProbe must GET /-/ready");
  }
}

const ds = byKind("DaemonSet")[0]?.obj;
const svc = byKind("Service")[0]?.obj;
if (!ds || !svc) fail("manifests", "need a DaemonSet and a Service");
if (svc) {
  if (svc.spec.clusterIP !== "None") fail("Service", "must be headless (clusterIP: None)");
  if (ds && !matches(svc.spec.selector, ds.spec.template.metadata.labels))
    fail("Service", "selector does not match the DaemonSet's pod labels");
  const ports = ds?.spec.template.spec.containers.flatMap((c) => c.ports ?? []) ?? [];
  for (const p of svc.spec.ports)
    if (!ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort))
      fail("Service", `targetPort ${p.targetPort} is no container port`);
}
const monitors = [...byKind("ServiceMonitor"), ...byKind("PodMonitor")];
if (monitors.length === 0) fail("manifests", "need a ServiceMonitor or a PodMonitor");
for (const { where, obj } of byKind("ServiceMonitor")) {
  if (svc && !matches(obj.spec.selector.matchLabels, svc.metadata.labels))
    fail(where, "selector does not match the Service's labels");
  if (svc && !(obj.spec.namespaceSelector?.matchNames ?? [obj.metadata.namespace]).includes(svc.metadata.namespace))
    fail(where, "namespaceSelector does not include the Service's namespace");
  for (const e of obj.spec.endpoints)
    if (!svc?.spec.ports.some((p) => p.name === e.port)) fail(where, `endpoint port ${e.port} is not a Service port`);
}

const rules = byKind("PrometheusRule");
if (rules.length !== 1) fail("manifests", `need one PrometheusRule, found ${rules.length}`);
for (const { where, obj } of rules) {
  const alerts = obj.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert).map((r) => r.alert);
  if (!alerts.includes("TaintExporterDown")) fail(where, `alerts ${alerts}: no TaintExporterDown`);
}
const dashboards = byKind("ConfigMap").filter((d) => d.obj.metadata.labels?.grafana_dashboard === "1");
if (dashboards.length !== 2) fail("manifests", `need 2 ConfigMaps labelled grafana_dashboard: "1", found ${dashboards.length}`);
for (const { where, obj } of dashboards) {
  for (const [key, text] of Object.entries(obj.data ?? {})) {
    try {
      const d = JSON.parse(text);
      if (!d.uid || !d.panels?.length) fail(`${where} ${key}`, "a dashboard needs a uid and panels");
      if (d.__inputs) fail(`${where} ${key}`, "a provisioned dashboard cannot ask for __inputs");
    } catch (e) {
      fail(`${where} ${key}`, `not JSON: ${e.message}`);
    }
  }
}

if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log(`ok: ${docs.length} manifests valid`);
