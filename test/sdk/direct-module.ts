// Drives an SDK-built test module without a host: its ABI callbacks are called directly, so
// tests can pick any context id, and host functions are stubs (proxy_log is recorded).
import { readFileSync } from "node:fs";
import { testModule } from "./module-path.js";

/** The module callbacks the SDK tests call directly. */
export interface DirectCallbacks {
  memory: WebAssembly.Memory;
  _initialize(): void;
  proxy_on_context_create(id: number, parent: number): void;
  proxy_on_vm_start(id: number, size: number): number;
  proxy_on_configure(id: number, size: number): number;
  proxy_on_request_headers(id: number, count: number, endOfStream: number): number;
  proxy_on_done(id: number): number;
  proxy_on_log(id: number): void;
  proxy_on_delete(id: number): void;
}

export interface DirectModule {
  vm: DirectCallbacks;
  /** Messages logged through proxy_log, in order. */
  logs: string[];
}

/**
 * Instantiates build/test/<name>.wasm with every import answering Ok. `onLog`
 * runs inside proxy_log, after the message was recorded; it may call back into
 * the module the way a host re-enters it.
 */
export function instantiateDirect(name: string, onLog: (message: string, module: DirectModule) => void = () => {}): DirectModule {
  const module = new WebAssembly.Module(readFileSync(testModule(name)));
  const direct = { logs: [] as string[] } as DirectModule;
  const env: Record<string, (...args: number[]) => number> = {};
  for (const imported of WebAssembly.Module.imports(module)) env[imported.name] = () => 0;
  // Trace: every message is kept.
  env.proxy_get_log_level = (pointer) => { new DataView(direct.vm.memory.buffer).setUint32(pointer!, 0, true); return 0; };
  env.proxy_log = (_level, pointer, size) => {
    const message = Buffer.from(direct.vm.memory.buffer, pointer!, size!).toString("utf8");
    direct.logs.push(message);
    onLog(message, direct);
    return 0;
  };
  direct.vm = new WebAssembly.Instance(module, { env }).exports as unknown as DirectCallbacks;
  direct.vm._initialize();
  return direct;
}
