import type { FilterPlan } from "../config/workload-plan.js";

export const WASM_FILTER_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
/** The network (TCP) form of the Wasm filter: same `config` message (envoy/extensions/filters/network/wasm/v3/wasm.proto). */
export const WASM_NETWORK_FILTER_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm";
export const STRING_VALUE_TYPE_URL = "type.googleapis.com/google.protobuf.StringValue";

/** The name of a wasmixer filter in Envoy's filter chain (and of its ECDS resource). */
export function envoyFilterName(filter: FilterPlan): string {
  return `wasmixer.${filter.name}`;
}

/**
 * The `envoy.extensions.filters.http.wasm.v3.Wasm` message (proto3 JSON, snake_case) for one filter.
 * The plugin configuration travels as a `google.protobuf.StringValue`, which Envoy hands to
 * `proxy_on_configure` without the wrapper (envoy/extensions/wasm/v3/wasm.proto, `PluginConfig.configuration`).
 * `root_id` is the filter name: the module's root context registers under it.
 */
export function wasmFilterMessage(filter: FilterPlan, code: Record<string, unknown>): Record<string, unknown> {
  return {
    config: {
      name: envoyFilterName(filter),
      root_id: filter.name,
      vm_config: {
        vm_id: `wasmixer.${filter.module}`,
        runtime: "envoy.wasm.runtime.v8",
        code,
      },
      configuration: { "@type": STRING_VALUE_TYPE_URL, value: JSON.stringify(filter.config) },
      fail_open: filter.failStrategy === "FAIL_OPEN",
    },
  };
}
