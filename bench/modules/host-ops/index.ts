// Benchmark module: on_request_headers performs one hot host call `count` times, so its cost can be timed from
// inside Wasm against the same module doing nothing. The plugin configuration is two digits: the call, the count.
//   1 proxy_get_header_map_pairs (request headers)   2 proxy_remove_header_map_value("authorization")
//   3 proxy_get_current_time_nanoseconds           4 proxy_set_property("wasmixer.bench", 200 bytes)
import {
  proxy_get_buffer_bytes, proxy_get_current_time_nanoseconds, proxy_get_header_map_pairs, proxy_remove_header_map_value,
  proxy_set_property, BufferType, MapType,
} from "../../../assembly/sdk/abi";
import { allocateForHost, releaseFromHost } from "../../../assembly/sdk/host-handoff";

let call: u32 = 0;
let count: u32 = 0;
const HEADER = String.UTF8.encode("authorization");
const PROPERTY = String.UTF8.encode("wasmixer.bench");
const VALUE = new ArrayBuffer(200);
const RESULT = heap.alloc(16);

export function proxy_abi_version_0_2_1(): void {}
export function proxy_on_memory_allocate(size: usize): usize { return allocateForHost(size); }
export function proxy_on_context_create(context_id: u32, root_context_id: u32): void {}
export function proxy_on_vm_start(root_context_id: u32, vm_configuration_size: usize): u32 { return 1; }
export function proxy_on_configure(root_context_id: u32, plugin_configuration_size: usize): u32 {
  if (plugin_configuration_size != 2) return 0;
  if (proxy_get_buffer_bytes(BufferType.PluginConfiguration, 0, 2, RESULT, RESULT + 4) != 0) return 0;
  const data = load<u32>(RESULT);
  call = <u32>load<u8>(data) - 48;
  count = <u32>load<u8>(data + 1) - 48;
  releaseFromHost(data);
  return call <= 4 && count <= 9 ? 1 : 0;
}
export function proxy_on_done(context_id: u32): u32 { return 1; }
export function proxy_on_log(context_id: u32): void {}
export function proxy_on_delete(context_id: u32): void {}

export function proxy_on_request_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 {
  for (let i: u32 = 0; i < count; i++) {
    if (call == 1) {
      proxy_get_header_map_pairs(MapType.HttpRequestHeaders, RESULT, RESULT + 4);
      releaseFromHost(load<u32>(RESULT));
    } else if (call == 2) {
      proxy_remove_header_map_value(MapType.HttpRequestHeaders, changetype<usize>(HEADER), <usize>HEADER.byteLength);
    } else if (call == 3) {
      proxy_get_current_time_nanoseconds(RESULT + 8);
    } else if (call == 4) {
      proxy_set_property(changetype<usize>(PROPERTY), <usize>PROPERTY.byteLength, changetype<usize>(VALUE), <usize>VALUE.byteLength);
    }
  }
  return 0;
}

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
