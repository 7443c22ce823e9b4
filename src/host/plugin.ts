/**
 * A plugin: one module instance with its root context, configured like an
 * Envoy Wasm filter. It creates stream contexts, owns callouts and timers, and
 * applies the failure policy when the module traps (envoy-wasm-behaviour.md §5).
 */
import { readFile } from "node:fs/promises";
import { LogLevel, Status } from "./abi.js";
import { BodyBuffer } from "./buffers.js";
import { byteStringFromText, bytesToText, textFromByteString, toBytes } from "./byte-strings.js";
import type { ContextBase } from "./context-base.js";
import { createEnvImports, ENV_FUNCTION_NAMES } from "./env-imports.js";
import { PluginLoadError } from "./errors.js";
import { defaultForeignFunctions, type ForeignFunction } from "./foreign-functions.js";
import { GRPC_TIMEOUT, type GrpcCallRequest, type GrpcCallResponse, type GrpcStreamEvent } from "./grpc.js";
import { HeaderMap } from "./header-map.js";
import type { HostServices, OutgoingGrpcCall, OutgoingHttpCall } from "./host-services.js";
import { sendOverNetwork, UPSTREAM_TIMEOUT_RESPONSE, type HttpCallOutcome, type HttpCallRequest } from "./http-call.js";
import { HttpContext, type HttpContextOptions, type StreamBinding } from "./http-context.js";
import type { LogEntry } from "./logs.js";
import { PropertyTree, type PropertyValue } from "./properties.js";
import { RootContext, type PluginIdentity } from "./root-context.js";
import type { ScheduledTask } from "./clock.js";
import { TcpContext, type TcpContextOptions } from "./tcp-context.js";
import { describeError, WasmVm, type VmOwner } from "./vm.js";
import { createWasiImports, WASI_FUNCTION_NAMES } from "./wasi.js";
import type { ProxyHost } from "./host.js";

/** What happens to streams after the module trapped (Envoy `failure_policy`). */
export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";

export interface PluginOptions {
  /** Module bytes, or a path to a .wasm file. */
  wasm: Uint8Array | string;
  name?: string;
  rootId?: string;
  vmId?: string;
  /** Plugin configuration (objects are JSON-encoded). */
  pluginConfig?: string | object;
  /** VM configuration (objects are JSON-encoded). */
  vmConfig?: string | object;
  /** Plugin-wide properties by dotted path, e.g. `{ "node.metadata.NAMESPACE": "default" }`. */
  properties?: Record<string, PropertyValue>;
  /** Default FAIL_CLOSED (Envoy's default for an unspecified policy). */
  failurePolicy?: FailurePolicy;
  /** FAIL_RELOAD backoff on the host clock; default 1000 ms. */
  reloadBackoffMs?: number;
  /** Extra foreign functions (they override the built-in ones of the same name). */
  foreignFunctions?: Record<string, ForeignFunction>;
  /** What proxy_get_log_level reports; default Trace so tests see every message. */
  logLevel?: LogLevel;
  /** WASI environment variables. */
  environment?: Record<string, string>;
}

interface PendingHttpCall {
  request: HttpCallRequest;
  root: RootContext;
  timeout: ScheduledTask | undefined;
}

interface PendingGrpc {
  request: GrpcCallRequest;
  root: RootContext;
  timeout: ScheduledTask | undefined;
}

const REQUIRED_ABI_EXPORT = "proxy_abi_version_0_2_1";

export class Plugin {
  readonly name: string;
  readonly rootId: string;
  readonly vmId: string;
  readonly failurePolicy: FailurePolicy;
  readonly reloadBackoffMs: number;
  /** How many times FAIL_RELOAD rebuilt the VM. */
  reloadCount = 0;
  private vm: WasmVm | undefined;
  private rootContext: RootContext | undefined;
  private generation = 0;
  private reloadAtMs: number | undefined;
  private starting = false;
  private readonly entries: LogEntry[] = [];
  private readonly httpCalls = new Map<number, PendingHttpCall>();
  private readonly grpcCalls = new Map<number, PendingGrpc>();
  private nextHttpToken = 1;
  private nextGrpcCallToken = 1;
  private nextGrpcStreamToken = 2;
  private nextDetachedContextId = 1_000_000;
  private readonly foreign: Map<string, ForeignFunction>;
  private readonly identity: PluginIdentity;
  private readonly services: HostServices;
  private readonly owner: VmOwner;
  private readonly logLevel: LogLevel;

