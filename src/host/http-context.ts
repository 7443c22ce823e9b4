/**
 * An HTTP stream as a filter sees it, driven by tests (or the data plane):
 * callOn* feed the stream's events to the module and return the filter's Action.
 *
 * Map and buffer availability follows Envoy's `Context::decodeHeaders` /
 * `decodeData` / `getMap` (envoy source/extensions/common/wasm/context.cc):
 * request headers are writable from on_request_headers until the request is
 * continued (a Continue result or proxy_continue_stream); after that the map
 * is gone (BadArgument), except in on_log where the final maps are readable.
 */
import { Action, BufferType, GrpcStatus, MapType, Status, StreamType } from "./abi.js";
import { BodyBuffer, concatBytes } from "./buffers.js";
import { byteStringFromText, bytesToText, toBytes } from "./byte-strings.js";
import { ContextBase } from "./context-base.js";
import { HeaderMap, type HeadersInput } from "./header-map.js";
import { buildLocalResponse, isGrpcContentType, type LocalReplyRequest, type LocalResponse } from "./local-reply.js";
import type { HostClock } from "./clock.js";
import { encodePropertyValue, filterStateKey, PropertyTree, type PropertyValue } from "./properties.js";
import { serializePairs } from "./memory.js";
import type { RootContext } from "./root-context.js";
import { pluginProperty } from "./root-context.js";
import type { WasmVm } from "./vm.js";
import type { FailurePolicy } from "./plugin.js";

/** How a stream relates to its plugin's VM when it was created. */
export type StreamBinding =
  | { mode: "vm"; vm: WasmVm; root: RootContext }
  /** FAIL_OPEN with a failed VM: the filter is skipped. */
  | { mode: "skip" }
  /** FAIL_CLOSED / FAIL_RELOAD (in backoff) with a failed VM: every callOn* is a 503. */
  | { mode: "fail" };

/** Notified when the stream changes outside a callOn* return value. */
export interface HttpStreamListener {
  onLocalResponse?(reply: LocalResponse): void;
  /** proxy_continue_stream took effect. */
  onContinue?(direction: "request" | "response"): void;
  /** proxy_close_stream took effect (Envoy resets the stream). */
  onClose?(direction: "request" | "response"): void;
}

export interface HttpContextOptions {
  /** Stream-level properties (dotted keys), e.g. `{ "source.address": "10.0.0.1:5555" }`. */
  properties?: Record<string, PropertyValue>;
  /**
   * The stream's filter state. Envoy keeps one FilterState per stream, shared by every filter of the
   * chain: pass the same map to the contexts of several plugins to chain them (a jwt filter's
   * set_property is then visible to an rbac filter's get_property). Values are read-only: streams
   * that were given equal bytes may share one array (filter-state-writes.ts).
   */
  filterState?: Map<string, Uint8Array>;
}

interface Direction {
  headers: HeaderMap | undefined;
  headersOpen: boolean;
  body: BodyBuffer;
  bodyOpen: boolean;
  buffering: boolean;
  forwarded: Uint8Array[];
  trailers: HeaderMap | undefined;
  trailersOpen: boolean;
  endOfStream: boolean;
}

function newDirection(): Direction {
  return {
    headers: undefined, headersOpen: false, body: new BodyBuffer(), bodyOpen: false, buffering: false,
    forwarded: [], trailers: undefined, trailersOpen: false, endOfStream: false,
  };
}


export class HttpContext extends ContextBase {
  readonly kind = "http" as const;
  /** The local reply sent by the module or by a failure (503 wasm_fail_stream). */
  localResponse: LocalResponse | undefined;
  /** proxy_continue_stream seen, per direction. */
  readonly continued = { request: false, response: false };
  /** proxy_close_stream seen, per direction. */
  readonly closed = { request: false, response: false };
  /** The stream was failed by a trap or a failed VM (503 wasm_fail_stream). */
  failed = false;
  /** Filter state: `wasm.<path>` keys written by proxy_set_property; the values are read-only (see the option). */
  readonly filterState: Map<string, Uint8Array>;
  /** Route cache clears: request-header changes and the clear_route_cache foreign function. */
  routeCacheClears = 0;
  /** Stream start, Unix ns (request.time). */
  readonly startTimeNs: bigint;
  /** When the stream completed (before the access log), Unix ns: request.duration is measured to it. */
  private completedAtNs: bigint | undefined;
  private readonly request = newDirection();
  private readonly response = newDirection();
  private readonly properties: PropertyTree;
  private accessLogPhase = false;
  private completed = false;
  private readonly listeners: HttpStreamListener[] = [];
  private readonly rootContext: RootContext | undefined;

