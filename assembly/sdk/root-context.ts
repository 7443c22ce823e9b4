/**
 * The plugin-wide context: one per plugin (root_id) per VM. It receives VM
 * start, configuration, timers, queue notifications and foreign-function
 * calls, and creates the per-stream contexts.
 */
import { Status } from "./abi";
import { Context, ContextKind } from "./context";
import { HttpContext } from "./http-context";
import { TcpContext } from "./tcp-context";
import { pluginConfiguration, vmConfiguration } from "./host-buffer";
import * as host from "./hostcalls";

export class RootContext extends Context {
  constructor(id: u32) {
    super(id, ContextKind.Root);
  }

  /** The VM started; `vmConfigurationSize` bytes of VM configuration are readable. Return false to fail the VM. */
  onVmStart(vmConfigurationSize: u32): bool { return true; }

  /** The plugin was (re)configured. Return false to reject the configuration. */
  onConfigure(pluginConfigurationSize: u32): bool { return true; }

  /** Fires every tick period set with {@link setTickPeriod}. */
  onTick(): void {}

  /** A shared queue this root context registered has items. */
  onQueueReady(queueId: u32): void {}

  /** The host called into the module; arguments are readable as buffer ForeignFunctionArguments. */
  onForeignFunction(functionId: u32, argumentsSize: u32): void {}

  /** Return a context to handle an HTTP stream, or null when this plugin is not an HTTP filter. */
  createHttpContext(contextId: u32): HttpContext | null { return null; }

  /** Return a context to handle a TCP connection, or null when this plugin is not a network filter. */
  createTcpContext(contextId: u32): TcpContext | null { return null; }

  /** Asks for onTick every `periodMs` milliseconds (0 stops the timer). */
  setTickPeriod(periodMs: u32): Status {
    return host.setTickPeriodMilliseconds(periodMs);
  }

  /** The plugin configuration bytes (readable during onConfigure); null when absent. */
  pluginConfiguration(): ArrayBuffer | null { return pluginConfiguration.read(); }

  /** The plugin configuration as UTF-8 text ("" when absent). */
  pluginConfigurationText(): string { return pluginConfiguration.readText(); }

  /** The VM configuration bytes (readable during onVmStart); null when absent. */
  vmConfiguration(): ArrayBuffer | null { return vmConfiguration.read(); }

  /** The VM configuration as UTF-8 text ("" when absent). */
  vmConfigurationText(): string { return vmConfiguration.readText(); }

  /** Finishes a shutdown that onDone deferred by returning false. */
  done(): Status { return host.done(); }
}
