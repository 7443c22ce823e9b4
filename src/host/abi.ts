/**
 * The proxy-wasm ABI v0.2.1 enums as seen from the host side. The values are the
 * spec's (proxy-wasm/spec abi-versions/v0.2.1) and match `assembly/sdk/abi.ts`.
 *
 * They are const enums: tsc writes the numbers where they are used, so a host
 * function compares and returns literals instead of loading a property of an
 * imported object on every call (a header get was ~4% faster), and
 * `preserveConstEnums` still emits the objects for JavaScript callers.
 */

/** proxy_status_t: what every host function returns. 11 is Envoy's BrokenConnection. */
export const enum Status {
  Ok = 0, NotFound = 1, BadArgument = 2, SerializationFailure = 3, ParseFailure = 4,
  InvalidMemoryAccess = 6, Empty = 7, CasMismatch = 8, InternalFailure = 10,
  BrokenConnection = 11, Unimplemented = 12,
}

/** proxy_action_t: what a stream callback returns. */
export const enum Action { Continue = 0, Pause = 1 }

/** proxy_log_level_t */
export const enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 }

/** proxy_buffer_type_t */
export const enum BufferType {
  HttpRequestBody = 0, HttpResponseBody = 1, DownstreamData = 2, UpstreamData = 3,
  HttpCallResponseBody = 4, GrpcCallMessage = 5, VmConfiguration = 6,
  PluginConfiguration = 7, ForeignFunctionArguments = 8,
}

/** proxy_map_type_t */
export const enum MapType {
  HttpRequestHeaders = 0, HttpRequestTrailers = 1, HttpResponseHeaders = 2,
  HttpResponseTrailers = 3, GrpcCallInitialMetadata = 4, GrpcCallTrailingMetadata = 5,
  HttpCallResponseHeaders = 6, HttpCallResponseTrailers = 7,
}

/** proxy_stream_type_t */
export const enum StreamType { HttpRequest = 0, HttpResponse = 1, Downstream = 2, Upstream = 3 }

/** proxy_metric_type_t */
export const enum MetricType { Counter = 0, Gauge = 1, Histogram = 2 }

/** proxy_peer_type_t: who closed a TCP connection. */
export const enum PeerType { Unknown = 0, Local = 1, Remote = 2 }

/** gRPC status codes 0..16 (grpc/grpc doc/statuscodes.md). */
export const enum GrpcStatus {
  Ok = 0, Cancelled = 1, Unknown = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5,
  AlreadyExists = 6, PermissionDenied = 7, ResourceExhausted = 8, FailedPrecondition = 9,
  Aborted = 10, OutOfRange = 11, Unimplemented = 12, Internal = 13, Unavailable = 14,
  DataLoss = 15, Unauthenticated = 16,
}
