import type { FilterPlan, TrafficMode, WorkloadPlan } from "../config/workload-plan.js";
import { envoyFilterName, wasmFilterMessage, WASM_FILTER_TYPE_URL, WASM_NETWORK_FILTER_TYPE_URL } from "./wasm-filter-config.js";

/** How the Wasm filter config reaches Envoy: inside the listener, or by name over ECDS. */
export type FilterDelivery = "inline" | "ecds";

export const MANAGED_BY_LABEL = { "app.kubernetes.io/managed-by": "wasmixer" };
export const ROUTE_NAME = "wasmixer-cluster-header";

type PatchContext = "SIDECAR_INBOUND" | "SIDECAR_OUTBOUND";

function contextsOf(mode: TrafficMode): PatchContext[] {
  if (mode === "CLIENT") return ["SIDECAR_OUTBOUND"];
  if (mode === "SERVER") return ["SIDECAR_INBOUND"];
  return ["SIDECAR_INBOUND", "SIDECAR_OUTBOUND"];
}

function beforeRouter(context: PatchContext): Record<string, unknown> {
  return {
    context,
    listener: {
      filterChain: {
        filter: {
          name: "envoy.filters.network.http_connection_manager",
          subFilter: { name: "envoy.filters.http.router" },
        },
      },
    },
  };
}

/** Network filters go before Istio's TCP proxy, so they only land in TCP filter chains. */
function beforeTcpProxy(context: PatchContext): Record<string, unknown> {
  return { context, listener: { filterChain: { filter: { name: "envoy.filters.network.tcp_proxy" } } } };
}

function filterPatches(filter: FilterPlan, code: Record<string, unknown>, delivery: FilterDelivery): Record<string, unknown>[] {
  const name = envoyFilterName(filter);
  const network = filter.type === "NETWORK";
  const typeUrl = network ? WASM_NETWORK_FILTER_TYPE_URL : WASM_FILTER_TYPE_URL;
  const typedConfig = { "@type": typeUrl, ...wasmFilterMessage(filter, code) };
  const patches: Record<string, unknown>[] = [];
  if (delivery === "ecds") {
    // Istio serves an EXTENSION_CONFIG only to proxies that ask for it by name (pilot/pkg/networking/core/
    // envoyfilter/extension_configuration_patch.go), i.e. those whose listener references it below.
    patches.push({ applyTo: "EXTENSION_CONFIG", patch: { operation: "ADD", value: { name, typed_config: typedConfig } } });
  }
  for (const context of contextsOf(filter.mode)) {
    // Each INSERT_BEFORE lands right before the router, so patches applied in plan order keep plan order.
    const value =
      delivery === "inline"
        ? { name, typed_config: typedConfig }
        : {
            name,
            config_discovery: {
              config_source: { ads: {}, initial_fetch_timeout: "0s", resource_api_version: "V3" },
              type_urls: [typeUrl],
            },
          };
    patches.push({
      applyTo: network ? "NETWORK_FILTER" : "HTTP_FILTER",
      match: network ? beforeTcpProxy(context) : beforeRouter(context),
      patch: { operation: "INSERT_BEFORE", value },
    });
  }
  return patches;
}

/**
 * Route patches for filters that pick the cluster themselves: a catch-all route using `cluster_header`,
 * inserted first in each outbound virtual host (`<host>:<port>` in route configuration `<port>`, named as
 * Istio names them: pilot/pkg/networking/util `DomainName`). Istio's HTTP_ROUTE INSERT_FIRST without a
 * route match prepends the route (pilot/pkg/networking/core/envoyfilter/rc_patch.go), so Istio's own routes
 * for the host stay behind it, unused.
 */
export function routePatches(filters: readonly FilterPlan[]): Record<string, unknown>[] {
  const patches: Record<string, unknown>[] = [];
  for (const filter of filters) {
    if (!filter.clusterHeaderRouting) continue;
    for (const { host, port } of filter.clusterHeaderRouting.virtualHosts) {
      patches.push({
        applyTo: "HTTP_ROUTE",
        match: { context: "SIDECAR_OUTBOUND", routeConfiguration: { portNumber: port, vhost: { name: `${host}:${port}` } } },
        patch: {
          operation: "INSERT_FIRST",
          value: {
            name: ROUTE_NAME,
            match: { prefix: "/" },
            route: { cluster_header: filter.clusterHeaderRouting.header, timeout: "0s" },
          },
        },
      });
    }
  }
  return patches;
}

function envoyFilter(plan: WorkloadPlan, name: string, configPatches: Record<string, unknown>[]): Record<string, unknown> {
  return {
    apiVersion: "networking.istio.io/v1alpha3",
    kind: "EnvoyFilter",
    metadata: { name, namespace: plan.workload.namespace, labels: { ...MANAGED_BY_LABEL } },
    spec: { workloadSelector: { labels: { ...plan.workload.labels } }, configPatches },
  };
}

/** The EnvoyFilter inserting every filter of a plan (and its route patches), or undefined for an empty plan. */
export function buildEnvoyFilter(
  plan: WorkloadPlan,
  codeFor: (filter: FilterPlan) => Record<string, unknown>,
  delivery: FilterDelivery,
): Record<string, unknown> | undefined {
  if (plan.filters.length === 0) return undefined;
  const patches = plan.filters.flatMap((filter) => filterPatches(filter, codeFor(filter), delivery));
  return envoyFilter(plan, `wasmixer-${plan.workload.name}`, [...patches, ...routePatches(plan.filters)]);
}

/** With WasmPlugins carrying the filters, an EnvoyFilter is still needed for route patches, if any. */
export function buildRouteOnlyEnvoyFilter(plan: WorkloadPlan): Record<string, unknown> | undefined {
  const patches = routePatches(plan.filters);
  return patches.length > 0 ? envoyFilter(plan, `wasmixer-${plan.workload.name}-routes`, patches) : undefined;
}
