/**
 * One instantiated module: its exports, memory, contexts, and the bookkeeping
 * of a call into it (current/effective context, deferred after-call actions,
 * trap capture). Modelled on cpp-host's `WasmBase` (src/wasm.cc) and
 * `DeferAfterCallActions` (src/context.cc).
 */
import type { ContextBase } from "./context-base.js";
import type { HeaderMap } from "./header-map.js";
import { GuestMemory } from "./memory.js";

/** Receives what happens inside a VM. */
export interface VmOwner {
  /** A call trapped (any exception out of the module). The VM is already marked failed. */
  onTrap(vm: WasmVm, callee: string, error: unknown): void;
  /** Host-wide bookkeeping of nested VM calls (deferred deliveries run at depth 0). */
  enterVm(): void;
  exitVm(): void;
}

/** The result of a call into the module. */
export interface VmCallResult {
  /** False if the call trapped. */
  ok: boolean;
  /** The i32 the callee returned (0 for void callees, missing exports and traps). */
  value: number;
  /** The export does not exist (the call was skipped). */
  missing: boolean;
}

const MISSING: VmCallResult = Object.freeze({ ok: true, value: 0, missing: true });
const TRAPPED: VmCallResult = Object.freeze({ ok: false, value: 0, missing: false });

type ExportedFunction = (...args: (number | bigint)[]) => unknown;

export class WasmVm {
  readonly contexts = new Map<number, ContextBase>();
  /** The context a host function acts on, unless an effective one was set. */
  current: ContextBase | undefined;
  /** proxy_set_effective_context; 0 = none. Reset on every call into the VM. */
  effectiveId = 0;
  /**
   * `current`'s open request headers (ContextBase.openRequestHeaders) as the
   * callback found them, for the header host functions: one field read in
   * place of the context's map lookup, which also leaves TurboFan's inlining
   * budget to the name table (GuestNameTable.find); a header get took 3-7%
   * more without it at the machine's slow speed. Nothing closes or replaces the map while the callback runs (continuing a
   * stream takes effect after the call returns), and the host functions use
   * it only when no effective context is set.
   */
  currentRequestHeaders: HeaderMap | undefined;
  failed = false;
  failure: string | undefined;
  /** Set by proxy_send_local_response: the current stream callback must stop iteration. */
  stopNextIteration = false;
  memory!: GuestMemory;
  exports!: Record<string, unknown>;
  private nextContextId = 1;
  private depth = 0;
  private afterCall: (() => void)[] = [];

  constructor(readonly owner: VmOwner, readonly generation: number) {}

  /** Binds the instance's exports and memory (after instantiation). */
  attach(instance: WebAssembly.Instance): void {
    this.exports = instance.exports as Record<string, unknown>;
    const memory = this.exports["memory"] as WebAssembly.Memory;
    const allocate = (this.exports["proxy_on_memory_allocate"] ?? this.exports["malloc"]) as (size: number) => number;
    this.memory = new GuestMemory(memory, allocate);
  }

  allocateContextId(): number {
    return this.nextContextId++;
  }

  /** The context host functions act on (cpp-host `ContextOrEffectiveContext`). */
  context(): ContextBase | undefined {
    if (this.effectiveId !== 0) {
      const effective = this.contexts.get(this.effectiveId);
      if (effective) return effective;
    }
    return this.current;
  }

  has(name: string): boolean {
    return typeof this.exports[name] === "function";
  }

  /** Runs `action` once the outermost call into this VM has returned. */
  defer(action: () => void): void {
    if (this.depth === 0) action();
    else this.afterCall.push(action);
  }

  /**
   * Calls an export with `context` current. A trap marks the VM failed and is
   * reported to the owner; it never escapes.
   */
  call(context: ContextBase, name: string, ...args: (number | bigint)[]): VmCallResult {
    const fn = this.exports[name];
    if (typeof fn !== "function") return MISSING;
    const savedCurrent = this.current;
    const savedEffective = this.effectiveId;
    const savedRequestHeaders = this.currentRequestHeaders;
    this.current = context;
    this.effectiveId = 0;
    this.currentRequestHeaders = context.openRequestHeaders();
    this.depth++;
    this.owner.enterVm();
    let result: VmCallResult;
    try {
      const value = (fn as ExportedFunction)(...args);
      result = { ok: true, value: typeof value === "number" ? value >>> 0 : 0, missing: false };
    } catch (error) {
      this.failed = true;
      this.failure = `${name}: ${describeError(error)}`;
      this.owner.onTrap(this, name, error);
      result = TRAPPED;
    } finally {
      this.current = savedCurrent;
      this.effectiveId = savedEffective;
      this.currentRequestHeaders = savedRequestHeaders;
      this.depth--;
    }
    if (this.depth === 0) this.runAfterCallActions();
    this.owner.exitVm();
    return result;
  }

  private runAfterCallActions(): void {
    while (this.afterCall.length > 0) {
      const actions = this.afterCall;
      this.afterCall = [];
      for (const action of actions) {
        try {
          action();
        } catch (error) {
          this.failed = true;
          this.failure = `after-call action: ${describeError(error)}`;
          this.owner.onTrap(this, "after-call action", error);
        }
      }
    }
  }
}

/** "RuntimeError: unreachable" style text for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
