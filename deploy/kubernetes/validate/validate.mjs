// Offline checks of rendered Kubernetes manifests (the output of `kubectl kustomize`), no cluster needed:
//  1. schema: every object against the OpenAPI-derived schema of its kind (kubernetes-models for built-in kinds,
//     @kubernetes-models/prometheus-operator for ServiceMonitor, schemas/inferenceservice.schema.json + the core
//     PodSpec for KServe's InferenceService): missing required fields, wrong types, bad enums and formats;
//  2. unknown fields: any key the schema does not know, at any depth (the API server would drop it or refuse it);
//  3. references within the render: ConfigMaps, Secrets, PVCs, ServiceAccounts, volume mounts, named ports, Service
//     and PodDisruptionBudget selectors, HPA targets, ServiceMonitor selectors and ports;
//  4. Argus rules: configuration keys (properties files in ConfigMaps, ARGUS_* variables) must be keys Argus knows
//     (from Key.java), integer CPU limit = request for `argus serve`, writable /tmp with a read-only root, probes,
//     a shutdown delay (or preStop pause), and a termination grace longer than it + the REST and gRPC drains.
//
// Usage: node validate.mjs [--argus-keys Key.java] [--external Kind/name,...] [--expect Kind,Kind] FILE.yaml...
// Prints one line per problem and exits 1 when there is any, 0 when there is none, 2 on bad usage.
// Runs from build/kubernetes-validate (copied there by .ci/check-kubernetes, beside node_modules).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import yaml from "js-yaml";
import Ajv from "ajv";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------------------- args
const args = process.argv.slice(2);
const opts = { argusKeys: null, external: new Set(), expect: [], files: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--argus-keys") opts.argusKeys = args[++i];
  else if (a === "--external") for (const r of (args[++i] || "").split(",").filter(Boolean)) opts.external.add(r);
  else if (a === "--expect") opts.expect = (args[++i] || "").split(",").filter(Boolean);
  else if (a.startsWith("--")) usage(`unknown option ${a}`);
  else opts.files.push(a);
}
if (opts.files.length === 0) usage("no file given");

