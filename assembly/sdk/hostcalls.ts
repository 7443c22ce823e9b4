/**
 * Typed host calls: one function per ABI 0.2.1 host function, taking and
 * returning AssemblyScript values instead of pointers. No policy lives here;
 * the context classes and helpers build on these.
 *
 * Functions that return data give `null` (or 0) when the host answered with a
 * status other than Ok; {@link lastHostStatus} then tells which.
 */
import * as abi from "./abi";
import { LogLevel, Status } from "./abi";
import { Header, decodePairs, encodePairs } from "./pairs";
import { RETURN_POINTER, RETURN_SIZE, RETURN_U64, resetReturnSlots, takeReturnedBytes, takeReturnedString, utf8 } from "./memory";

let lastStatus: Status = Status.Ok;

/** Status of the most recent host call made through this module. */
export function lastHostStatus(): Status {
  return lastStatus;
}

function record(status: u32): Status {
  lastStatus = <Status>status;
  return <Status>status;
}

function ptr(buffer: ArrayBuffer): usize {
  return changetype<usize>(buffer);
}

// ------------------------------------------------------------ context

/** Makes `contextId` the context later host calls act on. */
export function setEffectiveContext(contextId: u32): Status {
  return record(abi.proxy_set_effective_context(contextId));
}

/** Tells the host a root context that returned false from on_done has finished. */
export function done(): Status {
  return record(abi.proxy_done());
}

// ------------------------------------------------------------ logging, clock, timers

/** proxy_log: writes `message` at `level`, without checking the host's level first. */
export function log(level: LogLevel, message: string): Status {
  const bytes = utf8(message);
  return record(abi.proxy_log(level, ptr(bytes), bytes.byteLength));
}

/** The host's current log level; Trace when the host cannot say. */
export function getLogLevel(): LogLevel {
  store<u32>(RETURN_POINTER, LogLevel.Trace);
  record(abi.proxy_get_log_level(RETURN_POINTER));
  return <LogLevel>load<u32>(RETURN_POINTER);
}

/** Host wall-clock time, Unix nanoseconds. */
export function getCurrentTimeNanoseconds(): u64 {
  store<u64>(RETURN_U64, 0);
  record(abi.proxy_get_current_time_nanoseconds(RETURN_U64));
  return load<u64>(RETURN_U64);
}

/** Asks for proxy_on_tick on the current root context every `periodMs` (0 stops). */
export function setTickPeriodMilliseconds(periodMs: u32): Status {
  return record(abi.proxy_set_tick_period_milliseconds(periodMs));
}

// ------------------------------------------------------------ buffers

