import { ConfigError, joinFieldPath, type ConfigIssue } from "./config-error.js";
import type { IstioResource, MeshConfig } from "./mesh-config.js";
import { istioKindOf, supportedKinds, validateIstioResource, WORKLOAD_API_VERSION, type IstioKind } from "./resource-schemas.js";
import { parseWorkload, WORKLOAD_KIND } from "./workload-kind.js";
import { readYamlFolder, type SourceDocument } from "./yaml-documents.js";

/** Options for {@link loadMeshConfig}. */
export interface LoadOptions {
  /** Namespace of documents without `metadata.namespace` (as `kubectl apply` in the default context). */
  defaultNamespace?: string;
  /** Istio's root namespace (`meshConfig.rootNamespace`). */
  rootNamespace?: string;
}

const COLLECTION_BY_KIND: Record<IstioKind, keyof Omit<MeshConfig, "rootNamespace" | "workloads">> = {
  VirtualService: "virtualServices",
  DestinationRule: "destinationRules",
  ServiceEntry: "serviceEntries",
  Gateway: "gateways",
  RequestAuthentication: "requestAuthentications",
  AuthorizationPolicy: "authorizationPolicies",
  Telemetry: "telemetries",
  WasmPlugin: "wasmPlugins",
  EnvoyFilter: "envoyFilters",
};

function issueAt(document: SourceDocument, path: (string | number)[], message: string, resource?: string): ConfigIssue {
  const position = document.locate(path);
  return {
    file: document.file,
    documentIndex: document.documentIndex,
    ...(resource !== undefined ? { resource } : {}),
    fieldPath: joinFieldPath(path),
    line: position?.line,
    column: position?.column,
    message,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Builds the model from already parsed documents; every problem of every document is reported at once. */
export function buildMeshConfig(documents: readonly SourceDocument[], options: LoadOptions = {}): MeshConfig {
  const defaultNamespace = options.defaultNamespace ?? "default";
  const mesh: MeshConfig = {
    rootNamespace: options.rootNamespace ?? "istio-system",
    workloads: [],
    virtualServices: [],
    destinationRules: [],
    serviceEntries: [],
    gateways: [],
    requestAuthentications: [],
    authorizationPolicies: [],
    telemetries: [],
    wasmPlugins: [],
    envoyFilters: [],
  };
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, SourceDocument>();

  for (const document of documents) {
    const value = document.value;
    if (!isRecord(value)) {
      issues.push(issueAt(document, [], "a document must be a mapping with apiVersion, kind and metadata"));
      continue;
    }
    const { apiVersion, kind } = value;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      issues.push(issueAt(document, [typeof apiVersion !== "string" ? "apiVersion" : "kind"], "required field is missing or not a string"));
      continue;
    }
    const metadata = isRecord(value.metadata) ? value.metadata : undefined;
    const name = typeof metadata?.name === "string" ? metadata.name : undefined;
    const namespace = typeof metadata?.namespace === "string" ? metadata.namespace : defaultNamespace;
    const label = `${kind} ${namespace}/${name ?? "?"}`;
    if (name === undefined || name === "") {
      issues.push(issueAt(document, ["metadata", "name"], "required field is missing", label));
      continue;
    }
    const key = `${apiVersion.split("/")[0]}|${kind}|${namespace}|${name}`;
    const previous = seen.get(key);
    if (previous) {
      issues.push(issueAt(document, ["metadata", "name"], `duplicate resource: already defined in ${previous.file} document ${previous.documentIndex}`, label));
      continue;
    }
    seen.set(key, document);

    if (apiVersion === WORKLOAD_API_VERSION && kind === WORKLOAD_KIND) {
      try {
        mesh.workloads.push(parseWorkload(document, defaultNamespace));
      } catch (error) {
        if (error instanceof ConfigError) issues.push(...error.issues);
        else throw error;
      }
      continue;
    }
    const istioKind = istioKindOf(apiVersion, kind);
    if (!istioKind) {
      issues.push(issueAt(document, ["kind"], `unknown kind "${kind}" for apiVersion "${apiVersion}"; supported: ${supportedKinds().join(", ")}`, label));
      continue;
    }
    const schemaIssues = validateIstioResource(apiVersion, istioKind, value);
    if (schemaIssues.length > 0) {
      for (const issue of schemaIssues) issues.push(issueAt(document, issue.path, issue.message, label));
      continue;
    }
    const resource: IstioResource = {
      apiVersion,
      kind: istioKind,
      name,
      namespace,
      labels: isRecord(metadata?.labels) ? (metadata.labels as Record<string, string>) : {},
      spec: isRecord(value.spec) ? value.spec : {},
      source: document,
    };
    (mesh[COLLECTION_BY_KIND[istioKind]] as IstioResource[]).push(resource);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return mesh;
}

/** Reads every YAML file under `dir` and builds the model. Throws a {@link ConfigError} listing every problem. */
export function loadMeshConfig(dir: string, options: LoadOptions = {}): MeshConfig {
  return buildMeshConfig(readYamlFolder(dir), options);
}
