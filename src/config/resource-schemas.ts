import { createRequire } from "node:module";
// The Istio models are used through their CommonJS build: its models call
// `validate_1.register(...)` through the module object, so the schemas they register can be captured
// here and re-registered in a strict form (unknown fields rejected) in the same Ajv instance.
const require = createRequire(import.meta.url);

interface ValidateModule {
  register(id: string, schema: object): void;
  validate(id: string, data: unknown): void;
}
interface AjvErrorObject {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
interface ModelClass {
  new (data?: object): { validate(): void };
}

const validateModule = require("@kubernetes-models/validate") as ValidateModule;
const capturedSchemas = new Map<string, object>();
const originalRegister = validateModule.register;
if (!(originalRegister as { wasmixerCapture?: boolean }).wasmixerCapture) {
  const capture = (id: string, schema: object): void => {
    capturedSchemas.set(id, schema);
    originalRegister(id, schema);
  };
  (capture as { wasmixerCapture?: boolean }).wasmixerCapture = true;
  validateModule.register = capture;
}

/** The kinds the config loader understands, keyed by `apiVersion` + `kind`. */
export type IstioKind =
  | "VirtualService"
  | "DestinationRule"
  | "ServiceEntry"
  | "Gateway"
  | "RequestAuthentication"
  | "AuthorizationPolicy"
  | "Telemetry"
  | "WasmPlugin"
  | "EnvoyFilter";

export const WORKLOAD_API_VERSION = "wasmixer.io/v1alpha1";

/**
 * `@kubernetes-models/istio` 2.3.0 is generated from Istio 1.18's CRDs: it has no `networking.istio.io/v1` nor
 * `telemetry.istio.io/v1`. Those versions were promoted later with the same schema as the beta they replace
 * (istio/api networking/v1 and telemetry/v1 are aliases of v1beta1/v1alpha1 messages), so they are validated
 * against the closest version the package ships.
 */
const MODEL_BY_API_VERSION: Record<string, Partial<Record<IstioKind, string>>> = {
  "networking.istio.io/v1": {
    VirtualService: "networking.istio.io/v1beta1/VirtualService",
    DestinationRule: "networking.istio.io/v1beta1/DestinationRule",
    ServiceEntry: "networking.istio.io/v1beta1/ServiceEntry",
    Gateway: "networking.istio.io/v1beta1/Gateway",
  },
  "networking.istio.io/v1beta1": {
    VirtualService: "networking.istio.io/v1beta1/VirtualService",
    DestinationRule: "networking.istio.io/v1beta1/DestinationRule",
    ServiceEntry: "networking.istio.io/v1beta1/ServiceEntry",
    Gateway: "networking.istio.io/v1beta1/Gateway",
  },
  "networking.istio.io/v1alpha3": {
    VirtualService: "networking.istio.io/v1alpha3/VirtualService",
    DestinationRule: "networking.istio.io/v1alpha3/DestinationRule",
    ServiceEntry: "networking.istio.io/v1alpha3/ServiceEntry",
    Gateway: "networking.istio.io/v1alpha3/Gateway",
    EnvoyFilter: "networking.istio.io/v1alpha3/EnvoyFilter",
  },
  "security.istio.io/v1": {
    RequestAuthentication: "security.istio.io/v1/RequestAuthentication",
    AuthorizationPolicy: "security.istio.io/v1/AuthorizationPolicy",
  },
  "security.istio.io/v1beta1": {
    RequestAuthentication: "security.istio.io/v1beta1/RequestAuthentication",
    AuthorizationPolicy: "security.istio.io/v1beta1/AuthorizationPolicy",
  },
  "telemetry.istio.io/v1": { Telemetry: "telemetry.istio.io/v1alpha1/Telemetry" },
  "telemetry.istio.io/v1alpha1": { Telemetry: "telemetry.istio.io/v1alpha1/Telemetry" },
  "extensions.istio.io/v1alpha1": { WasmPlugin: "extensions.istio.io/v1alpha1/WasmPlugin" },
};

/**
 * Fields newer than the 1.18 CRDs that generated output uses. WasmPlugin `failStrategy` and `type` are in
 * istio/api extensions/v1alpha1/wasm.proto (`FailStrategy fail_strategy = 13; PluginType type = 14;`).
 */
const SCHEMA_ADDITIONS: Record<string, Record<string, object>> = {
  "extensions.istio.io.v1alpha1.WasmPlugin": {
    failStrategy: { type: "string", enum: ["FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"], nullable: true },
    type: { type: "string", enum: ["UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"], nullable: true },
  },
};

const STRICT_PREFIX = "wasmixer.strict.";
const modelCache = new Map<string, { model: ModelClass; schemaId: string; apiVersion: string }>();

function loadModel(modelPath: string): { model: ModelClass; schemaId: string; apiVersion: string } {
  const cached = modelCache.get(modelPath);
  if (cached) return cached;
  const kind = modelPath.split("/").pop() as string;
  const module = require(`@kubernetes-models/istio/${modelPath}`) as Record<string, ModelClass>;
  const model = module[kind];
  const apiVersion = modelPath.slice(0, modelPath.lastIndexOf("/"));
  const schemaId = `${apiVersion.replace("/", ".")}.${kind}`;
  // The first validate() registers the model's schema (and ObjectMeta's) through the captured register.
  try {
    new model({}).validate();
  } catch {
    // An empty object may not be valid; only the registration side effect matters here.
  }
  if (!capturedSchemas.has(schemaId)) throw new Error(`schema ${schemaId} was not registered by ${modelPath}`);
  ensureStrictSchema(schemaId);
  const entry = { model, schemaId, apiVersion };
  modelCache.set(modelPath, entry);
  return entry;
}

/**
 * Registers `wasmixer.strict.<id>`: the same schema with `additionalProperties: false` on every object that
 * lists its properties. Kubernetes prunes unknown fields silently; a typo in a route would then vanish, so
 * here it is an error. Objects declared with empty `properties` (Struct-valued fields such as
 * `pluginConfig` or an EnvoyFilter patch `value`) stay open.
 */
function ensureStrictSchema(id: string): string {
  const strictId = STRICT_PREFIX + id;
  if (capturedSchemas.has(strictId)) return strictId;
  const schema = capturedSchemas.get(id);
  if (!schema) throw new Error(`unknown schema ${id}`);
  const clone = structuredClone(schema) as Record<string, unknown>;
  const additions = SCHEMA_ADDITIONS[id];
  if (additions) {
    const spec = (clone.properties as Record<string, { properties: Record<string, object> }>).spec;
    Object.assign(spec.properties, additions);
  }
  capturedSchemas.set(strictId, clone);
  const referenced = new Set<string>();
  closeObjects(clone, referenced);
  for (const ref of referenced) ensureStrictSchema(ref);
  originalRegister(strictId, clone);
  return strictId;
}

function closeObjects(node: unknown, referenced: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item, referenced);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const schema = node as Record<string, unknown>;
  if (typeof schema.$ref === "string") {
    const target = schema.$ref.replace(/#$/, "");
    referenced.add(target);
    schema.$ref = `${STRICT_PREFIX}${target}#`;
  }
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties && Object.keys(properties).length > 0 && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) closeObjects(value, referenced);
}

