/**
 * The root context of a plugin: it receives vm_start/configure, ticks,
 * callout responses and queue notifications. Callout results are readable
 * only while their callback runs (Envoy keeps them on the root context:
 * `rootContext()->http_call_response_`, `grpc_receive_*`).
 */
import { BufferType } from "./abi.js";
import type { BodyBuffer } from "./buffers.js";
import type { ScheduledTask } from "./clock.js";
import { ContextBase } from "./context-base.js";
import type { HeaderMap } from "./header-map.js";
import { encodePropertyValue, type PropertyTree } from "./properties.js";
import type { WasmVm } from "./vm.js";

/** What contexts need to know about their plugin. */
export interface PluginIdentity {
  readonly name: string;
  readonly rootId: string;
  readonly vmId: string;
  /** Plugin-wide properties given by the test. */
  readonly properties: PropertyTree;
}

export class RootContext extends ContextBase {
  readonly kind = "root" as const;
  /** True only during proxy_on_configure: the plugin configuration buffer is readable. */
  configuring = false;
  /** Set only during on_http_call_response. */
  httpCallResponse: { headers: HeaderMap; body: BodyBuffer; trailers: HeaderMap } | undefined;
  /** Set only during the matching gRPC callback. */
  grpcInitialMetadata: HeaderMap | undefined;
  grpcTrailingMetadata: HeaderMap | undefined;
  grpcMessage: BodyBuffer | undefined;
  tickTask: ScheduledTask | undefined;
  tickPeriodMs = 0;
  /** proxy_on_done returned false: waiting for proxy_done. */
  pendingDone = false;
  deleted = false;

  constructor(vm: WasmVm, id: number, readonly plugin: PluginIdentity) {
    super(vm, id);
  }

  get root(): RootContext {
    return this;
  }

  override streamBuffer(_type: BufferType): BodyBuffer | undefined {
    return undefined;
  }

  lookupProperty(parts: readonly string[]): Uint8Array | undefined {
    return pluginProperty(this.plugin, parts);
  }
}

/** Properties every context sees: the test's plugin properties and Envoy's Wasm-only attributes. */
export function pluginProperty(plugin: PluginIdentity, parts: readonly string[]): Uint8Array | undefined {
  const given = plugin.properties.lookup(parts);
  if (given) return given;
  if (parts.length !== 1) return undefined;
  switch (parts[0]) {
    case "plugin_name": return encodePropertyValue(plugin.name);
    case "plugin_root_id": return encodePropertyValue(plugin.rootId);
    case "plugin_vm_id": return encodePropertyValue(plugin.vmId);
    default: return undefined;
  }
}