  /** @internal created by Plugin.newHttpContext */
  constructor(
    private readonly binding: StreamBinding,
    id: number,
    private readonly failurePolicy: FailurePolicy,
    private readonly plugin: import("./root-context.js").PluginIdentity,
    private readonly clock: HostClock,
    options: HttpContextOptions = {},
  ) {
    super(binding.mode === "vm" ? binding.vm : (undefined as unknown as WasmVm), id);
    this.rootContext = binding.mode === "vm" ? binding.root : undefined;
    this.properties = new PropertyTree(options.properties);
    this.filterState = options.filterState ?? new Map();
    this.startTimeNs = clock.wallNs();
  }

  get root(): RootContext {
    if (!this.rootContext) throw new Error("stream has no VM");
    return this.rootContext;
  }

  /** Adds a listener for asynchronous changes (continue, close, local reply). */
  observe(listener: HttpStreamListener): this {
    this.listeners.push(listener);
    return this;
  }

  // ------------------------------------------------------------ driving the stream

  callOnRequestHeaders(headers: HeadersInput, endOfStream = false): Action {
    const map = normalizeRequestHeaders(HeaderMap.fromInput(headers));
    this.request.headers = map;
    this.request.headersOpen = true;
    this.request.endOfStream = endOfStream;
    const action = this.run("proxy_on_request_headers", map.size, endOfStream ? 1 : 0);
    if (action === Action.Continue) this.request.headersOpen = false;
    return action;
  }

  callOnRequestBody(body: string | Uint8Array, endOfStream = true): Action {
    return this.runBody(this.request, "proxy_on_request_body", toBytes(body), endOfStream);
  }

  callOnRequestTrailers(trailers: HeadersInput): Action {
    this.request.trailers = HeaderMap.fromInput(trailers);
    this.request.trailersOpen = true;
    const action = this.run("proxy_on_request_trailers", this.request.trailers.size);
    if (action === Action.Continue) this.request.trailersOpen = false;
    return action;
  }

  callOnResponseHeaders(headers: HeadersInput, endOfStream = false): Action {
    const map = normalizeResponseHeaders(HeaderMap.fromInput(headers));
    this.response.headers = map;
    this.response.headersOpen = true;
    this.response.endOfStream = endOfStream;
    // Envoy `Context::encodeHeaders`: after a failure reply the VM is not called again.
    if (this.failed) return Action.Continue;
    const action = this.run("proxy_on_response_headers", map.size, endOfStream ? 1 : 0);
    if (action === Action.Continue) this.response.headersOpen = false;
    return action;
  }

  callOnResponseBody(body: string | Uint8Array, endOfStream = true): Action {
    if (this.failed) {
      this.response.forwarded.push(toBytes(body));
      return Action.Continue;
    }
    return this.runBody(this.response, "proxy_on_response_body", toBytes(body), endOfStream);
  }

  callOnResponseTrailers(trailers: HeadersInput): Action {
    this.response.trailers = HeaderMap.fromInput(trailers);
    this.response.trailersOpen = true;
    if (this.failed) return Action.Continue;
    const action = this.run("proxy_on_response_trailers", this.response.trailers.size);
    if (action === Action.Continue) this.response.trailersOpen = false;
    return action;
  }

