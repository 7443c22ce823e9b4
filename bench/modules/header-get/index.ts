// Benchmark module: on_request_headers performs `iterations` header lookups through
// proxy_get_header_map_value, so the host-call cost can be timed from inside Wasm. It hands
// the host memory exactly as the SDK does (host-handoff.ts) without the SDK's string decoding.
import { proxy_get_buffer_bytes, proxy_get_header_map_value, BufferType, MapType } from "../../../assembly/sdk/abi";
import { allocateForHost, releaseFromHost } from "../../../assembly/sdk/host-handoff";

let iterations: u32 = 1;
const KEY = String.UTF8.encode("x-request-id");
const RESULT = heap.alloc(8);

export function proxy_abi_version_0_2_1(): void {}
export function proxy_on_memory_allocate(size: usize): usize { return allocateForHost(size); }
export function proxy_on_context_create(context_id: u32, root_context_id: u32): void {}
export function proxy_on_vm_start(root_context_id: u32, vm_configuration_size: usize): u32 { return 1; }
// The plugin configuration is the decimal number of lookups per on_request_headers.
export function proxy_on_configure(root_context_id: u32, plugin_configuration_size: usize): u32 {
  if (plugin_configuration_size == 0) return 1;
  if (proxy_get_buffer_bytes(BufferType.PluginConfiguration, 0, plugin_configuration_size, RESULT, RESULT + 4) != 0) return 0;
  const data = load<u32>(RESULT);
  let n: u32 = 0;
  for (let i: usize = 0; i < plugin_configuration_size; i++) {
    const digit = <u32>load<u8>(data + i) - 48;
    if (digit > 9) return 0;
    n = n * 10 + digit;
  }
  releaseFromHost(data);
  iterations = n;
  return 1;
}
export function proxy_on_done(context_id: u32): u32 { return 1; }
export function proxy_on_log(context_id: u32): void {}
export function proxy_on_delete(context_id: u32): void {}

export function proxy_on_request_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 {
  const key = changetype<usize>(KEY);
  const keyLength = <usize>KEY.byteLength;
  for (let i: u32 = 0; i < iterations; i++) {
    proxy_get_header_map_value(MapType.HttpRequestHeaders, key, keyLength, RESULT, RESULT + 4);
    releaseFromHost(load<u32>(RESULT));
  }
  return 0;
}

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
