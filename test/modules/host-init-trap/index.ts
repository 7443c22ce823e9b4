// A proxy-wasm module whose start code (_initialize) traps.
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

let ready = false;
function init(): void {
  if (!ready) unreachable();
}
init();
