/**
 * The wasmixer AssemblyScript SDK for proxy-wasm ABI 0.2.1.
 *
 * A filter's entry file re-exports the ABI callbacks and registers its root
 * context:
 *
 * ```ts
 * export * from "../../sdk/exports";
 * import { registerRootContext, RootContext, HttpContext, Action } from "../../sdk";
 * ```
 *
 * Layers: `abi.ts` (raw host functions), `hostcalls.ts` (typed host calls),
 * and the context classes plus one helper module per concept.
 */
export { Action, BufferType, LogLevel, MapType, MetricType, PeerType, Status, StreamType } from "./abi";
export { Header } from "./pairs";
export { Context, ContextKind } from "./context";
export { RootContext } from "./root-context";
export { HttpContext } from "./http-context";
export { TcpContext } from "./tcp-context";
export { registerRootContext, RootContextFactory } from "./registry";
export { HeaderMap, requestHeaders, requestTrailers, responseHeaders, responseTrailers } from "./header-map";
export { HostBuffer, requestBody, responseBody, downstreamData, upstreamData, pluginConfiguration, vmConfiguration } from "./host-buffer";
export { isLogEnabled, log, logTrace, logDebug, logInfo, logWarn, logError, logCritical } from "./log";
export { Counter, Gauge, Histogram } from "./metrics";
export { HttpCallHandler, HttpCallResponse } from "./http-call";
export { GrpcHandler, GrpcStream } from "./grpc-call";
export { SharedDataValue, getSharedData, setSharedData, setSharedDataText } from "./shared-data";
export { SharedQueue } from "./shared-queue";
export { getProperty, getPropertyString, getPropertyInt, getPropertyBool, setProperty, setPropertyString } from "./properties";
export * from "./attributes";
export { ForeignFunctionResult, SignatureVerification, callForeignFunction, clearRouteCache, verifySignature } from "./foreign";
export { JsonType, JsonValue, JsonNull, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject, JsonParseResult, parseJson, parseJsonBytes, DEFAULT_MAX_DEPTH } from "./json";
export { getCurrentTimeNanoseconds, lastHostStatus } from "./hostcalls";