  private constructor(
    private readonly host: ProxyHost,
    private readonly module: WebAssembly.Module,
    options: PluginOptions,
    private readonly pluginConfiguration: Uint8Array,
    private readonly vmConfiguration: Uint8Array,
  ) {
    this.name = options.name ?? options.rootId ?? "plugin";
    this.rootId = options.rootId ?? "";
    this.vmId = options.vmId ?? "";
    this.failurePolicy = options.failurePolicy ?? "FAIL_CLOSED";
    this.reloadBackoffMs = options.reloadBackoffMs ?? 1000;
    this.logLevel = options.logLevel ?? LogLevel.Trace;
    this.foreign = defaultForeignFunctions();
    for (const [k, fn] of Object.entries(options.foreignFunctions ?? {})) this.foreign.set(k, fn);
    this.identity = { name: this.name, rootId: this.rootId, vmId: this.vmId, properties: new PropertyTree(options.properties) };
    this.services = this.createServices(Object.entries(options.environment ?? {}));
    this.owner = {
      onTrap: (vm, callee, error) => this.onTrap(vm, callee, error),
      enterVm: () => host.enterVm(),
      exitVm: () => host.exitVm(),
    };
  }

  /** @internal use ProxyHost.startPlugin */
  static async start(host: ProxyHost, options: PluginOptions): Promise<Plugin> {
    const name = options.name ?? options.rootId ?? "plugin";
    let bytes: Uint8Array;
    try {
      bytes = typeof options.wasm === "string" ? new Uint8Array(await readFile(options.wasm)) : options.wasm;
    } catch (error) {
      throw new PluginLoadError(name, `cannot read ${String(options.wasm)}: ${describeError(error)}`);
    }
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(bytes as BufferSource);
    } catch (error) {
      throw new PluginLoadError(name, `not a Wasm module (${describeError(error)})`);
    }
    checkModuleShape(name, module);
    const plugin = new Plugin(host, module, options, encodeConfig(options.pluginConfig), encodeConfig(options.vmConfig));
    plugin.starting = true;
    try {
      const { vm, root } = plugin.instantiate();
      plugin.vm = vm;
      plugin.rootContext = root;
    } finally {
      plugin.starting = false;
    }
    return plugin;
  }

  // ------------------------------------------------------------ VM lifecycle

  /** Instantiates the module and runs _initialize, context_create(root), vm_start and configure. */
  private instantiate(): { vm: WasmVm; root: RootContext } {
    const vm = new WasmVm(this.owner, ++this.generation);
    const logsBefore = this.entries.length;
    const fail = (reason: string): never => {
      throw new PluginLoadError(this.name, reason, this.entries.slice(logsBefore));
    };
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(this.module, {
        env: createEnvImports(vm, this.services),
        wasi_snapshot_preview1: createWasiImports(vm, this.services),
      } as WebAssembly.Imports);
    } catch (error) {
      return fail(`instantiation failed (${describeError(error)})`);
    }
    vm.attach(instance);
    const root = new RootContext(vm, vm.allocateContextId(), this.identity);
    vm.contexts.set(root.id, root);
    const step = (callee: string, ...args: number[]): number => {
      const result = vm.call(root, callee, ...args);
      if (!result.ok) fail(`${callee} trapped (${vm.failure?.slice(callee.length + 2) ?? "trap"})`);
      return result.missing ? 1 : result.value;
    };
    step("_initialize");
    step("proxy_on_context_create", root.id, 0);
    root.createdInVm = true;
    if (step("proxy_on_vm_start", root.id, this.vmConfiguration.byteLength) === 0) fail("proxy_on_vm_start returned false");
    root.configuring = true;
    try {
      if (step("proxy_on_configure", root.id, this.pluginConfiguration.byteLength) === 0) fail("proxy_on_configure returned false");
    } finally {
      root.configuring = false;
    }
    return { vm, root };
  }

  private onTrap(vm: WasmVm, callee: string, error: unknown): void {
    this.record(LogLevel.Critical, `wasm trap in ${callee}: ${describeError(error)}`, vm.current);
    if (this.starting || vm !== this.vm) return;
    if (this.failurePolicy === "FAIL_RELOAD") this.reloadAtMs = this.host.clock.elapsedMs() + this.reloadBackoffMs;
    if (this.rootContext) this.rootContext.tickTask?.cancel();
  }

  /** True once the module trapped (until FAIL_RELOAD rebuilt it). */
  get isFailed(): boolean {
    return !this.vm || this.vm.failed;
  }

  /** Size of the module's linear memory in bytes (0 before instantiation): lets tests watch for leaks. */
  get memoryBytes(): number {
    return this.vm ? this.vm.memory.bytes().byteLength : 0;
  }

  /** Why the VM failed ("proxy_on_request_headers: RuntimeError: unreachable"). */
  get failure(): string | undefined {
    return this.vm?.failed ? this.vm.failure : undefined;
  }

  /** The binding a new stream gets under the failure policy (Envoy `createContext` / `maybeReloadHandleIfNeeded`). */
  private bindStream(): StreamBinding {
    if (this.vm && this.rootContext && !this.vm.failed) return { mode: "vm", vm: this.vm, root: this.rootContext };
    if (this.failurePolicy === "FAIL_OPEN") return { mode: "skip" };
    if (this.failurePolicy === "FAIL_RELOAD" && this.reloadAtMs !== undefined && this.host.clock.elapsedMs() >= this.reloadAtMs) {
      if (this.reload()) return { mode: "vm", vm: this.vm!, root: this.rootContext! };
    }
    return { mode: "fail" };
  }

  private reload(): boolean {
    try {
      const { vm, root } = this.instantiate();
      this.rootContext?.tickTask?.cancel();
      this.vm = vm;
      this.rootContext = root;
      this.reloadAtMs = undefined;
      this.reloadCount++;
      this.record(LogLevel.Info, `reloaded the Wasm VM after a failure (reload #${this.reloadCount})`, root);
      return true;
    } catch (error) {
      this.record(LogLevel.Error, `reload failed: ${describeError(error)}`, undefined);
      this.reloadAtMs = this.host.clock.elapsedMs() + this.reloadBackoffMs;
      return false;
    }
  }

  /**
   * Stops the plugin: proxy_on_done on the root context, then proxy_on_delete
   * (at once, or after the module calls proxy_done if on_done returned false).
   */
  stop(): void {
    const root = this.rootContext;
    const vm = this.vm;
    if (!root || !vm || root.deleted) return;
    root.tickTask?.cancel();
    for (const call of this.httpCalls.values()) call.timeout?.cancel();
    for (const call of this.grpcCalls.values()) call.timeout?.cancel();
    this.httpCalls.clear();
    this.grpcCalls.clear();
    if (vm.failed) return;
    const result = vm.call(root, "proxy_on_done", root.id);
    if (result.ok && !result.missing && result.value === 0) root.pendingDone = true;
    else this.deleteRoot(root);
  }

  private deleteRoot(root: RootContext): void {
    if (root.deleted) return;
    root.deleted = true;
    if (!root.vm.failed) root.vm.call(root, "proxy_on_delete", root.id);
  }

  // ------------------------------------------------------------ streams

  newHttpContext(options: HttpContextOptions = {}): HttpContext {
    const binding = this.bindStream();
    const id = binding.mode === "vm" ? binding.vm.allocateContextId() : this.nextDetachedContextId++;
    const http = new HttpContext(binding, id, this.failurePolicy, this.identity, this.host.clock, options);
    http.createInVm();
    return http;
  }

  newTcpContext(options: TcpContextOptions = {}): TcpContext {
    const binding = this.bindStream();
    const id = binding.mode === "vm" ? binding.vm.allocateContextId() : this.nextDetachedContextId++;
    const tcp = new TcpContext(binding, id, this.identity, options);
    tcp.createInVm();
    return tcp;
  }

  /** The root context id the module knows (for tests). */
  get rootContextId(): number {
    return this.rootContext?.id ?? 0;
  }

  // ------------------------------------------------------------ logs

  /** Messages the module logged, at or above `level` (default: all). */
  logs(level: LogLevel = LogLevel.Trace): string[] {
    return this.entries.filter((e) => e.level >= level).map((e) => e.message);
  }

  /** Full log entries (level, message, context). */
  logEntries(): readonly LogEntry[] {
    return this.entries;
  }

  private record(level: LogLevel, message: string, context: ContextBase | undefined): void {
    const entry: LogEntry = { level, message, plugin: this.name, contextId: context?.id ?? 0 };
    this.entries.push(entry);
    this.host.emitLog(entry);
  }

  // ------------------------------------------------------------ timers

  /** Calls proxy_on_tick on the root context now. */
  tick(): void {
    const root = this.rootContext;
    if (root && this.vm && !this.vm.failed) this.vm.call(root, "proxy_on_tick", root.id);
  }

  /** The tick period the root context asked for (0 = none). */
  get tickPeriodMs(): number {
    return this.rootContext?.tickPeriodMs ?? 0;
  }

  // ------------------------------------------------------------ HTTP callouts

  /** Callouts waiting for an answer. */
  pendingHttpCalls(): HttpCallRequest[] {
    return [...this.httpCalls.values()].map((c) => c.request);
  }

  /** Answers a pending callout (or resets it). Runs on_http_call_response now. Returns false if unknown. */
  respondToHttpCall(id: number, outcome: HttpCallOutcome): boolean {
    if (!this.httpCalls.has(id)) return false;
    this.host.defer(() => this.deliverHttpCall(id, outcome));
    return true;
  }

  private startHttpCall(root: RootContext, call: OutgoingHttpCall): { status: Status; token: number } {
    if (call.timeoutMs < 0) return { status: Status.BadArgument, token: 0 };
    const clusterName = textFromByteString(call.cluster);
    const cluster = this.host.cluster(clusterName);
    if (!cluster) return { status: Status.BadArgument, token: 0 };
    const headers = HeaderMap.fromPairs(call.headers);
    const method = headers.first(":method");
    const path = headers.first(":path");
    const authority = headers.first(":authority");
    if (method === undefined || path === undefined || authority === undefined) return { status: Status.BadArgument, token: 0 };
    const token = this.nextHttpToken++;
    const request: HttpCallRequest = {
      id: token, cluster: clusterName, headers: headers.textPairs(), body: call.body, bodyText: bytesToText(call.body),
      trailers: HeaderMap.fromPairs(call.trailers).textPairs(), timeoutMs: call.timeoutMs,
      method: textFromByteString(method), path: textFromByteString(path), authority: textFromByteString(authority),
    };
    const pending: PendingHttpCall = { request, root, timeout: undefined };
    this.httpCalls.set(token, pending);
    if (call.timeoutMs > 0) {
      pending.timeout = this.host.clock.after(call.timeoutMs, () => this.host.defer(() => this.deliverHttpCall(token, UPSTREAM_TIMEOUT_RESPONSE)));
    }
    const handler = typeof cluster === "function" ? cluster : cluster.http;
    if (handler) {
      this.host.track(async () => {
        let outcome: HttpCallOutcome | undefined;
        try {
          outcome = await handler(request);
        } catch (error) {
          this.record(LogLevel.Error, `http call handler for ${clusterName} failed: ${describeError(error)}`, root);
          outcome = "reset";
        }
        if (outcome !== undefined) this.host.defer(() => this.deliverHttpCall(token, outcome));
      });
    } else if (typeof cluster === "object" && cluster.url) {
      const url = cluster.url;
      this.host.track(async () => {
        const outcome = await sendOverNetwork(url, request, this.host.clock.mode === "real" ? call.timeoutMs : 0);
        this.host.defer(() => this.deliverHttpCall(token, outcome));
      });
    }
    return { status: Status.Ok, token };
  }

  /** Envoy `onHttpCallSuccess` / `onHttpCallFailure`: the root context that made the call gets the answer. */
  private deliverHttpCall(token: number, outcome: HttpCallOutcome): void {
    const pending = this.httpCalls.get(token);
    if (!pending) return;
    this.httpCalls.delete(token);
    pending.timeout?.cancel();
    const { root } = pending;
    const vm = root.vm;
    if (vm.failed || root.deleted) return;
    if (outcome === "reset") {
      root.statusCode = Status.BrokenConnection;
      root.statusMessage = "reset";
      vm.call(root, "proxy_on_http_call_response", root.id, token, 0, 0, 0);
      root.statusCode = 0;
      root.statusMessage = "";
      return;
    }
    const headers = HeaderMap.fromInput(outcome.headers);
    headers.remove(":status");
    headers.prepend(":status", String(outcome.status));
    const body = new BodyBuffer(outcome.body === undefined ? new Uint8Array(0) : toBytes(outcome.body), true);
    const trailers = HeaderMap.fromInput(outcome.trailers);
    root.httpCallResponse = { headers, body, trailers };
    try {
      vm.call(root, "proxy_on_http_call_response", root.id, token, headers.size, body.length, trailers.size);
    } finally {
      root.httpCallResponse = undefined;
    }
  }

  // ------------------------------------------------------------ gRPC callouts

  /** gRPC calls and streams still open. */
  pendingGrpcCalls(): GrpcCallRequest[] {
    return [...this.grpcCalls.values()].map((c) => c.request);
  }

  /** Answers a pending unary call. Returns false if unknown. */
  respondToGrpcCall(id: number, response: GrpcCallResponse): boolean {
    const pending = this.grpcCalls.get(id);
    if (!pending || pending.request.kind !== "call") return false;
    this.host.defer(() => this.deliverGrpcCall(id, response));
    return true;
  }

  /** Feeds one event to an open gRPC stream. Returns false if unknown. */
  sendGrpcStreamEvent(id: number, event: GrpcStreamEvent): boolean {
    const pending = this.grpcCalls.get(id);
    if (!pending || pending.request.kind !== "stream") return false;
    this.host.defer(() => this.deliverGrpcStreamEvent(id, event));
    return true;
  }

  private grpcCluster(name: string): ReturnType<ProxyHost["cluster"]> {
    return this.host.cluster(textFromByteString(name));
  }

  private startGrpc(root: RootContext, kind: "call" | "stream", call: OutgoingGrpcCall): { status: Status; token: number } {
    const cluster = this.grpcCluster(call.cluster);
    // Envoy `Context::grpcCall`: an unknown cluster name is ParseFailure.
    if (!cluster) return { status: Status.ParseFailure, token: 0 };
    const token = kind === "call" ? (this.nextGrpcCallToken += 2) - 2 : (this.nextGrpcStreamToken += 2) - 2;
    const request: GrpcCallRequest = {
      id: token, kind, cluster: textFromByteString(call.cluster), service: textFromByteString(call.service),
      method: textFromByteString(call.method), initialMetadata: HeaderMap.fromPairs(call.initialMetadata).textPairs(),
      message: call.message, sentMessages: [], timeoutMs: call.timeoutMs, localClosed: false,
    };
    const pending: PendingGrpc = { request, root, timeout: undefined };
    this.grpcCalls.set(token, pending);
    if (kind === "call" && call.timeoutMs > 0) {
      pending.timeout = this.host.clock.after(call.timeoutMs, () => this.host.defer(() => this.deliverGrpcCall(token, GRPC_TIMEOUT)));
    }
    const handler = typeof cluster === "object" ? cluster.grpc : undefined;
    if (kind === "call" && handler) {
      this.host.track(async () => {
        let response: GrpcCallResponse | undefined;
        try {
          response = await handler(request);
        } catch (error) {
          response = { status: 13, statusMessage: describeError(error) };
        }
        if (response !== undefined) this.host.defer(() => this.deliverGrpcCall(token, response));
      });
    }
    return { status: Status.Ok, token };
  }

  private deliverGrpcCall(token: number, response: GrpcCallResponse): void {
    const pending = this.grpcCalls.get(token);
    if (!pending) return;
    this.grpcCalls.delete(token);
    pending.timeout?.cancel();
    const { root } = pending;
    if (root.vm.failed || root.deleted) return;
    const status = response.status ?? 0;
    if (status === 0) {
      root.grpcMessage = new BodyBuffer(toBytes(response.message ?? new Uint8Array(0)), true);
      try {
        root.vm.call(root, "proxy_on_grpc_receive", root.id, token, root.grpcMessage.length);
      } finally {
        root.grpcMessage = undefined;
      }
      return;
    }
    this.closeGrpc(root, token, status, response.statusMessage ?? "");
  }

  private closeGrpc(root: RootContext, token: number, status: number, message: string): void {
    root.statusCode = status;
    root.statusMessage = byteStringFromText(message);
    try {
      root.vm.call(root, "proxy_on_grpc_close", root.id, token, status);
    } finally {
      root.statusCode = 0;
      root.statusMessage = "";
    }
  }

  private deliverGrpcStreamEvent(token: number, event: GrpcStreamEvent): void {
    const pending = this.grpcCalls.get(token);
    if (!pending) return;
    const { root } = pending;
    if (root.vm.failed || root.deleted) return;
    const vm = root.vm;
    if ("initialMetadata" in event) {
      root.grpcInitialMetadata = HeaderMap.fromInput(event.initialMetadata);
      try {
        vm.call(root, "proxy_on_grpc_receive_initial_metadata", root.id, token, root.grpcInitialMetadata.size);
      } finally {
        root.grpcInitialMetadata = undefined;
      }
    } else if ("message" in event) {
      root.grpcMessage = new BodyBuffer(toBytes(event.message), true);
      try {
        vm.call(root, "proxy_on_grpc_receive", root.id, token, root.grpcMessage.length);
      } finally {
        root.grpcMessage = undefined;
      }
    } else {
      this.grpcCalls.delete(token);
      const { status, message, trailingMetadata } = event.close;
      if (trailingMetadata) {
        root.grpcTrailingMetadata = HeaderMap.fromInput(trailingMetadata);
        try {
          vm.call(root, "proxy_on_grpc_receive_trailing_metadata", root.id, token, root.grpcTrailingMetadata.size);
        } finally {
          root.grpcTrailingMetadata = undefined;
        }
      }
      if (!vm.failed) this.closeGrpc(root, token, status, message ?? "");
    }
  }

  // ------------------------------------------------------------ host services for the imports

  private createServices(environment: [string, string][]): HostServices {
    const host = this.host;
    return {
      vmId: this.vmId,
      clock: host.clock,
      metrics: host.metrics,
      sharedData: host.sharedData,
      sharedQueues: host.sharedQueues,
      vmConfiguration: this.vmConfiguration,
      pluginConfiguration: this.pluginConfiguration,
      environment,
      logLevel: () => this.logLevel,
      log: (level, message, context) => this.record(level, message, context),
      setTickPeriod: (root, periodMs) => {
        root.tickTask?.cancel();
        root.tickTask = undefined;
        root.tickPeriodMs = periodMs;
        if (periodMs > 0) {
          root.tickTask = host.clock.every(periodMs, () => host.defer(() => {
            if (root.vm.failed || root.deleted) return root.tickTask?.cancel();
            root.vm.call(root, "proxy_on_tick", root.id);
          }));
        }
      },
      httpCall: (root, call) => this.startHttpCall(root, call),
      grpcCall: (root, call) => this.startGrpc(root, "call", call),
      grpcStream: (root, call) => this.startGrpc(root, "stream", { ...call, message: new Uint8Array(0), timeoutMs: 0 }),
      grpcSend: (token, message, endStream) => {
        if (token % 2 === 1) return Status.BadArgument;
        const pending = this.grpcCalls.get(token);
        if (!pending) return Status.NotFound;
        pending.request.sentMessages.push(message);
        if (endStream) pending.request.localClosed = true;
        return Status.Ok;
      },
      grpcCancel: (token) => {
        const pending = this.grpcCalls.get(token);
        if (!pending) return Status.NotFound;
        pending.timeout?.cancel();
        this.grpcCalls.delete(token);
        return Status.Ok;
      },
      grpcClose: (token) => {
        const pending = this.grpcCalls.get(token);
        if (!pending) return Status.NotFound;
        if (pending.request.kind === "call") {
          pending.timeout?.cancel();
          this.grpcCalls.delete(token);
        } else {
          pending.request.localClosed = true;
        }
        return Status.Ok;
      },
      registerQueue: (root, name) =>
        host.sharedQueues.register(this.vmId, textFromByteString(name), (token) =>
          host.defer(() => {
            if (root.vm.failed || root.deleted) return;
            root.vm.call(root, "proxy_on_queue_ready", root.id, token);
          }),
        ),
      foreignFunction: (name) => this.foreign.get(textFromByteString(name)),
      done: (context) => {
        if (context.kind !== "root") return Status.NotFound;
        const root = context as RootContext;
        if (!root.pendingDone) return Status.NotFound;
        root.pendingDone = false;
        root.vm.defer(() => this.deleteRoot(root));
        return Status.Ok;
      },
    };
  }
}

