// A proxy-wasm module without proxy_on_memory_allocate or malloc.
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_configure(contextId: u32, size: usize): bool {
  return true;
}
