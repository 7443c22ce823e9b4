/** Errors the host raises to its callers. */
import type { LogEntry } from "./logs.js";

/**
 * startPlugin failed: the bytes are not Wasm, the module is not a proxy-wasm
 * ABI 0.2.1 module, it lacks exports, it trapped while starting, or
 * proxy_on_vm_start / proxy_on_configure returned false. Envoy rejects such a
 * configuration ("Unable to create Wasm plugin").
 */
export class PluginLoadError extends Error {
  constructor(
    readonly pluginName: string,
    readonly reason: string,
    readonly logs: readonly LogEntry[] = [],
  ) {
    const logText = logs.length ? `\nmodule log:\n${logs.map((l) => `  ${l.message}`).join("\n")}` : "";
    super(`Unable to create Wasm plugin ${pluginName}: ${reason}${logText}`);
    this.name = "PluginLoadError";
  }
}
