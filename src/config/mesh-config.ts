import type { IstioKind } from "./resource-schemas.js";
import type { SourceDocument } from "./yaml-documents.js";

/** Label selector as Istio's `WorkloadSelector` (`matchLabels` only; Istio has no expressions here). */
export type MatchLabels = Record<string, string>;

/** An Istio resource after validation, with its namespace resolved. `spec` keeps Istio's JSON field names. */
export interface IstioResource<Spec = Record<string, unknown>> {
  apiVersion: string;
  kind: IstioKind;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  spec: Spec;
  source: SourceDocument;
}

/** A port of a workload or of the service in front of it. */
export interface PortSpec {
  number: number;
  name?: string;
  /** Istio protocol name (HTTP, HTTP2, GRPC, TCP, ...); defaults to HTTP. */
  protocol: string;
}

/**
 * A workload: what Kubernetes would give Istio as a pod (labels, service account) plus the service that
 * fronts it. Declared with the `wasmixer.io/v1alpha1 Workload` kind (see workload-kind.ts).
 */
export interface Workload {
  name: string;
  namespace: string;
  /** Pod labels: what `selector.matchLabels` / `workloadSelector.labels` are matched against. */
  labels: Record<string, string>;
  serviceAccount: string;
  ports: PortSpec[];
  /** The Kubernetes service selecting this workload, with its fully qualified host name. */
  service?: { host: string; ports: PortSpec[] };
  source: SourceDocument;
}

/** Minimal typed views of the Istio specs the planners read; every other field stays as given. */
export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  exportTo?: string[];
  http?: Record<string, unknown>[];
  [field: string]: unknown;
}
export interface DestinationRuleSpec {
  host?: string;
  exportTo?: string[];
  trafficPolicy?: Record<string, unknown>;
  subsets?: { name?: string; labels?: Record<string, string>; trafficPolicy?: Record<string, unknown> }[];
  workloadSelector?: { matchLabels?: MatchLabels };
  [field: string]: unknown;
}
export interface ServiceEntrySpec {
  hosts?: string[];
  ports?: { number?: number; name?: string; protocol?: string; targetPort?: number }[];
  exportTo?: string[];
  [field: string]: unknown;
}
export interface SelectorSpec {
  selector?: { matchLabels?: MatchLabels };
  [field: string]: unknown;
}
export interface EnvoyFilterSpec {
  workloadSelector?: { labels?: MatchLabels };
  [field: string]: unknown;
}

/** Everything loaded from a configuration folder. */
export interface MeshConfig {
  /** Istio's config root namespace: policies there apply mesh-wide. */
  rootNamespace: string;
  workloads: Workload[];
  virtualServices: IstioResource<VirtualServiceSpec>[];
  destinationRules: IstioResource<DestinationRuleSpec>[];
  serviceEntries: IstioResource<ServiceEntrySpec>[];
  gateways: IstioResource<SelectorSpec>[];
  requestAuthentications: IstioResource<SelectorSpec>[];
  authorizationPolicies: IstioResource<SelectorSpec>[];
  telemetries: IstioResource<SelectorSpec>[];
  wasmPlugins: IstioResource<SelectorSpec>[];
  envoyFilters: IstioResource<EnvoyFilterSpec>[];
}
