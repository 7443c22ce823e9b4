/**
 * A TCP connection as a network filter sees it. Envoy calls
 * on_downstream_connection_close / on_upstream_connection_close, then (once
 * the downstream side is closed) onDone, onLog, onDelete (`Context::onCloseTCP`,
 * envoy source/extensions/common/wasm/context.cc).
 */
import { Action, BufferType, PeerType, Status, StreamType } from "./abi.js";
import { BodyBuffer } from "./buffers.js";
import { bytesToText, toBytes } from "./byte-strings.js";
import { ContextBase } from "./context-base.js";
import { filterStateKey, PropertyTree, type PropertyValue } from "./properties.js";
import { pluginProperty, type PluginIdentity, type RootContext } from "./root-context.js";
import type { StreamBinding } from "./http-context.js";
import type { WasmVm } from "./vm.js";

export interface TcpContextOptions {
  properties?: Record<string, PropertyValue>;
}

export class TcpContext extends ContextBase {
  readonly kind = "tcp" as const;
  readonly filterState = new Map<string, Uint8Array>();
  /** The connection was failed (trap or failed VM): Envoy closes it. */
  failed = false;
  /** proxy_close_stream / failure closed a side. */
  readonly closed = { downstream: false, upstream: false };
  readonly continued = { downstream: false };
  /** Data as forwarded after the module's changes. */
  readonly forwarded = { downstream: [] as Uint8Array[], upstream: [] as Uint8Array[] };
  private downstreamData = new BodyBuffer();
  private upstreamData = new BodyBuffer();
  private readonly properties: PropertyTree;
  private completed = false;
  private readonly rootContext: RootContext | undefined;

  /** @internal created by Plugin.newTcpContext */
  constructor(private readonly binding: StreamBinding, id: number, private readonly plugin: PluginIdentity, options: TcpContextOptions = {}) {
    super(binding.mode === "vm" ? binding.vm : (undefined as unknown as WasmVm), id);
    this.rootContext = binding.mode === "vm" ? binding.root : undefined;
    this.properties = new PropertyTree(options.properties);
  }

  get root(): RootContext {
    if (!this.rootContext) throw new Error("connection has no VM");
    return this.rootContext;
  }

  /** @internal */
  createInVm(): void {
    if (this.binding.mode !== "vm") return;
    const { vm, root } = this.binding;
    vm.contexts.set(this.id, this);
    if (vm.failed) return;
    this.createdInVm = vm.call(this, "proxy_on_context_create", this.id, root.id).ok;
  }

  callOnNewConnection(): Action {
    return this.run("proxy_on_new_connection");
  }

  callOnDownstreamData(data: string | Uint8Array, endOfStream = false): Action {
    this.downstreamData = new BodyBuffer(toBytes(data));
    const action = this.run("proxy_on_downstream_data", this.downstreamData.length, endOfStream ? 1 : 0);
    this.forwarded.downstream.push(this.downstreamData.bytes);
    return action;
  }

  callOnUpstreamData(data: string | Uint8Array, endOfStream = false): Action {
    this.upstreamData = new BodyBuffer(toBytes(data));
    const action = this.run("proxy_on_upstream_data", this.upstreamData.length, endOfStream ? 1 : 0);
    this.forwarded.upstream.push(this.upstreamData.bytes);
    return action;
  }

  callOnDownstreamClose(peer: PeerType = PeerType.Remote): void {
    this.notify("proxy_on_downstream_connection_close", peer);
  }

  callOnUpstreamClose(peer: PeerType = PeerType.Remote): void {
    this.notify("proxy_on_upstream_connection_close", peer);
  }

  /** Ends the connection in Envoy's TCP order: on_done, on_log, on_delete. Idempotent. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    if (this.binding.mode !== "vm") return;
    const vm = this.binding.vm;
    for (const callee of ["proxy_on_done", "proxy_on_log", "proxy_on_delete"]) {
      if (this.createdInVm && !vm.failed) vm.call(this, callee, this.id);
    }
    vm.contexts.delete(this.id);
  }

  get downstreamText(): string {
    return this.forwarded.downstream.map(bytesToText).join("");
  }
  get upstreamText(): string {
    return this.forwarded.upstream.map(bytesToText).join("");
  }

  private notify(callee: string, peer: PeerType): void {
    if (this.binding.mode !== "vm" || this.vm.failed || !this.createdInVm) return;
    this.vm.call(this, callee, this.id, peer);
  }

  private run(callee: string, ...args: number[]): Action {
    if (this.binding.mode === "skip") return Action.Continue;
    if (this.binding.mode === "fail" || this.vm.failed) return this.fail();
    const result = this.vm.call(this, callee, this.id, ...args);
    if (!result.ok || this.vm.failed) return this.fail();
    if (result.missing) return Action.Continue;
    return result.value === 0 ? Action.Continue : Action.Pause;
  }

  /** cpp-host CHECK_FAIL_NET: a failed connection is closed and stops iteration. */
  private fail(): Action {
    this.failed = true;
    this.closed.downstream = true;
    this.closed.upstream = true;
    return Action.Pause;
  }

  override streamBuffer(type: BufferType): BodyBuffer | undefined {
    if (type === BufferType.DownstreamData) return this.downstreamData;
    if (type === BufferType.UpstreamData) return this.upstreamData;
    return undefined;
  }

  override setProperty(key: string, value: Uint8Array): Status {
    this.filterState.set(key, value);
    return Status.Ok;
  }

  override continueStream(type: StreamType): Status {
    if (type === StreamType.Downstream) {
      this.vm.defer(() => (this.continued.downstream = true));
      return Status.Ok;
    }
    return super.continueStream(type);
  }

  override closeStream(type: StreamType): Status {
    if (type === StreamType.Downstream || type === StreamType.Upstream) {
      const side = type === StreamType.Downstream ? "downstream" : "upstream";
      this.vm.defer(() => (this.closed[side] = true));
      return Status.Ok;
    }
    return super.closeStream(type);
  }

  lookupProperty(parts: readonly string[]): Uint8Array | undefined {
    const given = this.properties.lookup(parts) ?? pluginProperty(this.plugin, parts);
    if (given) return given;
    if (parts[0] === "filter_state" && parts.length === 2) return this.filterState.get(parts[1]!);
    if (parts.length === 1) return this.filterState.get(filterStateKey(parts[0]!));
    return undefined;
  }
}