/** Up to `maxSize` bytes of buffer `type` from `start`; null when the buffer is not available. */
export function getBufferBytes(type: abi.BufferType, start: u32, maxSize: u32): ArrayBuffer | null {
  resetReturnSlots();
  if (record(abi.proxy_get_buffer_bytes(type, start, maxSize, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return null;
  return takeReturnedBytes();
}

/** Size of buffer `type`, or -1 when it is not available. */
export function getBufferSize(type: abi.BufferType): i64 {
  store<usize>(RETURN_SIZE, 0);
  if (record(abi.proxy_get_buffer_status(type, RETURN_SIZE, RETURN_POINTER)) != Status.Ok) return -1;
  return <i64>load<usize>(RETURN_SIZE);
}

/** Replaces `size` bytes at `start` with `value` (prepend: 0,0; append: start past the end). */
export function setBufferBytes(type: abi.BufferType, start: u32, size: u32, value: ArrayBuffer): Status {
  return record(abi.proxy_set_buffer_bytes(type, start, size, ptr(value), value.byteLength));
}

// ------------------------------------------------------------ header maps

/** Every entry of `map`; empty when the map is not available. */
export function getHeaderMapPairs(map: abi.MapType): Header[] {
  resetReturnSlots();
  if (record(abi.proxy_get_header_map_pairs(map, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return new Array<Header>();
  return decodePairs(takeReturnedBytes());
}

/** Replaces the whole of `map`. */
export function setHeaderMapPairs(map: abi.MapType, pairs: Header[]): Status {
  const encoded = encodePairs(pairs);
  return record(abi.proxy_set_header_map_pairs(map, ptr(encoded), encoded.byteLength));
}

/** First value of header `name`, or null when absent. */
export function getHeaderMapValue(map: abi.MapType, name: string): string | null {
  const key = utf8(name);
  resetReturnSlots();
  if (record(abi.proxy_get_header_map_value(map, ptr(key), key.byteLength, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return null;
  return takeReturnedString();
}

/** Appends an entry to `map`. */
export function addHeaderMapValue(map: abi.MapType, name: string, value: string): Status {
  const key = utf8(name);
  const bytes = utf8(value);
  return record(abi.proxy_add_header_map_value(map, ptr(key), key.byteLength, ptr(bytes), bytes.byteLength));
}

/** Removes every `name` entry of `map` and adds one with `value`. */
export function replaceHeaderMapValue(map: abi.MapType, name: string, value: string): Status {
  const key = utf8(name);
  const bytes = utf8(value);
  return record(abi.proxy_replace_header_map_value(map, ptr(key), key.byteLength, ptr(bytes), bytes.byteLength));
}

/** Removes every `name` entry of `map`. */
export function removeHeaderMapValue(map: abi.MapType, name: string): Status {
  const key = utf8(name);
  return record(abi.proxy_remove_header_map_value(map, ptr(key), key.byteLength));
}

// ------------------------------------------------------------ streams and local replies

/** Resumes a paused direction of the current stream. */
export function continueStream(type: abi.StreamType): Status {
  return record(abi.proxy_continue_stream(type));
}

/** Closes (resets) a direction of the current stream. */
export function closeStream(type: abi.StreamType): Status {
  return record(abi.proxy_close_stream(type));
}

/** Replies to the current request from the filter. */
export function sendLocalResponse(statusCode: u32, details: string, body: ArrayBuffer, headers: Header[], grpcStatus: i32): Status {
  const detailBytes = utf8(details);
  const headerBytes = encodePairs(headers);
  return record(abi.proxy_send_local_response(
    statusCode, ptr(detailBytes), detailBytes.byteLength, ptr(body), body.byteLength,
    ptr(headerBytes), headerBytes.byteLength, grpcStatus,
  ));
}

/** What proxy_get_status returned: a status code and its message. */
export class HostStatusMessage {
  constructor(public code: u32, public message: string) {}
}

/** Status of the last gRPC call/stream or failed HTTP call, as the host reports it inside the callback. */
export function getStatus(): HostStatusMessage {
  store<u32>(RETURN_U64, 0);
  resetReturnSlots();
  if (record(abi.proxy_get_status(RETURN_U64, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return new HostStatusMessage(0, "");
  const code = load<u32>(RETURN_U64);
  return new HostStatusMessage(code, takeReturnedString());
}

// ------------------------------------------------------------ HTTP and gRPC callouts

/** Starts an HTTP call; returns its token (valid only when {@link lastHostStatus} is Ok). */
export function httpCall(upstream: string, headers: Header[], body: ArrayBuffer, trailers: Header[], timeoutMs: u32): u32 {
  const upstreamBytes = utf8(upstream);
  const headerBytes = encodePairs(headers);
  const trailerBytes = encodePairs(trailers);
  store<u32>(RETURN_POINTER, 0);
  record(abi.proxy_http_call(
    ptr(upstreamBytes), upstreamBytes.byteLength, ptr(headerBytes), headerBytes.byteLength,
    ptr(body), body.byteLength, ptr(trailerBytes), trailerBytes.byteLength, timeoutMs, RETURN_POINTER,
  ));
  return load<u32>(RETURN_POINTER);
}

/** Starts a unary gRPC call; returns its token (valid only when {@link lastHostStatus} is Ok). */
export function grpcCall(upstream: string, service: string, method: string, metadata: Header[], message: ArrayBuffer, timeoutMs: u32): u32 {
  const upstreamBytes = utf8(upstream);
  const serviceBytes = utf8(service);
  const methodBytes = utf8(method);
  const metadataBytes = encodePairs(metadata);
  store<u32>(RETURN_POINTER, 0);
  record(abi.proxy_grpc_call(
    ptr(upstreamBytes), upstreamBytes.byteLength, ptr(serviceBytes), serviceBytes.byteLength,
    ptr(methodBytes), methodBytes.byteLength, ptr(metadataBytes), metadataBytes.byteLength,
    ptr(message), message.byteLength, timeoutMs, RETURN_POINTER,
  ));
  return load<u32>(RETURN_POINTER);
}

/** Opens a gRPC stream; returns its token (valid only when {@link lastHostStatus} is Ok). */
export function grpcStream(upstream: string, service: string, method: string, metadata: Header[]): u32 {
  const upstreamBytes = utf8(upstream);
  const serviceBytes = utf8(service);
  const methodBytes = utf8(method);
  const metadataBytes = encodePairs(metadata);
  store<u32>(RETURN_POINTER, 0);
  record(abi.proxy_grpc_stream(
    ptr(upstreamBytes), upstreamBytes.byteLength, ptr(serviceBytes), serviceBytes.byteLength,
    ptr(methodBytes), methodBytes.byteLength, ptr(metadataBytes), metadataBytes.byteLength, RETURN_POINTER,
  ));
  return load<u32>(RETURN_POINTER);
}

/** Sends a message on a gRPC stream. */
export function grpcSend(token: u32, message: ArrayBuffer, endOfStream: bool): Status {
  return record(abi.proxy_grpc_send(token, ptr(message), message.byteLength, endOfStream ? 1 : 0));
}

/** Cancels a gRPC call or stream. */
export function grpcCancel(token: u32): Status {
  return record(abi.proxy_grpc_cancel(token));
}

/** Half-closes a gRPC stream (or cancels a call). */
export function grpcClose(token: u32): Status {
  return record(abi.proxy_grpc_close(token));
}

// ------------------------------------------------------------ shared data and queues

/** Value of shared-data `key` (null when absent); its CAS is in {@link lastSharedDataCas}. */
export function getSharedData(key: string): ArrayBuffer | null {
  const keyBytes = utf8(key);
  resetReturnSlots();
  store<u32>(RETURN_U64, 0);
  if (record(abi.proxy_get_shared_data(ptr(keyBytes), keyBytes.byteLength, RETURN_POINTER, RETURN_SIZE, RETURN_U64)) != Status.Ok) return null;
  return takeReturnedBytes();
}

/** CAS token returned by the last {@link getSharedData}. */
export function lastSharedDataCas(): u32 {
  return load<u32>(RETURN_U64);
}

/** Writes shared data; `cas` 0 writes unconditionally. */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32): Status {
  const keyBytes = utf8(key);
  return record(abi.proxy_set_shared_data(ptr(keyBytes), keyBytes.byteLength, ptr(value), value.byteLength, cas));
}

/** Registers a queue owned by the current root context; returns its id. */
export function registerSharedQueue(name: string): u32 {
  const nameBytes = utf8(name);
  store<u32>(RETURN_POINTER, 0);
  record(abi.proxy_register_shared_queue(ptr(nameBytes), nameBytes.byteLength, RETURN_POINTER));
  return load<u32>(RETURN_POINTER);
}

/** Finds the queue `name` of VM `vmId`; returns its id. */
export function resolveSharedQueue(vmId: string, name: string): u32 {
  const vmIdBytes = utf8(vmId);
  const nameBytes = utf8(name);
  store<u32>(RETURN_POINTER, 0);
  record(abi.proxy_resolve_shared_queue(ptr(vmIdBytes), vmIdBytes.byteLength, ptr(nameBytes), nameBytes.byteLength, RETURN_POINTER));
  return load<u32>(RETURN_POINTER);
}

/** Adds an item to a queue. */
export function enqueueSharedQueue(queueId: u32, value: ArrayBuffer): Status {
  return record(abi.proxy_enqueue_shared_queue(queueId, ptr(value), value.byteLength));
}

/** Next item of the queue, or null (Empty / NotFound in {@link lastHostStatus}). */
export function dequeueSharedQueue(queueId: u32): ArrayBuffer | null {
  resetReturnSlots();
  if (record(abi.proxy_dequeue_shared_queue(queueId, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return null;
  return takeReturnedBytes();
}

// ------------------------------------------------------------ metrics

/** Defines (or finds) metric `name`; returns its id. */
export function defineMetric(type: abi.MetricType, name: string): u32 {
  const nameBytes = utf8(name);
  store<u32>(RETURN_POINTER, 0);
  record(abi.proxy_define_metric(type, ptr(nameBytes), nameBytes.byteLength, RETURN_POINTER));
  return load<u32>(RETURN_POINTER);
}

/** Counter: adds; gauge: sets; histogram: records. */
export function recordMetric(metricId: u32, value: u64): Status {
  return record(abi.proxy_record_metric(metricId, value));
}

/** Counter (delta > 0) or gauge. */
export function incrementMetric(metricId: u32, delta: i64): Status {
  return record(abi.proxy_increment_metric(metricId, delta));
}

/** Current value of a counter or gauge. */
export function getMetric(metricId: u32): u64 {
  store<u64>(RETURN_U64, 0);
  record(abi.proxy_get_metric(metricId, RETURN_U64));
  return load<u64>(RETURN_U64);
}

// ------------------------------------------------------------ properties and foreign functions

/** A property path as Envoy expects it: the parts joined by NUL. */
export function encodePropertyPath(path: string[]): ArrayBuffer {
  const count = path.length;
  let size = count > 0 ? count - 1 : 0;
  for (let i = 0; i < count; i++) size += String.UTF8.byteLength(unchecked(path[i]));
  const encoded = new ArrayBuffer(size);
  let at = changetype<usize>(encoded);
  for (let i = 0; i < count; i++) {
    const part = unchecked(path[i]);
    // The NUL terminator written after each part doubles as the separator; the last one falls outside `size`
    // so it is written only when another part follows.
    at += String.UTF8.encodeUnsafe(changetype<usize>(part), part.length, at, i < count - 1);
  }
  return encoded;
}

/** Raw value of property `path`, or null. */
export function getProperty(path: string[]): ArrayBuffer | null {
  const pathBytes = encodePropertyPath(path);
  resetReturnSlots();
  if (record(abi.proxy_get_property(ptr(pathBytes), pathBytes.byteLength, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return null;
  return takeReturnedBytes();
}

/** Sets property `path` (filter state `wasm.<path>` in Envoy). */
export function setProperty(path: string[], value: ArrayBuffer): Status {
  const pathBytes = encodePropertyPath(path);
  return record(abi.proxy_set_property(ptr(pathBytes), pathBytes.byteLength, ptr(value), value.byteLength));
}

/** Calls host extension `name`; returns its result bytes, or null on a non-Ok status. */
export function callForeignFunction(name: string, args: ArrayBuffer): ArrayBuffer | null {
  const nameBytes = utf8(name);
  resetReturnSlots();
  if (record(abi.proxy_call_foreign_function(ptr(nameBytes), nameBytes.byteLength, ptr(args), args.byteLength, RETURN_POINTER, RETURN_SIZE)) != Status.Ok) return null;
  return takeReturnedBytes();
}