  /**
   * Ends the stream the way Envoy's HTTP connection manager does: access log
   * first (proxy_on_log), then filter destruction (proxy_on_done, proxy_on_delete).
   * Idempotent. A trap here sends no reply.
   */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    // Envoy marks the request complete (StreamInfo::requestComplete) before it runs the access logs.
    this.completedAtNs = this.clock.wallNs();
    if (this.binding.mode !== "vm") return;
    const vm = this.binding.vm;
    if (this.createdInVm && !vm.failed) {
      this.accessLogPhase = true;
      vm.call(this, "proxy_on_log", this.id);
      this.accessLogPhase = false;
    }
    if (this.createdInVm && !vm.failed) vm.call(this, "proxy_on_done", this.id);
    if (this.createdInVm && !vm.failed) vm.call(this, "proxy_on_delete", this.id);
    vm.contexts.delete(this.id);
  }

  /** @internal runs proxy_on_context_create for this stream. */
  createInVm(): void {
    if (this.binding.mode !== "vm") return;
    const { vm, root } = this.binding;
    vm.contexts.set(this.id, this);
    if (vm.failed) return;
    const result = vm.call(this, "proxy_on_context_create", this.id, root.id);
    this.createdInVm = result.ok;
  }

  private run(callee: string, ...args: number[]): Action {
    if (this.binding.mode === "skip") return Action.Continue;
    if (this.binding.mode === "fail" || this.vm.failed) {
      this.failStream();
      return Action.Pause;
    }
    const vm = this.vm;
    vm.stopNextIteration = false;
    const result = vm.call(this, callee, this.id, ...args);
    const stop = vm.stopNextIteration;
    vm.stopNextIteration = false;
    if (!result.ok || vm.failed) {
      this.failStream();
      return Action.Pause;
    }
    if (result.missing) return Action.Continue;
    return stop || result.value !== Action.Continue ? Action.Pause : Action.Continue;
  }

  private runBody(direction: Direction, callee: string, chunk: Uint8Array, endOfStream: boolean): Action {
    if (direction.buffering) direction.body.bytes = concatBytes(direction.body.bytes, chunk);
    else direction.body = new BodyBuffer(chunk);
    direction.bodyOpen = true;
    direction.endOfStream = endOfStream;
    const action = this.run(callee, direction.body.length, endOfStream ? 1 : 0);
    if (action === Action.Continue) {
      this.releaseBody(direction);
    } else {
      direction.buffering = true;
    }
    return action;
  }

  private releaseBody(direction: Direction): void {
    direction.forwarded.push(direction.body.bytes);
    direction.body = new BodyBuffer();
    direction.bodyOpen = false;
    direction.buffering = false;
  }

  /** Envoy `Context::failStream`: one 503, empty body, gRPC UNAVAILABLE, details wasm_fail_stream. */
  private failStream(): void {
    this.failed = true;
    if (this.localResponse?.details === "wasm_fail_stream") return;
    this.applyLocalResponse({
      statusCode: 503, details: "wasm_fail_stream", body: new Uint8Array(0), headers: [], grpcStatus: GrpcStatus.Unavailable,
    });
  }

  private applyLocalResponse(request: LocalReplyRequest): void {
    const grpc = isGrpcContentType(this.request.headers?.first("content-type"));
    const reply = buildLocalResponse(request, grpc);
    this.localResponse = reply;
    for (const l of this.listeners) l.onLocalResponse?.(reply);
  }

  // ------------------------------------------------------------ what host functions see

  override openRequestHeaders(): HeaderMap | undefined {
    return this.request.headersOpen ? this.request.headers : undefined;
  }

  // Inlined into the header host functions that write: the common case comes first and the rest is out of line, as
  // TurboFan inlines a bounded amount of bytecode per function (see GuestMemory.copyCachedBytesToPointerSize).
  override streamMap(type: MapType, forWrite: boolean): HeaderMap | undefined {
    if (type === MapType.HttpRequestHeaders && this.request.headersOpen) return this.request.headers;
    return this.accessLogPhase && !forWrite ? this.mapAfterStream(type) : this.openMap(type, forWrite);
  }

  /** What on_log sees (Envoy's access-log phase): the maps as the stream left them. */
  private mapAfterStream(type: MapType): HeaderMap | undefined {
    switch (type) {
      case MapType.HttpRequestHeaders: return this.request.headers;
      case MapType.HttpResponseHeaders: return this.response.headers;
      case MapType.HttpResponseTrailers: return this.response.trailers;
      default: return undefined;
    }
  }

  private openMap(type: MapType, forWrite: boolean): HeaderMap | undefined {
    switch (type) {
      case MapType.HttpRequestHeaders:
        return this.request.headersOpen ? this.request.headers : undefined;
      case MapType.HttpResponseHeaders:
        return this.response.headersOpen ? this.response.headers : undefined;
      case MapType.HttpRequestTrailers:
        return this.trailersOf(this.request, forWrite);
      case MapType.HttpResponseTrailers:
        return this.trailersOf(this.response, forWrite);
      default:
        return undefined;
    }
  }

  /** Envoy `getMap`: trailers can be added while the last body chunk is being processed. */
  private trailersOf(direction: Direction, forWrite: boolean): HeaderMap | undefined {
    if (direction.trailersOpen) return direction.trailers;
    if (forWrite && !direction.trailers && direction.bodyOpen && direction.endOfStream) {
      direction.trailers = new HeaderMap();
      direction.trailersOpen = true;
      return direction.trailers;
    }
    return undefined;
  }

  override mapMissingIsNotFound(_type: MapType): boolean {
    return this.accessLogPhase;
  }

  override streamBuffer(type: BufferType): BodyBuffer | undefined {
    switch (type) {
      case BufferType.HttpRequestBody:
        return this.request.bodyOpen ? this.request.body : new BodyBuffer();
      case BufferType.HttpResponseBody:
        return this.response.bodyOpen ? this.response.body : new BodyBuffer();
      default:
        return undefined;
    }
  }

  override onHeadersModified(type: MapType): void {
    if (type === MapType.HttpRequestHeaders) this.routeCacheClears++;
  }

  override clearRouteCache(): void {
    this.routeCacheClears++;
  }

  override setProperty(key: string, value: Uint8Array): Status {
    this.filterState.set(key, value);
    return Status.Ok;
  }

  override sendLocalResponse(reply: LocalReplyRequest): void {
    this.vm.defer(() => {
      if (!this.localResponse) this.applyLocalResponse(reply);
    });
  }

  override continueStream(type: StreamType): Status {
    if (type !== StreamType.HttpRequest && type !== StreamType.HttpResponse) return super.continueStream(type);
    const name = type === StreamType.HttpRequest ? "request" : "response";
    const direction = type === StreamType.HttpRequest ? this.request : this.response;
    this.vm.defer(() => {
      this.continued[name] = true;
      direction.headersOpen = false;
      direction.trailersOpen = false;
      if (direction.bodyOpen) this.releaseBody(direction);
      for (const l of this.listeners) l.onContinue?.(name);
    });
    return Status.Ok;
  }

  override closeStream(type: StreamType): Status {
    if (type !== StreamType.HttpRequest && type !== StreamType.HttpResponse) return super.closeStream(type);
    const name = type === StreamType.HttpRequest ? "request" : "response";
    this.vm.defer(() => {
      this.closed[name] = true;
      for (const l of this.listeners) l.onClose?.(name);
    });
    return Status.Ok;
  }

  lookupProperty(parts: readonly string[]): Uint8Array | undefined {
    const given = this.properties.lookup(parts);
    if (given) return given;
    const fromPlugin = pluginProperty(this.plugin, parts);
    if (fromPlugin) return fromPlugin;
    const attribute = this.attribute(parts);
    if (attribute) return attribute;
    if (parts[0] === "filter_state" && parts.length === 2) return this.filterState.get(parts[1]!);
    // Envoy `Context::findValue`: an unknown top-level name falls back to filter state `wasm.<name>`.
    if (parts.length === 1) return this.filterState.get(filterStateKey(parts[0]!));
    return undefined;
  }

  /** Envoy request/response attributes (docs: intro/arch_overview/advanced/attributes). */
  private attribute(parts: readonly string[]): Uint8Array | undefined {
    // Indexed reads: array destructuring goes through the iterator protocol on this hot path.
    const top = parts[0], field = parts[1], key = parts[2];
    if (top === "connection_id" && parts.length === 1) return encodePropertyValue(BigInt(this.id));
    const req = this.request.headers;
    if (top === "request" && req) {
      if (field === "headers") return headerAttribute(req, key, parts.length);
      if (parts.length !== 2) return undefined;
      switch (field) {
        case "path": return latin1(req.first(":path") ?? "");
        case "url_path": {
          const path = req.first(":path") ?? "";
          const query = path.indexOf("?");
          return latin1(query < 0 ? path : path.slice(0, query));
        }
        case "query": {
          const path = req.first(":path") ?? "";
          return latin1(path.includes("?") ? path.slice(path.indexOf("?") + 1) : "");
        }
        case "host": return optional(req.first(":authority"));
        case "scheme": return optional(req.first(":scheme"));
        case "method": return optional(req.first(":method"));
        case "referer": return optional(req.first("referer"));
        case "useragent": return optional(req.first("user-agent"));
        case "id": return optional(req.first("x-request-id"));
        case "protocol": return latin1("HTTP/1.1");
        case "time": return encodePropertyValue(this.startTimeNs);
        case "size": return this.requestSize(req);
        case "total_size": return encodePropertyValue(bodyLength(this.request) + req.byteSize());
        case "duration": return this.completedAtNs === undefined ? undefined : encodePropertyValue(this.completedAtNs - this.startTimeNs);
        default: return undefined;
      }
    }
    const res = this.response.headers;
    if (top === "response") {
      if (field === "code_details" && parts.length === 2 && this.localResponse) return latin1(byteStringFromText(this.localResponse.details));
      // The host keeps no response flags (upstream failures, rate limits, ...): Envoy's bit-vector is 0 then.
      if (field === "flags" && parts.length === 2) return encodePropertyValue(0);
      if (field === "grpc_status" && parts.length === 2) {
        const status = grpcStatusOf(this.response.trailers) ?? grpcStatusOf(res) ?? httpToGrpcStatus(res?.first(":status"));
        return status === undefined ? undefined : encodePropertyValue(status);
      }
      if (field === "total_size" && parts.length === 2) {
        const headerBytes = (res?.byteSize() ?? 0) + (this.response.trailers?.byteSize() ?? 0);
        return encodePropertyValue(bodyLength(this.response) + headerBytes);
      }
      if (!res) return undefined;
      if (field === "headers") return headerAttribute(res, key, parts.length);
      if (field === "trailers" && this.response.trailers) return headerAttribute(this.response.trailers, key, parts.length);
      if (field === "code" && parts.length === 2) {
        const status = Number(res.first(":status"));
        return Number.isFinite(status) ? encodePropertyValue(status) : undefined;
      }
      if (field === "size" && parts.length === 2) return encodePropertyValue(bodyLength(this.response));
    }
    return undefined;
  }

  /**
   * request.size as Envoy's expression context computes it: the Content-Length header when there is one
   * (absent when it is not a number), else the body bytes received.
   */
  private requestSize(headers: HeaderMap): Uint8Array | undefined {
    const contentLength = headers.first("content-length");
    if (contentLength === undefined) return encodePropertyValue(bodyLength(this.request));
    const trimmed = contentLength.trim();
    return /^[+-]?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? encodePropertyValue(Number(trimmed)) : undefined;
  }

  private bodyBytes(direction: Direction): Uint8Array {
    let out: Uint8Array = new Uint8Array(0);
    for (const chunk of direction.forwarded) out = concatBytes(out, chunk);
    return concatBytes(out, direction.body.bytes);
  }

  // ------------------------------------------------------------ what tests read

  get requestHeaders(): [string, string][] {
    return this.request.headers?.textPairs() ?? [];
  }
  get responseHeaders(): [string, string][] {
    return this.response.headers?.textPairs() ?? [];
  }
  get requestTrailers(): [string, string][] {
    return this.request.trailers?.textPairs() ?? [];
  }
  get responseTrailers(): [string, string][] {
    return this.response.trailers?.textPairs() ?? [];
  }
  getRequestHeader(name: string): string | undefined {
    return firstText(this.request.headers, name);
  }
  getResponseHeader(name: string): string | undefined {
    return firstText(this.response.headers, name);
  }
  /** The whole request body so far: forwarded chunks plus what is buffered, after the module's changes. */
  get requestBody(): Uint8Array {
    return this.bodyBytes(this.request);
  }
  get responseBody(): Uint8Array {
    return this.bodyBytes(this.response);
  }
  get requestBodyText(): string {
    return bytesToText(this.requestBody);
  }
  get responseBodyText(): string {
    return bytesToText(this.responseBody);
  }
  /** True once complete() ran. */
  get isComplete(): boolean {
    return this.completed;
  }
  /** Whether this stream runs the filter ("vm"), skips it (FAIL_OPEN) or fails it ("fail"). */
  get mode(): StreamBinding["mode"] {
    return this.binding.mode;
  }
  /** The failure policy in force when the stream was created. */
  get policy(): FailurePolicy {
    return this.failurePolicy;
  }
}

