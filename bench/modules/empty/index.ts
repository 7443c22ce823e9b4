// Benchmark module: the cheapest possible proxy-wasm HTTP filter, to time the host's own per-callback cost.
export function proxy_abi_version_0_2_1(): void {}
export function proxy_on_memory_allocate(size: usize): usize { return heap.alloc(size); }
export function proxy_on_context_create(context_id: u32, root_context_id: u32): void {}
export function proxy_on_vm_start(root_context_id: u32, vm_configuration_size: usize): u32 { return 1; }
export function proxy_on_configure(root_context_id: u32, plugin_configuration_size: usize): u32 { return 1; }
export function proxy_on_request_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 { return 0; }
export function proxy_on_done(context_id: u32): u32 { return 1; }
export function proxy_on_log(context_id: u32): void {}
export function proxy_on_delete(context_id: u32): void {}

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