function encodeConfig(config: string | object | undefined): Uint8Array {
  if (config === undefined) return new Uint8Array(0);
  if (config instanceof Uint8Array) return config;
  return new Uint8Array(Buffer.from(typeof config === "string" ? config : JSON.stringify(config), "utf8"));
}

/** Envoy's load checks (cpp-host `WasmBase::load`, `V8::link`): ABI export, memory, allocator, known imports. */
function checkModuleShape(name: string, module: WebAssembly.Module): void {
  const exports = WebAssembly.Module.exports(module);
  const exported = new Map(exports.map((e) => [e.name, e.kind]));
  if (exported.get(REQUIRED_ABI_EXPORT) !== "function") {
    const other = exports.find((e) => e.name.startsWith("proxy_abi_version_"));
    throw new PluginLoadError(
      name,
      other
        ? `the module targets ${other.name}, but this host implements only ${REQUIRED_ABI_EXPORT}`
        : `missing export ${REQUIRED_ABI_EXPORT}: not a proxy-wasm ABI 0.2.1 module`,
    );
  }
  if (exported.get("memory") !== "memory") throw new PluginLoadError(name, "missing export memory");
  if (exported.get("proxy_on_memory_allocate") !== "function" && exported.get("malloc") !== "function") {
    throw new PluginLoadError(name, "missing export proxy_on_memory_allocate (or malloc): the host cannot return data to the module");
  }
  const known = { env: new Set(ENV_FUNCTION_NAMES), wasi_snapshot_preview1: new Set(WASI_FUNCTION_NAMES) } as Record<string, Set<string>>;
  const unknown = WebAssembly.Module.imports(module)
    .filter((i) => i.kind !== "function" || !known[i.module]?.has(i.name))
    .map((i) => `${i.module}.${i.name} (${i.kind})`);
  if (unknown.length) throw new PluginLoadError(name, `unknown imports: ${unknown.join(", ")}`);
}

