// A stand-in for a host whose calls cost next to nothing: each import does the least the ABI asks of it
// (copy a prepared answer into guest memory, or return Ok), so timing a filter under it shows the filter's
// own Wasm work, apart from what a host's calls cost. Only for benchmarks: it keeps no state.
import { serializePairs } from "../src/host/memory.js";

const OK = 0;
const NOT_FOUND = 1;
const PLUGIN_CONFIGURATION = 7;
const LOG_LEVEL_WARN = 3;

interface ProxyWasmCallbacks {
  memory: WebAssembly.Memory;
  _initialize(): void;
  proxy_on_memory_allocate(size: number): number;
  proxy_on_context_create(id: number, parent: number): void;
  proxy_on_vm_start(id: number, size: number): number;
  proxy_on_configure(id: number, size: number): number;
  proxy_on_request_headers(id: number, count: number, endOfStream: number): number;
  proxy_on_done(id: number): number;
  proxy_on_log(id: number): void;
  proxy_on_delete(id: number): void;
}

/** A plugin under the stub host: `stream()` runs one request-headers-only stream through it. */
export interface StubbedPlugin {
  stream(): void;
}

/**
 * Instantiates `wasm`, configures it with `pluginConfiguration`, and answers
 * every stream's header reads with `requestHeaders`.
 */
export function startStubbedPlugin(wasm: Uint8Array<ArrayBuffer>, pluginConfiguration: string, requestHeaders: [string, string][]): StubbedPlugin {
  const module = new WebAssembly.Module(wasm);
  const configuration = Buffer.from(pluginConfiguration);
  const pairs = serializePairs(requestHeaders);
  let vm: ProxyWasmCallbacks;
  // Views are rebuilt only after memory.grow detached them (length 0), as the real host does.
  let u8 = new Uint8Array(0);
  let view = new DataView(new ArrayBuffer(0));
  const bytes = () => {
    if (u8.length === 0) {
      u8 = new Uint8Array(vm.memory.buffer);
      view = new DataView(vm.memory.buffer);
    }
    return u8;
  };
  const words = () => {
    bytes();
    return view;
  };
  const copyOut = (data: Uint8Array, ptrPtr: number, sizePtr: number): number => {
    const ptr = vm.proxy_on_memory_allocate(data.length);
    bytes().set(data, ptr);
    words().setUint32(ptrPtr, ptr, true);
    words().setUint32(sizePtr, data.length, true);
    return OK;
  };
  const writeNowNs = (ptr: number): number => {
    const ns = Date.now() * 1e6;
    words().setUint32(ptr, ns % 4294967296, true);
    words().setUint32(ptr + 4, Math.floor(ns / 4294967296), true);
    return OK;
  };
  const env: Record<string, (...args: number[]) => number> = {};
  for (const imported of WebAssembly.Module.imports(module)) env[imported.name] = () => OK;
  env.proxy_get_log_level = (ptr) => { words().setUint32(ptr!, LOG_LEVEL_WARN, true); return OK; };
  env.proxy_get_property = () => NOT_FOUND;
  const logs: string[] = [];
  env.proxy_log = (_level, ptr, size) => { logs.push(Buffer.from(vm.memory.buffer, ptr!, size!).toString()); return OK; };
  env.proxy_get_header_map_value = () => NOT_FOUND;
  env.proxy_get_buffer_bytes = (type, start, size, ptrPtr, sizePtr) =>
    type === PLUGIN_CONFIGURATION ? copyOut(configuration.subarray(start! >>> 0, (start! >>> 0) + (size! >>> 0)), ptrPtr!, sizePtr!) : NOT_FOUND;
  env.proxy_get_header_map_pairs = (_type, ptrPtr, sizePtr) => copyOut(pairs, ptrPtr!, sizePtr!);
  env.proxy_get_current_time_nanoseconds = (ptr) => writeNowNs(ptr!);
  vm = new WebAssembly.Instance(module, { env, wasi_snapshot_preview1: env }).exports as unknown as ProxyWasmCallbacks;
  vm._initialize();
  const root = 1;
  vm.proxy_on_context_create(root, 0);
  if (!vm.proxy_on_vm_start(root, 0) || !vm.proxy_on_configure(root, configuration.length)) throw new Error(`the plugin refused its configuration under the stub host: ${logs.join("; ")}`);
  let nextId = 2;
  return {
    stream() {
      const id = nextId++;
      vm.proxy_on_context_create(id, root);
      vm.proxy_on_request_headers(id, requestHeaders.length, 1);
      vm.proxy_on_done(id);
      vm.proxy_on_log(id);
      vm.proxy_on_delete(id);
    },
  };
}
