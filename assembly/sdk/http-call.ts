/**
 * HTTP callouts (proxy_http_call). The host reports every response on the
 * root context, so the SDK keeps token -> (originating context, handler) and
 * makes the originating context effective again before calling the handler.
 */
import { BufferType, MapType, Status } from "./abi";
import { Context } from "./context";
import { HeaderMap } from "./header-map";
import { Header } from "./pairs";
import { findContext } from "./registry";
import * as host from "./hostcalls";
import { logDebug } from "./log";

/** The response to an HTTP call; readable only while the handler runs. */
export class HttpCallResponse {
  constructor(readonly token: u32, readonly headerCount: u32, readonly bodySize: u32, readonly trailerCount: u32) {}

  /** True when the call failed without a response (reset, buffer overflow). Timeouts arrive as 504. */
  get failed(): bool { return this.headerCount == 0 && this.bodySize == 0 && this.trailerCount == 0; }

  /** Response headers, `:status` included. */
  get headers(): HeaderMap { return new HeaderMap(MapType.HttpCallResponseHeaders); }

  /** Response trailers. */
  get trailers(): HeaderMap { return new HeaderMap(MapType.HttpCallResponseTrailers); }

  /** The `:status` code, or 0 when absent. */
  get status(): u32 {
    const value = this.headers.get(":status");
    return value === null ? 0 : <u32>I32.parseInt(value);
  }

  /** Response body bytes (empty when none). */
  body(): ArrayBuffer {
    if (this.bodySize == 0) return new ArrayBuffer(0);
    const bytes = host.getBufferBytes(BufferType.HttpCallResponseBody, 0, this.bodySize);
    return bytes === null ? new ArrayBuffer(0) : bytes;
  }

  /** Response body decoded as UTF-8. */
  bodyText(): string {
    return String.UTF8.decode(this.body());
  }
}

/** Receives the response of an HTTP call. */
export abstract class HttpCallHandler {
  /** `context` is the context that made the call; it is the effective context now. */
  abstract onHttpCallResponse(context: Context, response: HttpCallResponse): void;
}

class PendingHttpCall {
  constructor(readonly contextId: u32, readonly handler: HttpCallHandler) {}
}

const pendingHttpCalls = new Map<u32, PendingHttpCall>();

/** @internal Context.httpCall does the public work. */
export function startHttpCall(contextId: u32, cluster: string, headers: Header[], body: ArrayBuffer | null, trailers: Header[], timeoutMs: u32, handler: HttpCallHandler): Status {
  const token = host.httpCall(cluster, headers, body === null ? new ArrayBuffer(0) : body, trailers, timeoutMs);
  const status = host.lastHostStatus();
  if (status == Status.Ok) pendingHttpCalls.set(token, new PendingHttpCall(contextId, handler));
  return status;
}

/** @internal Called from proxy_on_http_call_response. */
export function deliverHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {
  if (!pendingHttpCalls.has(token)) return;
  const pending = pendingHttpCalls.get(token);
  pendingHttpCalls.delete(token);
  const context = findContext(pending.contextId);
  if (context === null) {
    logDebug("http call response for a deleted context dropped");
    return;
  }
  host.setEffectiveContext(context.id);
  pending.handler.onHttpCallResponse(context, new HttpCallResponse(token, headerCount, bodySize, trailerCount));
}