/** Registers a schema of our own (the Workload kind) in the same validator, strict like the Istio ones. */
export function registerOwnSchema(id: string, schema: object): void {
  if (capturedSchemas.has(id)) return;
  const clone = structuredClone(schema) as Record<string, unknown>;
  const referenced = new Set<string>();
  closeObjects(clone, referenced);
  // ObjectMeta's schema (referenced by `metadata`) is registered as a side effect of loading any Istio model.
  loadModel("networking.istio.io/v1beta1/VirtualService");
  for (const ref of referenced) ensureStrictSchema(ref);
  capturedSchemas.set(id, clone);
  originalRegister(id, clone);
}

/** The Istio kind for an `apiVersion`/`kind` pair, or undefined when not supported. */
export function istioKindOf(apiVersion: string, kind: string): IstioKind | undefined {
  const models = MODEL_BY_API_VERSION[apiVersion];
  if (!models) return undefined;
  return Object.prototype.hasOwnProperty.call(models, kind) ? (kind as IstioKind) : undefined;
}

/** Every supported kind with its API versions, for error messages. */
export function supportedKinds(): string[] {
  const versionsByKind = new Map<string, string[]>();
  for (const [apiVersion, kinds] of Object.entries(MODEL_BY_API_VERSION)) {
    for (const kind of Object.keys(kinds)) versionsByKind.set(kind, [...(versionsByKind.get(kind) ?? []), apiVersion]);
  }
  versionsByKind.set("Workload", [WORKLOAD_API_VERSION]);
  return [...versionsByKind].map(([kind, versions]) => `${kind} (${versions.join(", ")})`);
}

