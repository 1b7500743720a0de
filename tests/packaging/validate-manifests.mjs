// Validates every document of packaging/kubernetes/*.yaml against the Kubernetes and
// prometheus-operator schemas (kubernetes-models' validate(): types, formats such as
// quantities and durations, required fields, enums), then checks what the schemas cannot:
// the security settings, probes and tolerations the README promises, and that the Service
// and the ServiceMonitor select what the DaemonSet runs. The schemas do not reject unknown
// fields (the API server's strict field validation would), so a misspelt field is caught
// only by the explicit checks that read it.
// Usage: node validate-manifests.mjs DIR
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";

const models = { DaemonSet, Service, ServiceMonitor, PodMonitor };
const dir = process.argv[2];
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
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
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

for (const { where, obj } of byKind("DaemonSet")) {
  const pod = obj.spec.template.spec;
  if (!pod.tolerations?.some((t) => t.operator === "Exists" && !t.key && !t.effect))
    fail(where, "needs a toleration { operator: Exists } to run on every node");
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) fail(where, "must not use host namespaces");
  for (const v of pod.volumes ?? []) if (v.hostPath) fail(where, `mounts hostPath ${v.hostPath.path}`);
  if (pod.securityContext?.runAsNonRoot !== true) fail(where, "pod must set runAsNonRoot: true");
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault")
    fail(where, "pod must use the RuntimeDefault seccomp profile");
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    const cw = `${where} container ${c.name}`;
    if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]') fail(cw, "must drop ALL capabilities");
    if (sc.capabilities?.add?.length) fail(cw, "must add no capability");
    if (sc.readOnlyRootFilesystem !== true) fail(cw, "must set readOnlyRootFilesystem: true");
    if (sc.allowPrivilegeEscalation !== false) fail(cw, "must set allowPrivilegeEscalation: false");
    if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) fail(cw, "must run as non-root");
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

if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log(`ok: ${docs.length} manifests valid`);
