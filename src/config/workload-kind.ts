import { ConfigError, joinFieldPath, type ConfigIssue } from "./config-error.js";
import { qualifyHost } from "./host-names.js";
import type { PortSpec, Workload } from "./mesh-config.js";
import { registerOwnSchema, validateAgainst, WORKLOAD_API_VERSION } from "./resource-schemas.js";
import type { SourceDocument } from "./yaml-documents.js";

/**
 * Istio learns workloads from Kubernetes; this tool reads them from YAML. Rather than accept
 * Deployment/Pod/Service documents (three kinds, most of whose fields would be ignored), a workload is
 * declared with one small kind:
 *
 * ```yaml
 * apiVersion: wasmixer.io/v1alpha1
 * kind: Workload
 * metadata: { name: reviews-v2, namespace: default }
 * spec:
 *   labels: { app: reviews, version: v2 }      # pod labels, matched by selectors
 *   serviceAccount: bookinfo-reviews           # default: "default"
 *   ports: [{ number: 9080, name: http, protocol: HTTP }]
 *   service:                                   # optional: the Service selecting these pods
 *     host: reviews                            # short, ns-qualified or FQDN
 *     ports: [{ number: 9080, name: http }]    # default: the workload's ports
 * ```
 */
export const WORKLOAD_KIND = "Workload";

const PORT_SCHEMA = {
  type: "object",
  required: ["number"],
  properties: {
    number: { type: "integer", minimum: 1, maximum: 65535 },
    name: { type: "string", minLength: 1 },
    protocol: { type: "string", enum: ["HTTP", "HTTP2", "HTTPS", "GRPC", "GRPC-WEB", "TCP", "TLS", "MONGO", "REDIS", "MYSQL"] },
  },
};

const WORKLOAD_SCHEMA_ID = "wasmixer.io.v1alpha1.Workload";
const WORKLOAD_SCHEMA = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { type: "string", enum: [WORKLOAD_API_VERSION] },
    kind: { type: "string", enum: [WORKLOAD_KIND] },
    metadata: { $ref: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#" },
    spec: {
      type: "object",
      required: ["labels"],
      properties: {
        labels: { type: "object", minProperties: 1, additionalProperties: { type: "string" } },
        serviceAccount: { type: "string", minLength: 1 },
        ports: { type: "array", items: PORT_SCHEMA },
        service: {
          type: "object",
          required: ["host"],
          properties: { host: { type: "string", minLength: 1 }, ports: { type: "array", items: PORT_SCHEMA } },
        },
      },
    },
  },
};

interface WorkloadDocument {
  metadata: { name: string; namespace?: string };
  spec: {
    labels: Record<string, string>;
    serviceAccount?: string;
    ports?: { number: number; name?: string; protocol?: string }[];
    service?: { host: string; ports?: { number: number; name?: string; protocol?: string }[] };
  };
}

function toPort(port: { number: number; name?: string; protocol?: string }): PortSpec {
  return { number: port.number, ...(port.name !== undefined ? { name: port.name } : {}), protocol: port.protocol ?? "HTTP" };
}

/** Validates a `Workload` document and converts it; throws a {@link ConfigError} naming the fields. */
export function parseWorkload(document: SourceDocument, defaultNamespace: string): Workload {
  registerOwnSchema(WORKLOAD_SCHEMA_ID, WORKLOAD_SCHEMA);
  const raw = document.value as WorkloadDocument;
  const issues = validateAgainst(WORKLOAD_SCHEMA_ID, raw);
  if (issues.length > 0) {
    const resource = `Workload ${raw.metadata?.namespace ?? defaultNamespace}/${raw.metadata?.name ?? "?"}`;
    throw new ConfigError(
      issues.map((issue): ConfigIssue => {
        const position = document.locate(issue.path);
        return {
          file: document.file,
          documentIndex: document.documentIndex,
          resource,
          fieldPath: joinFieldPath(issue.path),
          line: position?.line,
          column: position?.column,
          message: issue.message,
        };
      }),
    );
  }
  const namespace = raw.metadata.namespace ?? defaultNamespace;
  const ports = (raw.spec.ports ?? []).map(toPort);
  const service = raw.spec.service;
  return {
    name: raw.metadata.name,
    namespace,
    labels: { ...raw.spec.labels },
    serviceAccount: raw.spec.serviceAccount ?? "default",
    ports,
    ...(service ? { service: { host: qualifyHost(service.host, namespace), ports: service.ports ? service.ports.map(toPort) : ports } } : {}),
    source: document,
  };
}
