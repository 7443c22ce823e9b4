/**
 * What every context (root, HTTP stream, TCP connection) offers to the host
 * functions. Defaults describe a context that has no stream: Envoy's root
 * context answers map calls with BadArgument, property writes with NotFound,
 * and ignores local replies (envoy source/extensions/common/wasm/context.cc).
 */
import { MapType, Status, StreamType, BufferType } from "./abi.js";
import type { BodyBuffer } from "./buffers.js";
import type { HeaderMap } from "./header-map.js";
import type { LocalReplyRequest } from "./local-reply.js";
import type { WasmVm } from "./vm.js";
import type { RootContext } from "./root-context.js";

export type ContextKind = "root" | "http" | "tcp";

export abstract class ContextBase {
  /** proxy_get_status answer (set by callout failures and gRPC closes). */
  statusCode = 0;
  statusMessage = "";
  /** proxy_on_context_create ran for this context in the VM. */
  createdInVm = false;

  protected constructor(
    /** The VM this context lives in. */
    readonly vm: WasmVm,
    readonly id: number,
  ) {}

  abstract readonly kind: ContextKind;
  abstract readonly root: RootContext;

  /** Header maps 0..3 (request/response headers/trailers). */
  streamMap(_type: MapType, _forWrite: boolean): HeaderMap | undefined {
    return undefined;
  }

  /**
   * The request header map while this context's callback may read and change
   * it, else undefined (what streamMap(HttpRequestHeaders, ...) answers in
   * that case). Read when the VM enters a callback (WasmVm.call).
   */
  openRequestHeaders(): HeaderMap | undefined {
    return undefined;
  }

  /** A stream map type whose absence reads as NotFound instead of BadArgument (Envoy's access-log phase). */
  mapMissingIsNotFound(_type: MapType): boolean {
    return false;
  }

  /** Buffers 0..3 (bodies, connection data). */
  streamBuffer(_type: BufferType): BodyBuffer | undefined {
    return undefined;
  }

  /** Called after a successful header-map mutation (Envoy `onHeadersModified`). */
  onHeadersModified(_type: MapType): void {}

  /** Resolves a property path (byte-string segments). */
  abstract lookupProperty(parts: readonly string[]): Uint8Array | undefined;

  /**
   * proxy_set_property: stores `value` (a copy the context now owns) in filter
   * state under `key`, already prefixed the way Envoy does (filterStateKey).
   */
  setProperty(_key: string, _value: Uint8Array): Status {
    return Status.NotFound;
  }

  /** Deferred local reply; a context without an HTTP stream ignores it (Envoy: no decoder callbacks). */
  sendLocalResponse(_reply: LocalReplyRequest): void {}

  continueStream(type: StreamType): Status {
    if (type === StreamType.Upstream) return Status.Unimplemented;
    return type <= StreamType.Upstream ? Status.Ok : Status.BadArgument;
  }

  closeStream(type: StreamType): Status {
    return type <= StreamType.Upstream ? Status.Ok : Status.BadArgument;
  }

  clearRouteCache(): void {}
}
