/**
 * gRPC calls and streams. As with HTTP callouts, the SDK keeps
 * token -> (originating context, handler) and makes the originating context
 * effective before each handler method runs.
 *
 * Envoy reports a unary call exactly once: the reply through
 * proxy_on_grpc_receive or a failure through proxy_on_grpc_close. A stream
 * gets initial metadata, messages, trailing metadata, then close.
 */
import { BufferType, MapType, Status } from "./abi";
import { Context } from "./context";
import { Header } from "./pairs";
import { findContext } from "./registry";
import * as host from "./hostcalls";

/** Receives gRPC events; override what you need. */
export abstract class GrpcHandler {
  onGrpcInitialMetadata(context: Context, metadata: Header[]): void {}
  onGrpcMessage(context: Context, message: ArrayBuffer): void {}
  onGrpcTrailingMetadata(context: Context, metadata: Header[]): void {}
  /** `status` is the gRPC status code; `message` the host's status message. */
  onGrpcClose(context: Context, status: u32, message: string): void {}
}

/** An open gRPC stream. */
export class GrpcStream {
  constructor(readonly token: u32) {}

  /** Sends one message; `endOfStream` half-closes the stream. */
  send(message: ArrayBuffer, endOfStream: bool = false): Status {
    return host.grpcSend(this.token, message, endOfStream);
  }

  /** Cancels the stream; no further callbacks arrive. */
  cancel(): Status {
    forget(this.token);
    return host.grpcCancel(this.token);
  }

  /** Closes the stream gracefully. */
  close(): Status {
    return host.grpcClose(this.token);
  }
}

class PendingGrpc {
  constructor(readonly contextId: u32, readonly handler: GrpcHandler, readonly unary: bool) {}
}

const pendingGrpc = new Map<u32, PendingGrpc>();

function forget(token: u32): void {
  if (pendingGrpc.has(token)) pendingGrpc.delete(token);
}

/** @internal */
export function startGrpcCall(contextId: u32, cluster: string, service: string, method: string, metadata: Header[], message: ArrayBuffer, timeoutMs: u32, handler: GrpcHandler): Status {
  const token = host.grpcCall(cluster, service, method, metadata, message, timeoutMs);
  const status = host.lastHostStatus();
  if (status == Status.Ok) pendingGrpc.set(token, new PendingGrpc(contextId, handler, true));
  return status;
}

/** @internal */
export function startGrpcStream(contextId: u32, cluster: string, service: string, method: string, metadata: Header[], handler: GrpcHandler): GrpcStream | null {
  const token = host.grpcStream(cluster, service, method, metadata);
  if (host.lastHostStatus() != Status.Ok) return null;
  pendingGrpc.set(token, new PendingGrpc(contextId, handler, false));
  return new GrpcStream(token);
}

/** Looks up `token`, makes its context effective and returns the entry; null when unknown or orphaned. */
function enter(token: u32, finished: bool): PendingGrpc | null {
  if (!pendingGrpc.has(token)) return null;
  const pending = pendingGrpc.get(token);
  if (finished) pendingGrpc.delete(token);
  if (findContext(pending.contextId) === null) {
    pendingGrpc.delete(token);
    return null;
  }
  host.setEffectiveContext(pending.contextId);
  return pending;
}

/** @internal */
export function deliverGrpcInitialMetadata(token: u32): void {
  const pending = enter(token, false);
  if (pending === null) return;
  pending.handler.onGrpcInitialMetadata(findContext(pending.contextId)!, host.getHeaderMapPairs(MapType.GrpcCallInitialMetadata));
}

/** @internal */
export function deliverGrpcMessage(token: u32, messageSize: u32): void {
  if (!pendingGrpc.has(token)) return;
  const pending = enter(token, pendingGrpc.get(token).unary);
  if (pending === null) return;
  const message = messageSize == 0 ? new ArrayBuffer(0) : host.getBufferBytes(BufferType.GrpcCallMessage, 0, messageSize);
  pending.handler.onGrpcMessage(findContext(pending.contextId)!, message === null ? new ArrayBuffer(0) : message);
}

/** @internal */
export function deliverGrpcTrailingMetadata(token: u32): void {
  const pending = enter(token, false);
  if (pending === null) return;
  pending.handler.onGrpcTrailingMetadata(findContext(pending.contextId)!, host.getHeaderMapPairs(MapType.GrpcCallTrailingMetadata));
}

/** @internal */
export function deliverGrpcClose(token: u32, statusCode: u32): void {
  // Read while the root context is still the effective one: the status belongs to it
  // (Envoy answers get_status from the root context either way).
  const status = host.getStatus();
  const pending = enter(token, true);
  if (pending === null) return;
  pending.handler.onGrpcClose(findContext(pending.contextId)!, statusCode, status.message);
}
