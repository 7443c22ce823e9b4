/**
 * The Node.js proxy-wasm host (ABI v0.2.1): runs the same .wasm files Envoy
 * runs, for tests (like Go's proxytest) and as a local data plane.
 * Where it departs from Envoy: DEPARTURES.md.
 */
export { Action, BufferType, GrpcStatus, LogLevel, MapType, MetricType, PeerType, Status, StreamType } from "./abi.js";
export { ProxyHost, type ProxyHostOptions } from "./host.js";
export { Plugin, type FailurePolicy, type PluginOptions } from "./plugin.js";
export { HttpContext, type HttpContextOptions, type HttpStreamListener, type StreamBinding } from "./http-context.js";
export { TcpContext, type TcpContextOptions } from "./tcp-context.js";
export { PluginLoadError } from "./errors.js";
export type { LogEntry } from "./logs.js";
export type { LocalResponse } from "./local-reply.js";
export {
  MetricRegistry, DEFAULT_HISTOGRAM_BUCKETS, WASM_STAT_PREFIX, extractTags, type Metric, type HistogramSnapshot,
} from "./metrics.js";
export { SharedData, type SharedValue } from "./shared-data.js";
export { SharedQueues } from "./shared-queues.js";
export { HostClock, type ClockMode, type ScheduledTask } from "./clock.js";
export {
  UPSTREAM_TIMEOUT_RESPONSE, UPSTREAM_CONNECT_FAILURE_RESPONSE,
  type ClusterConfig, type HttpCallHandler, type HttpCallOutcome, type HttpCallRequest, type HttpCallResponse,
} from "./http-call.js";
export { type GrpcCallHandler, type GrpcCallRequest, type GrpcCallResponse, type GrpcStreamEvent } from "./grpc.js";
export { clearRouteCache, type ForeignCall, type ForeignFunction } from "./foreign-functions.js";
export { encodePropertyValue, type PropertyValue } from "./properties.js";
export { HeaderMap, type HeadersInput } from "./header-map.js";
export { serializePairs, parsePairs } from "./memory.js";