function firstText(map: HeaderMap | undefined, name: string): string | undefined {
  const value = map?.first(byteStringFromText(name));
  return value === undefined ? undefined : Buffer.from(value, "latin1").toString("utf8");
}

/** Longest byte string copied with a loop: below this, Buffer.from's fixed cost (~300 ns) dominates. */
const SHORT_BYTE_STRING = 48;

function latin1(value: string): Uint8Array {
  const length = value.length;
  if (length > SHORT_BYTE_STRING) return new Uint8Array(Buffer.from(value, "latin1"));
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = value.charCodeAt(i);
  return out;
}

function optional(value: string | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : latin1(value);
}

/** `request.headers` is a map (values of a repeated header comma-joined); `request.headers.<name>` one value. */
function headerAttribute(map: HeaderMap, key: string | undefined, depth: number): Uint8Array | undefined {
  if (depth === 2) {
    const joined = new Map<string, string[]>();
    for (const [k, v] of map.pairs()) joined.set(k, [...(joined.get(k) ?? []), v]);
    return serializePairs([...joined].map(([k, vs]) => [k, vs.join(",")] as [string, string]));
  }
  if (depth === 3 && key !== undefined) {
    const values = map.all(key);
    if (values.length === 0) return undefined;
    return latin1(values.length === 1 ? values[0]! : values.join(","));
  }
  return undefined;
}

