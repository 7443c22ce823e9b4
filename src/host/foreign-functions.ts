/**
 * Foreign functions (proxy_call_foreign_function): a registry of named host
 * extensions. Envoy registers its own (envoy source/extensions/common/wasm/foreign.cc);
 * this host ships `clear_route_cache` and `verify_signature` (verify-signature.ts) and lets
 * plugins and tests add more.
 */
import { Status } from "./abi.js";
import { verifySignature } from "./verify-signature.js";

/** What a foreign function sees besides its arguments. */
export interface ForeignCall {
  /** Id of the context that called it (after proxy_set_effective_context). */
  readonly contextId: number;
  /** Clears the route cache of the calling stream (no-op outside one). */
  clearRouteCache(): void;
  log(message: string): void;
}

/**
 * A foreign function: returns result bytes, nothing (Ok with no data), or a
 * status to fail with.
 */
export type ForeignFunction = (args: Uint8Array, call: ForeignCall) => Uint8Array | string | undefined | { status: Status };

/**
 * `clear_route_cache` (Envoy 1.33+, foreign.cc): ignores its arguments, clears
 * the route cache of the current stream and returns Ok with no data.
 */
export const clearRouteCache: ForeignFunction = (_args, call) => {
  call.clearRouteCache();
  return undefined;
};

/** The functions every plugin has unless it overrides them. */
export function defaultForeignFunctions(): Map<string, ForeignFunction> {
  return new Map<string, ForeignFunction>([
    ["clear_route_cache", clearRouteCache],
    ["verify_signature", verifySignature],
  ]);
}
