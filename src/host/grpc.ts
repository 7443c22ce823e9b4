/**
 * gRPC callouts (proxy_grpc_call, proxy_grpc_stream, proxy_grpc_send,
 * proxy_grpc_cancel, proxy_grpc_close), answered in-process by tests or by a
 * cluster's gRPC handler. Delivery follows Envoy (envoy
 * source/extensions/common/wasm/context.cc `GrpcCallClientHandler`,
 * `GrpcStreamClientHandler`, `onGrpcReceiveWrapper`, `onGrpcCloseWrapper`):
 * - a unary call that succeeds gets on_grpc_receive only; one that fails gets
 *   on_grpc_close(token, status) and get_status returns (status, message);
 * - a stream gets on_grpc_receive_initial_metadata, on_grpc_receive (per
 *   message), on_grpc_receive_trailing_metadata and on_grpc_close.
 * Call tokens are odd and stream tokens even, as in Envoy's `nextGrpcCallId`/`nextGrpcStreamId`.
 */
import type { HeadersInput } from "./header-map.js";

export interface GrpcCallRequest {
  readonly id: number;
  readonly kind: "call" | "stream";
  readonly cluster: string;
  readonly service: string;
  readonly method: string;
  readonly initialMetadata: [string, string][];
  /** The request message of a unary call (empty for streams). */
  readonly message: Uint8Array;
  /** Messages sent on a stream with proxy_grpc_send. */
  readonly sentMessages: Uint8Array[];
  /** 0 means no timeout. */
  readonly timeoutMs: number;
  /** The module half-closed the stream (end_stream or proxy_grpc_close). */
  localClosed: boolean;
}

/** The answer to a unary call. status defaults to 0 (OK). */
export interface GrpcCallResponse {
  status?: number;
  statusMessage?: string;
  message?: string | Uint8Array;
  initialMetadata?: HeadersInput;
  trailingMetadata?: HeadersInput;
}

/** Answers gRPC calls in-process; undefined leaves the call pending. */
export type GrpcCallHandler = (request: GrpcCallRequest) => GrpcCallResponse | undefined | Promise<GrpcCallResponse | undefined>;

/** One event on a gRPC stream, driven by a test. */
export type GrpcStreamEvent =
  | { initialMetadata: HeadersInput }
  | { message: string | Uint8Array }
  | { close: { status: number; message?: string; trailingMetadata?: HeadersInput } };

/** What Envoy's async client reports when a gRPC call times out. */
export const GRPC_TIMEOUT = { status: 4, statusMessage: "upstream request timeout" } as const;