/** Envoy's request maps always carry :authority, :path, :method and :scheme first (Host becomes :authority). */
function normalizeRequestHeaders(input: HeaderMap): HeaderMap {
  // The pseudo-headers go first (defaults when absent, `host` standing in for
  // `:authority`); every other entry keeps its order.
  return input.withLeading([
    [":authority", input.firstOfLowercase(":authority") ?? input.firstOfLowercase("host") ?? "localhost"],
    [":path", input.firstOfLowercase(":path") ?? "/"],
    [":method", input.firstOfLowercase(":method") ?? "GET"],
    [":scheme", input.firstOfLowercase(":scheme") ?? "http"],
  ], isOrdinaryRequestHeader);
}

function isOrdinaryRequestHeader(name: string): boolean {
  return name !== ":authority" && name !== ":path" && name !== ":method" && name !== ":scheme" && name !== "host";
}

/** Envoy's response maps carry `:status` first. */
function normalizeResponseHeaders(input: HeaderMap): HeaderMap {
  return input.withLeading([[":status", input.firstOfLowercase(":status") ?? "200"]], (name) => name !== ":status");
}

/** The gRPC status codes Envoy knows (Grpc::Status::WellKnownGrpcStatus, 0..16); others are InvalidCode (-1). */
const MAXIMUM_KNOWN_GRPC_STATUS = 16;
const INVALID_GRPC_STATUS = -1;

