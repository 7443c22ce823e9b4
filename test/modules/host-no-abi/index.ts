// A module that looks like a filter but lacks the proxy_abi_version_0_2_1 export.
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_on_configure(contextId: u32, size: usize): bool {
  return true;
}
