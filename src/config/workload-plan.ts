/**
 * Where a filter goes in the HTTP filter chain, with Istio's WasmPlugin phase names
 * (istio/api extensions/v1alpha1/wasm.proto `PluginPhase`): AUTHN before Istio's authentication filters,
 * AUTHZ before its authorization (RBAC) filters, STATS before its stats filter, UNSPECIFIED_PHASE at the
 * end of the chain, right before Envoy's router.
 */
export type FilterPhase = "AUTHN" | "AUTHZ" | "STATS" | "UNSPECIFIED_PHASE";

/** Phases in filter-chain order. */
export const PHASE_ORDER: readonly FilterPhase[] = ["AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE"];

/**
 * Which traffic a filter sees, with Istio's WorkloadMode names: CLIENT = the workload's outbound calls
 * (SIDECAR_OUTBOUND), SERVER = requests it receives (SIDECAR_INBOUND).
 */
export type TrafficMode = "CLIENT" | "SERVER" | "CLIENT_AND_SERVER";

/** What Envoy does when the Wasm VM fails (Istio WasmPlugin `failStrategy`; Envoy `fail_open`). */
export type FailStrategy = "FAIL_CLOSE" | "FAIL_OPEN";

/** A virtual host of the sidecar's outbound route table: Istio names it `<host>:<port>`, in route config `<port>`. */
export interface OutboundVirtualHost {
  host: string;
  port: number;
}

/** One wasmixer filter for one workload. */
export interface FilterPlan {
  /** Filter name: "router", "jwt", "rbac", "stats", ... */
  name: string;
  /** The Wasm module: `build/<module>.wasm`. */
  module: string;
  phase: FilterPhase;
  /** Order inside a phase: higher first (as WasmPlugin `priority`). */
  priority: number;
  mode: TrafficMode;
  /**
   * HTTP filter (default) or network filter on TCP filter chains, with Istio's WasmPlugin `PluginType`
   * names (istio/api extensions/v1alpha1/wasm.proto).
   */
  type?: "HTTP" | "NETWORK";
  failStrategy: FailStrategy;
  /** The plugin configuration handed to the filter's `proxy_on_configure`, as JSON. */
  config: Record<string, unknown>;
  /**
   * Set by filters that choose the upstream cluster themselves by writing `header`: the listed outbound
   * virtual hosts must route with Envoy's `cluster_header` instead of Istio's own route actions.
   */
  clusterHeaderRouting?: { header: string; virtualHosts: OutboundVirtualHost[] };
  /**
   * Annotations the workload's pods need for this filter (e.g. `sidecar.istio.io/extraStatTags`): Istio
   * reads them when it builds the proxy's bootstrap, which no EnvoyFilter can change. The generator writes
   * them as a pod-template patch beside the workload's resources; values of one key from several filters
   * are merged as comma-separated lists.
   */
  podAnnotations?: Record<string, string>;
  /** `Kind namespace/name` of the resources this filter's config came from. */
  sources: string[];
}

/** The workload a plan is for. */
export interface PlannedWorkload {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  serviceAccount: string;
}

/** Every wasmixer filter of one workload, in filter-chain order. */
export interface WorkloadPlan {
  workload: PlannedWorkload;
  filters: FilterPlan[];
}

/** Sorts filters into chain order: phase, then priority (higher first), then name. */
export function orderFilters(filters: readonly FilterPlan[]): FilterPlan[] {
  return [...filters].sort(
    (a, b) =>
      PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) ||
      b.priority - a.priority ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
