// What the crypto test modules share: the abort handler every module needs, and a static input area that JS
// fills before calling (`inputBuffer()`, `inputCapacity()`), read back as fresh arrays with `bytesAt`.
// test/modules/shared has no index.ts, so the global setup does not compile it as a module of its own.

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const INPUT_BYTES: i32 = 65536;

/** Start of the input area, for modules that read inputs in place. */
export const input = memory.data(INPUT_BYTES);

/** Where JS writes the inputs. */
export function inputBuffer(): usize {
  return input;
}

export function inputCapacity(): i32 {
  return INPUT_BYTES;
}

/** A copy of `length` input bytes from `offset`. */
export function bytesAt(offset: i32, length: i32): Uint8Array {
  const bytes = new Uint8Array(length);
  memory.copy(bytes.dataStart, input + <usize>offset, <usize>length);
  return bytes;
}
