import type { FunctionSignature } from "./wasm-interface.js";

/**
 * Names from older proxy-wasm ABIs and SDKs that still turn up in modules
 * built for ABI 0.2.1.
 *
 * Source: proxy-wasm-cpp-host src/wasm.cc (`WasmBase::registerCallbacks`,
 * `WasmBase::getFunctions`), the host Envoy embeds.
 */

/**
 * Host functions that exist only for ABI 0.1.0: cpp-host registers them only
 * when the module's ABI marker is `proxy_abi_version_0_1_0`, so a 0.2.1 module
 * importing them fails to link ("missing import").
 */
export const ABI_0_1_0_ONLY_IMPORTS: Readonly<Record<string, string>> = {
  proxy_get_configuration: "read the configuration with proxy_get_buffer_bytes (VM_CONFIGURATION / PLUGIN_CONFIGURATION)",
  proxy_continue_request: "use proxy_continue_stream(HTTP_REQUEST)",
  proxy_continue_response: "use proxy_continue_stream(HTTP_RESPONSE)",
  proxy_clear_route_cache: "Envoy clears the route cache itself when ABI 0.2.1 request headers change; or call the foreign function clear_route_cache",
};

/**
 * Callbacks outside ABI 0.2.1 that cpp-host still looks up by name for every
 * ABI version, with the signature it wants. It never calls them for ABI 0.2.1
 * in a way the spec promises, but an export of that name with another
 * signature still fails the load ("Bad function signature").
 */
export const LEGACY_CALLBACKS: Readonly<Record<string, FunctionSignature>> = {
  proxy_validate_configuration: { params: ["i32", "i32"], results: ["i32"] },
  proxy_on_request_metadata: { params: ["i32", "i32"], results: ["i32"] },
  proxy_on_response_metadata: { params: ["i32", "i32"], results: ["i32"] },
};

/**
 * ABI markers. cpp-host takes the first `proxy_abi_version_*` function export
 * in export order (`V8::getAbiVersion`), so a stale marker next to the 0.2.1
 * one can make Envoy treat the module as another ABI.
 */
export const ABI_MARKERS: Readonly<Record<string, string>> = {
  proxy_abi_version_0_1_0: "0.1.0",
  proxy_abi_version_0_2_0: "0.2.0",
  proxy_abi_version_0_2_1: "0.2.1",
};