function usage(msg) {
  console.error(`validate.mjs: ${msg}\nusage: node validate.mjs [--argus-keys Key.java] [--external Kind/name,...] [--expect Kind,...] FILE.yaml...`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------------------------ problems
const problems = [];
function problem(where, msg) {
  problems.push(`${where}: ${msg}`);
}

// ------------------------------------------------------------------------------- schema validation, unknown keys
const escapeKey = (k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Runs a compiled kubernetes-models validator over a deep proxy of the value that records which keys the validator
 * reads. The compiled schema code reads every property its schema declares (`data.replicas`, ...) and enumerates the
 * keys of maps (additionalProperties); so a key that was neither read nor enumerated is unknown to the schema, at
 * whatever depth and through whichever $ref. Returns {errors: ajv errors, unknown: [JSON pointer]}.
 */
function runTracked(validate, value, basePath) {
  const records = [];
  const wrap = (v, p) => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x, i) => wrap(x, `${p}/${i}`));
    const rec = { path: p, target: {}, read: new Set(), enumerated: false };
    for (const [k, x] of Object.entries(v)) rec.target[k] = wrap(x, `${p}/${escapeKey(k)}`);
    records.push(rec);
    return new Proxy(rec.target, {
      get(t, k, r) {
        if (typeof k === "string") rec.read.add(k);
        return Reflect.get(t, k, r);
      },
      has(t, k) {
        if (typeof k === "string") rec.read.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
  };
  const ok = validate(wrap(value, basePath), { instancePath: basePath });
  const errors = ok ? [] : [...(validate.errors || [])];
  const errorPaths = errors.map((e) => e.instancePath);
  const unknown = [];
  for (const rec of records) {
    if (rec.enumerated) continue;
    for (const k of Object.keys(rec.target)) {
      if (rec.read.has(k)) continue;
      const p = `${rec.path}/${escapeKey(k)}`;
      // Under a value that already has a type error, "unknown" says nothing more.
      if (errorPaths.some((e) => e !== basePath && (p === e || p.startsWith(e + "/")) && e.length > 0)) continue;
      unknown.push(p);
    }
  }
  // Report an unknown key once, not again for each key inside it.
  const topmost = unknown.filter((p) => !unknown.some((q) => q !== p && p.startsWith(q + "/")));
  return { errors, unknown: topmost };
}

function pointerGet(doc, pointer) {
  if (!pointer) return doc;
  let v = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const k = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (v === null || typeof v !== "object") return undefined;
    v = v[k];
  }
  return v;
}

const typeOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

/** One line per offending path, in words. */
function describeErrors(errors, doc) {
  const byPath = new Map();
  for (const e of errors) {
    if (!byPath.has(e.instancePath)) byPath.set(e.instancePath, []);
    byPath.get(e.instancePath).push(e);
  }
  const lines = [];
  for (const [p, errs] of byPath) {
    const where = p || "/";
    const actual = pointerGet(doc, p);
    const types = [...new Set(errs.filter((e) => e.keyword === "type").map((e) => e.params.type))];
    const alternatives = errs.some((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
    const done = new Set();
    if (types.length > 0) {
      lines.push(`${where}: wrong type: must be ${types.join(alternatives ? " or " : ", ")}, is ${typeOf(actual)} (${JSON.stringify(actual)})`);
      done.add("type").add("anyOf").add("oneOf");
    }
    for (const e of errs) {
      if (done.has(e.keyword) && e.keyword !== "required") continue;
      switch (e.keyword) {
        case "required":
          lines.push(`${where}: missing required field '${e.params.missingProperty}'`);
          break;
        case "enum":
          lines.push(`${where}: must be one of ${JSON.stringify(e.params.allowedValues)}, is ${JSON.stringify(actual)}`);
          done.add("enum");
          break;
        case "const":
          lines.push(`${where}: must be ${JSON.stringify(e.params.allowedValue)}, is ${JSON.stringify(actual)}`);
          break;
        case "format":
          lines.push(`${where}: must be a valid ${e.params.format}, is ${JSON.stringify(actual)}`);
          break;
        case "pattern":
          lines.push(`${where}: must match ${e.params.pattern}, is ${JSON.stringify(actual)}`);
          break;
        case "additionalProperties":
          lines.push(`${p}/${escapeKey(e.params.additionalProperty)}: unknown field`);
          break;
        default:
          lines.push(`${where}: ${e.message || e.keyword} ${JSON.stringify(e.params)}`);
      }
    }
  }
  return lines;
}

// ------------------------------------------------------------------------------------------- schemas per kind
const schemaCache = new Map();

/** The compiled validator of a built-in kind or of a CRD that a kubernetes-models package ships, or null. */
async function builtinValidator(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  let spec;
  if (group === "monitoring.coreos.com") {
    // The package exports no _schemas/*: load the file itself (its own imports resolve from where it lies).
    const file = path.join(HERE, "node_modules/@kubernetes-models/prometheus-operator/_schemas",
      `ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoring${cap(version)}${kind}.js`);
    if (!fs.existsSync(file)) return null;
    spec = pathToFileURL(file).href;
  } else if (group === "" || /^(apps|autoscaling|batch|policy)$/.test(group) || group.endsWith(".k8s.io")) {
    const g = group === "" ? "Core" : group.split(".")[0].split("-").map(cap).join("");
    spec = `kubernetes-models/_schemas/IoK8sApi${g}${cap(version)}${kind}`;
  } else {
    return null;
  }
  return loadValidator(spec);
}

async function loadValidator(spec) {
  if (!schemaCache.has(spec)) {
    let v = null;
    try {
      v = (await import(spec)).validate;
    } catch (e) {
      if (!/ERR_MODULE_NOT_FOUND|ERR_PACKAGE_PATH_NOT_EXPORTED|Cannot find/.test(`${e.code} ${e.message}`)) throw e;
    }
    schemaCache.set(spec, v || null);
  }
  return schemaCache.get(spec);
}

function reportTracked(where, validate, value, basePath, doc, schemaName) {
  const { errors, unknown } = runTracked(validate, value, basePath);
  for (const line of describeErrors(errors, doc)) problem(where, line);
  for (const p of unknown) problem(where, `${p}: unknown field (not in the schema of ${schemaName})`);
}

// KServe: hand-written schema for what Argus uses; the predictor's inline PodSpec goes to kubernetes-models.
const KSERVE_FRAMEWORKS = ["sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml",
  "lightgbm", "paddle", "model", "storageUris", "workerSpec"];
const isvcSchema = JSON.parse(fs.readFileSync(path.join(HERE, "schemas/inferenceservice.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const validateIsvcOwn = ajv.compile(isvcSchema);
const PREDICTOR_OWN_KEYS = new Set(Object.keys(isvcSchema.definitions.predictor.properties));

async function validateInferenceService(where, doc) {
  if (!validateIsvcOwn(doc)) for (const line of describeErrors(validateIsvcOwn.errors, doc)) problem(where, line);
  const meta = await loadValidator("@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta");
  if (doc.metadata && typeof doc.metadata === "object") reportTracked(where, meta, doc.metadata, "/metadata", doc, "ObjectMeta");
  const predictor = doc.spec && doc.spec.predictor;
  if (!predictor || typeof predictor !== "object") return;
  const podPart = {};
  for (const [k, v] of Object.entries(predictor)) {
    if (PREDICTOR_OWN_KEYS.has(k)) continue;
    if (KSERVE_FRAMEWORKS.includes(k)) {
      problem(where, `/spec/predictor/${k}: framework specs are not covered by schemas/inferenceservice.schema.json (Argus runs as a custom container)`);
      continue;
    }
    podPart[k] = v;
  }
  const podSpec = await loadValidator("kubernetes-models/_schemas/IoK8sApiCoreV1PodSpec");
  reportTracked(where, podSpec, podPart, "/spec/predictor", doc, "KServe PredictorSpec: its own fields or the core/v1 PodSpec it inlines");
  if (predictor.deploymentStrategy && typeof predictor.deploymentStrategy === "object") {
    const strategy = await loadValidator("kubernetes-models/_schemas/IoK8sApiAppsV1DeploymentStrategy");
    reportTracked(where, strategy, predictor.deploymentStrategy, "/spec/predictor/deploymentStrategy", doc, "apps/v1 DeploymentStrategy");
  }
}

// -------------------------------------------------------------------------------------------------- Argus keys
function loadArgusKeys(file) {
  if (!file) return null;
  const src = fs.readFileSync(file, "utf8");
  const keys = [...src.matchAll(/^\s*[A-Z][A-Z0-9_]*\("(argus\.[a-z0-9.-]+)"/gm)].map((m) => m[1]);
  if (keys.length < 20) {
    console.error(`validate.mjs: found only ${keys.length} configuration keys in ${file}; has Key.java changed shape?`);
    process.exit(2);
  }
  return new Set(keys);
}
const argusKeys = loadArgusKeys(opts.argusKeys);
const envNameOf = (key) => key.toUpperCase().replace(/[.-]/g, "_");
const argusEnvNames = argusKeys ? new Map([...argusKeys].map((k) => [envNameOf(k), k])) : null;

/** java.util.Properties, as far as Argus's files need: key=value, key: value, comments, continuation lines. */
function parseProperties(text) {
  const out = new Map();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^\s+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].replace(/^\s+/, "");
    const m = line.match(/^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/) || [null, line, ""];
    out.set(m[1].replace(/\\(.)/g, "$1"), m[2].trim());
  }
  return out;
}

// ------------------------------------------------------------------------------------------- workload helpers
const isArgusImage = (image) => typeof image === "string" && /(^|\/)argus(-[a-z0-9]+)?([:@]|$)/.test(image);
const asArray = (v) => (Array.isArray(v) ? v : []);
const matches = (selector, labels) =>
  selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels && labels[k] === v);

/** {kind, name, where, podSpec, podPath, labels} for objects that run pods. */
function workloadsOf(objects) {
  const out = [];
  for (const o of objects) {
    const t = o.doc;
    if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(t.kind)) {
      const tpl = t.spec && t.spec.template;
      if (tpl && tpl.spec) out.push({ ...o, podSpec: tpl.spec, podPath: "/spec/template/spec", labels: (tpl.metadata && tpl.metadata.labels) || {} });
    } else if (t.kind === "Pod" && t.spec) {
      out.push({ ...o, podSpec: t.spec, podPath: "/spec", labels: (t.metadata && t.metadata.labels) || {} });
    } else if (t.kind === "InferenceService" && t.spec && t.spec.predictor) {
      const labels = { ...(t.spec.predictor.labels || {}), "serving.kserve.io/inferenceservice": t.metadata && t.metadata.name };
      out.push({ ...o, podSpec: t.spec.predictor, podPath: "/spec/predictor", labels });
    }
  }
  return out;
}

function quantityToNumber(q) {
  if (typeof q === "number") return q;
  if (typeof q !== "string") return NaN;
  const m = q.match(/^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/);
  if (!m) return NaN;
  const f = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2]] || 1;
  return parseFloat(m[1]) * f;
}

// ------------------------------------------------------------------------------------------ cross-object checks
function crossChecks(label, objects) {
  const have = new Set(objects.map((o) => `${o.doc.kind}/${o.doc.metadata && o.doc.metadata.name}`));
  const exists = (kind, name) => have.has(`${kind}/${name}`) || opts.external.has(`${kind}/${name}`);
  const byKind = (k) => objects.filter((o) => o.doc.kind === k);
  const workloads = workloadsOf(objects);
  const configMaps = new Map(byKind("ConfigMap").map((o) => [o.doc.metadata.name, o.doc]));

  for (const w of workloads) {
    const ps = w.podSpec;
    const at = (p) => `${w.podPath}${p}`;
    const volumes = new Map();
    asArray(ps.volumes).forEach((v, i) => {
      const sources = Object.keys(v || {}).filter((k) => k !== "name");
      if (sources.length !== 1) problem(w.where, `${at(`/volumes/${i}`)} (${v && v.name}): a volume needs exactly one source, has ${sources.length} (${sources.join(", ") || "none"})`);
      if (volumes.has(v.name)) problem(w.where, `${at(`/volumes/${i}`)}: duplicate volume name '${v.name}'`);
      volumes.set(v.name, v);
      if (v.configMap && !v.configMap.optional && !exists("ConfigMap", v.configMap.name)) problem(w.where, `${at(`/volumes/${i}`)}: ConfigMap '${v.configMap.name}' is not in this render`);
      if (v.secret && !v.secret.optional && !exists("Secret", v.secret.secretName)) problem(w.where, `${at(`/volumes/${i}`)}: Secret '${v.secret.secretName}' is neither in this render nor declared external`);
      if (v.persistentVolumeClaim && !exists("PersistentVolumeClaim", v.persistentVolumeClaim.claimName)) problem(w.where, `${at(`/volumes/${i}`)}: PersistentVolumeClaim '${v.persistentVolumeClaim.claimName}' is neither in this render nor declared external`);
    });
    if (ps.serviceAccountName && ps.serviceAccountName !== "default" && !exists("ServiceAccount", ps.serviceAccountName)) problem(w.where, `${at("/serviceAccountName")}: ServiceAccount '${ps.serviceAccountName}' is not in this render`);

    const groups = [["initContainers", asArray(ps.initContainers)], ["containers", asArray(ps.containers)]];
    for (const [field, list] of groups) {
      list.forEach((c, ci) => {
        const cp = (p) => at(`/${field}/${ci}${p}`);
        const portNames = new Set(asArray(c.ports).map((p) => p.name).filter(Boolean));
        const portNumbers = new Set(asArray(c.ports).map((p) => p.containerPort));
        asArray(c.volumeMounts).forEach((m, mi) => {
          if (!volumes.has(m.name)) problem(w.where, `${cp(`/volumeMounts/${mi}`)}: no volume named '${m.name}'`);
        });
        asArray(c.envFrom).forEach((e, ei) => {
          if (e.configMapRef && !e.configMapRef.optional && !exists("ConfigMap", e.configMapRef.name)) problem(w.where, `${cp(`/envFrom/${ei}`)}: ConfigMap '${e.configMapRef.name}' is not in this render`);
          if (e.secretRef && !e.secretRef.optional && !exists("Secret", e.secretRef.name)) problem(w.where, `${cp(`/envFrom/${ei}`)}: Secret '${e.secretRef.name}' is neither in this render nor declared external`);
        });
        asArray(c.env).forEach((e, ei) => {
          const vf = e.valueFrom || {};
          if (vf.configMapKeyRef && !vf.configMapKeyRef.optional && !exists("ConfigMap", vf.configMapKeyRef.name)) problem(w.where, `${cp(`/env/${ei}`)}: ConfigMap '${vf.configMapKeyRef.name}' is not in this render`);
          if (vf.secretKeyRef && !vf.secretKeyRef.optional && !exists("Secret", vf.secretKeyRef.name)) problem(w.where, `${cp(`/env/${ei}`)}: Secret '${vf.secretKeyRef.name}' is neither in this render nor declared external`);
        });
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
          const pr = c[probe];
          if (!pr) continue;
          for (const action of ["httpGet", "tcpSocket", "grpc"]) {
            const port = pr[action] && pr[action].port;
            if (port === undefined) continue;
            if (typeof port === "string" && !portNames.has(port)) problem(w.where, `${cp(`/${probe}/${action}/port`)}: no container port named '${port}'`);
            if (typeof port === "number" && c.ports && !portNumbers.has(port)) problem(w.where, `${cp(`/${probe}/${action}/port`)}: ${port} is not a containerPort of '${c.name}'`);
          }
        }
        if (isArgusImage(c.image)) argusContainerChecks(w, c, cp, field, volumes, configMaps);
      });
    }
  }

  for (const s of byKind("Service")) {
    const spec = s.doc.spec || {};
    if (!spec.selector) continue;
    const targets = workloads.filter((w) => matches(spec.selector, w.labels));
    if (targets.length === 0) {
      problem(s.where, `/spec/selector: ${JSON.stringify(spec.selector)} selects no pod template in this render`);
      continue;
    }
    asArray(spec.ports).forEach((p, i) => {
      const tp = p.targetPort === undefined ? p.port : p.targetPort;
      const containers = targets.flatMap((w) => asArray(w.podSpec.containers));
      const ok = typeof tp === "string"
        ? containers.some((c) => asArray(c.ports).some((cp) => cp.name === tp))
        : containers.some((c) => asArray(c.ports).some((cp) => cp.containerPort === tp));
      if (!ok) problem(s.where, `/spec/ports/${i}/targetPort: ${JSON.stringify(tp)} is no container port of the selected pods`);
    });
  }

  for (const pdb of byKind("PodDisruptionBudget")) {
    const sel = pdb.doc.spec && pdb.doc.spec.selector && pdb.doc.spec.selector.matchLabels;
    if (sel && !workloads.some((w) => matches(sel, w.labels))) problem(pdb.where, `/spec/selector: selects no pod template in this render`);
  }

  for (const hpa of byKind("HorizontalPodAutoscaler")) {
    const ref = (hpa.doc.spec && hpa.doc.spec.scaleTargetRef) || {};
    const target = workloads.find((w) => w.doc.kind === ref.kind && w.doc.metadata.name === ref.name);
    if (!target) {
      problem(hpa.where, `/spec/scaleTargetRef: ${ref.kind}/${ref.name} is not in this render`);
      continue;
    }
    for (const m of asArray(hpa.doc.spec.metrics)) {
      if (m.type !== "Resource" || !m.resource || !m.resource.target || m.resource.target.type !== "Utilization") continue;
      for (const c of asArray(target.podSpec.containers)) {
        const req = c.resources && c.resources.requests && c.resources.requests[m.resource.name];
        if (req === undefined) problem(hpa.where, `/spec/metrics: ${m.resource.name} utilisation needs a ${m.resource.name} request on container '${c.name}' of ${ref.kind}/${ref.name}`);
      }
    }
  }

  const services = byKind("Service");
  for (const sm of byKind("ServiceMonitor")) {
    const sel = sm.doc.spec && sm.doc.spec.selector && sm.doc.spec.selector.matchLabels;
    const selected = services.filter((s) => matches(sel, s.doc.metadata.labels));
    if (selected.length === 0) {
      problem(sm.where, `/spec/selector: selects no Service in this render`);
      continue;
    }
    asArray(sm.doc.spec.endpoints).forEach((e, i) => {
      if (e.port && !selected.some((s) => asArray(s.doc.spec.ports).some((p) => p.name === e.port))) problem(sm.where, `/spec/endpoints/${i}/port: no selected Service has a port named '${e.port}'`);
    });
  }

  for (const kind of opts.expect) if (byKind(kind).length === 0) problem(label, `expected a ${kind} in this render, found none`);
}

function argusContainerChecks(w, c, cp, field, volumes, configMaps) {
  // Configuration the container gets: ARGUS_* variables must be keys Argus knows (Argus ignores unknown variables,
  // so a typo would pass silently); the file ARGUS_CONFIG names must be a mounted ConfigMap key.
  const env = new Map(asArray(c.env).map((e) => [e.name, e.value]));
  if (argusEnvNames) {
    asArray(c.env).forEach((e, i) => {
      if (e.name.startsWith("ARGUS_") && e.name !== "ARGUS_CONFIG" && !argusEnvNames.has(e.name)) problem(w.where, `${cp(`/env/${i}`)}: ${e.name} is no Argus configuration key (ARGUS_ + key with . and - as _); Argus would ignore it`);
    });
  }
  let props = new Map();
  const configPath = env.get("ARGUS_CONFIG");
  if (configPath) {
    const mount = asArray(c.volumeMounts).find((m) => configPath.startsWith(m.mountPath.replace(/\/$/, "") + "/"));
    const volume = mount && volumes.get(mount.name);
    const file = mount && configPath.slice(mount.mountPath.replace(/\/$/, "").length + 1);
    if (!volume || !volume.configMap) {
      problem(w.where, `${cp("/env")}: ARGUS_CONFIG=${configPath} is not in a mounted ConfigMap volume`);
    } else {
      const cm = configMaps.get(volume.configMap.name);
      const key = mount.subPath ? mount.subPath : file;
      if (cm && !(cm.data && key in cm.data)) problem(w.where, `${cp("/env")}: ARGUS_CONFIG=${configPath}: ConfigMap '${volume.configMap.name}' has no key '${key}'`);
      if (cm && cm.data && key in cm.data) props = parseProperties(cm.data[key]);
    }
  }
  const setting = (key, dflt) => {
    const e = env.get(envNameOf(key));
    return e !== undefined ? e : props.has(key) ? props.get(key) : dflt;
  };

  const sc = c.securityContext || {};
  if (sc.readOnlyRootFilesystem && !asArray(c.volumeMounts).some((m) => m.mountPath === "/tmp" && !m.readOnly)) problem(w.where, `${cp("")}: read-only root filesystem without a writable /tmp volume (ONNX Runtime unpacks its library into java.io.tmpdir)`);
  if (!asArray(c.env).some((e) => e.name === "ORT_DISABLE_TELEMETRY" && e.value === "1")) problem(w.where, `${cp("/env")}: ORT_DISABLE_TELEMETRY=1 is missing (ONNX Runtime crashes without /etc/machine-id otherwise)`);

  const isServe = field === "containers" && asArray(c.args)[0] === "serve";
  if (!isServe) return;
  const res = c.resources || {};
  const lim = (res.limits || {}).cpu;
  const req = (res.requests || {}).cpu;
  const limN = quantityToNumber(lim);
  if (lim === undefined) problem(w.where, `${cp("/resources/limits/cpu")}: argus serve needs a CPU limit: it sizes workers x threads from it`);
  else if (!Number.isInteger(limN) || limN < 1) problem(w.where, `${cp("/resources/limits/cpu")}: must be a whole number of CPUs (threads x workers = CPUs), is ${JSON.stringify(lim)}`);
  if (lim !== undefined && req !== undefined && quantityToNumber(req) !== limN) problem(w.where, `${cp("/resources/requests/cpu")}: must equal the CPU limit (${JSON.stringify(lim)}), is ${JSON.stringify(req)}`);
  const memReq = quantityToNumber((res.requests || {}).memory);
  const memLim = quantityToNumber((res.limits || {}).memory);
  if (!(memLim > 0)) problem(w.where, `${cp("/resources/limits/memory")}: argus serve needs a memory limit`);
  if (memReq > memLim) problem(w.where, `${cp("/resources/requests/memory")}: more than the limit`);
  for (const probe of ["readinessProbe", "livenessProbe", ...(w.doc.kind === "InferenceService" ? [] : ["startupProbe"])]) {
    if (!c[probe]) problem(w.where, `${cp(`/${probe}`)}: missing (model load and warm-up; see deploy/kubernetes/README.md)`);
  }
  const graceMs = Number(setting("argus.server.shutdown-grace-ms", "10000"));
  const delayMs = Number(setting("argus.server.shutdown-delay-ms", "0"));
  const restOn = setting("argus.rest.enabled", "true") !== "false";
  const grpcOn = setting("argus.grpc.enabled", "true") !== "false";
  const preStop = (c.lifecycle && c.lifecycle.preStop && c.lifecycle.preStop.sleep && c.lifecycle.preStop.sleep.seconds) || 0;
  const needed = preStop + delayMs / 1000 + ((restOn ? 1 : 0) + (grpcOn ? 1 : 0)) * (graceMs / 1000);
  const tgp = w.podSpec.terminationGracePeriodSeconds === undefined ? 30 : w.podSpec.terminationGracePeriodSeconds;
  if (!(tgp > needed)) problem(w.where, `${w.podPath}/terminationGracePeriodSeconds: ${tgp} s is not above preStop ${preStop} s + shutdown-delay ${delayMs / 1000} s + ${restOn + grpcOn} x shutdown-grace ${graceMs / 1000} s = ${needed} s`);
  if (preStop + delayMs / 1000 < 1) problem(w.where, `${cp("")}: neither argus.server.shutdown-delay-ms nor a preStop pause: on SIGTERM Argus would refuse requests that endpoints still route to it`);
}

// ------------------------------------------------------------------------------------------------------- main
for (const file of opts.files) {
  const label = path.basename(file).replace(/\.ya?ml$/, "");
  let docs;
  try {
    docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    problem(label, `not YAML: ${e.message}`);
    continue;
  }
  if (docs.length === 0) problem(label, "renders no object");
  const objects = [];
  const seen = new Set();
  for (const [i, doc] of docs.entries()) {
    const name = doc && doc.metadata && doc.metadata.name;
    const where = `${label}: ${doc && doc.kind}/${name || `#${i}`}`;
    if (!doc || typeof doc !== "object" || typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") {
      problem(where, "not a Kubernetes object (apiVersion and kind strings needed)");
      continue;
    }
    if (!name) problem(where, "/metadata/name: missing");
    const id = `${doc.apiVersion}/${doc.kind}/${name}`;
    if (seen.has(id)) problem(where, "defined twice in this render");
    seen.add(id);
    if (doc.apiVersion === "serving.kserve.io/v1beta1" && doc.kind === "InferenceService") {
      await validateInferenceService(where, doc);
    } else {
      const v = await builtinValidator(doc.apiVersion, doc.kind);
      if (!v) {
        problem(where, `no schema for ${doc.apiVersion} ${doc.kind} (add one to deploy/kubernetes/validate)`);
        continue;
      }
      reportTracked(where, v, doc, "", doc, `${doc.apiVersion} ${doc.kind}`);
    }
    if (doc.kind === "ConfigMap" && argusKeys && doc.data) {
      for (const [k, text] of Object.entries(doc.data)) {
        if (!k.endsWith(".properties")) continue;
        for (const key of parseProperties(String(text)).keys()) {
          if (!argusKeys.has(key)) problem(where, `/data/${escapeKey(k)}: '${key}' is no Argus configuration key (Argus refuses to start)`);
        }
      }
    }
    objects.push({ doc, where });
  }
  crossChecks(label, objects);
  const kinds = objects.map((o) => o.doc.kind);
  const summary = [...new Set(kinds)].map((k) => `${kinds.filter((x) => x === k).length} ${k}`).join(", ");
  console.log(`${label}: ${objects.length} objects checked (${summary})`);
}

for (const p of problems) console.log(`  PROBLEM ${p}`);
process.exit(problems.length > 0 ? 1 : 0);
