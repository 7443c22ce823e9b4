/**
 * The base of every context: an id the host chose, the lifecycle callbacks
 * every context type shares, and the callouts (HTTP and gRPC) whose responses
 * come back to the context that started them.
 */
import { Status } from "./abi";
import { Header } from "./pairs";
import { HttpCallHandler, startHttpCall } from "./http-call";
import { GrpcHandler, GrpcStream, startGrpcCall, startGrpcStream } from "./grpc-call";

/** What a context is; decided when the SDK creates it. */
export const enum ContextKind { Root = 0, Http = 1, Tcp = 2 }

export class Context {
  constructor(readonly id: u32, readonly contextKind: ContextKind) {}

  /** Access-log time (HTTP: before onDone; TCP: after onDone). */
  onLog(): void {}

  /** The host is done with this context; return false to finish later (root contexts: call `done()`). */
  onDone(): bool { return true; }

  /** Last callback; the SDK forgets the context afterwards. */
  onDelete(): void {}

  /**
   * Sends an HTTP request to `cluster`. `headers` must hold `:method`, `:path` and
   * `:authority` (Envoy answers BadArgument otherwise); a `timeoutMs` of 0 means none.
   * The response reaches `handler` with this context as the effective one, so the
   * handler can resume a paused stream or send a local reply.
   */
  httpCall(cluster: string, headers: Header[], body: ArrayBuffer | null, trailers: Header[], timeoutMs: u32, handler: HttpCallHandler): Status {
    return startHttpCall(this.id, cluster, headers, body, trailers, timeoutMs, handler);
  }

  /**
   * Makes a unary gRPC call. `cluster` is an Envoy cluster name (Envoy also accepts a
   * serialized GrpcService). The reply reaches `handler.onGrpcMessage`; a failure
   * reaches `handler.onGrpcClose`.
   */
  grpcCall(cluster: string, service: string, method: string, initialMetadata: Header[], message: ArrayBuffer, timeoutMs: u32, handler: GrpcHandler): Status {
    return startGrpcCall(this.id, cluster, service, method, initialMetadata, message, timeoutMs, handler);
  }

  /** Opens a gRPC stream whose events reach `handler`; null when the host refused it. */
  grpcStream(cluster: string, service: string, method: string, initialMetadata: Header[], handler: GrpcHandler): GrpcStream | null {
    return startGrpcStream(this.id, cluster, service, method, initialMetadata, handler);
  }
}