/** A schema problem, with the path as segments (numbers for array indexes). */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

function toSegments(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function describeAjvError(error: AjvErrorObject): SchemaIssue {
  const path = toSegments(error.instancePath);
  switch (error.keyword) {
    case "additionalProperties":
      return { path: [...path, String(error.params.additionalProperty)], message: "unknown field" };
    case "required":
      return { path: [...path, String(error.params.missingProperty)], message: "required field is missing" };
    case "enum":
      return {
        path,
        message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

/** Runs the validator registered under `schemaId` and converts its errors. */
export function validateAgainst(schemaId: string, data: unknown): SchemaIssue[] {
  return collectIssues(() => validateModule.validate(schemaId, data));
}

function collectIssues(run: () => void): SchemaIssue[] {
  try {
    run();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvErrorObject[] }).errors;
    if (!errors) throw error;
    const seen = new Set<string>();
    const out: SchemaIssue[] = [];
    for (const issue of errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "not").map(describeAjvError)) {
      const key = JSON.stringify(issue);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(issue);
      }
    }
    // `oneOf` errors alone (e.g. two of exact/prefix/regex set) would otherwise vanish from the list.
    if (out.length === 0) {
      for (const e of errors) out.push({ path: toSegments(e.instancePath), message: describeOneOf(e) });
    }
    return out;
  }
}

function describeOneOf(error: AjvErrorObject): string {
  if (error.keyword === "oneOf") return "must set exactly one of the alternative fields";
  if (error.keyword === "not") return "sets fields that cannot be combined";
  return error.message ?? error.keyword;
}

/**
 * Validates one Istio resource with `@kubernetes-models/istio` (schema of the mapped API version, made
 * strict). The document's `apiVersion` is replaced by the model's for the check only.
 */
export function validateIstioResource(apiVersion: string, kind: IstioKind, document: Record<string, unknown>): SchemaIssue[] {
  const modelPath = MODEL_BY_API_VERSION[apiVersion]?.[kind];
  if (!modelPath) throw new Error(`no model for ${apiVersion} ${kind}`);
  const { model, schemaId, apiVersion: modelApiVersion } = loadModel(modelPath);
  const instance = new model({ ...document, apiVersion: modelApiVersion });
  // The model's own validator first: it is the package's verdict. Then the strict copy for unknown fields.
  const issues = collectIssues(() => instance.validate());
  const strictIssues = validateAgainst(STRICT_PREFIX + schemaId, JSON.parse(JSON.stringify(instance)) as unknown);
  const seen = new Set(issues.map((issue) => JSON.stringify(issue)));
  for (const issue of strictIssues) if (!seen.has(JSON.stringify(issue))) issues.push(issue);
  return issues;
}