/** A map's grpc-status as Envoy's Grpc::Common::getGrpcStatus reads it (source/common/grpc/common.cc). */
function grpcStatusOf(map: HeaderMap | undefined): number | undefined {
  const value = map?.first("grpc-status");
  if (value === undefined || value === "") return undefined;
  const trimmed = value.trim();
  if (!/^\+?\d+$/.test(trimmed)) return INVALID_GRPC_STATUS;
  const code = Number(trimmed);
  return code > MAXIMUM_KNOWN_GRPC_STATUS ? INVALID_GRPC_STATUS : code;
}

/** Envoy's Grpc::Utility::httpToGrpcStatus (source/common/grpc/status.cc), after gRPC's HTTP mapping. */
function httpToGrpcStatus(statusText: string | undefined): number | undefined {
  if (statusText === undefined) return undefined;
  const status = Number(statusText);
  if (!Number.isInteger(status)) return undefined;
  switch (status) {
    case 400: return 13; // INTERNAL
    case 401: return 16; // UNAUTHENTICATED
    case 403: return 7; // PERMISSION_DENIED
    case 404: return 12; // UNIMPLEMENTED
    case 429: case 502: case 503: case 504: return 14; // UNAVAILABLE
    default: return 2; // UNKNOWN
  }
}

/** Body bytes a direction has seen (forwarded chunks and what is buffered), without joining them. */
function bodyLength(direction: Direction): number {
  let length = direction.body.length;
  for (const chunk of direction.forwarded) length += chunk.byteLength;
  return length;
}
