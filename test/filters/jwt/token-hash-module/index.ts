// Exposes the jwt filter's cache bucket hash to tests, which use it to build tokens whose hashes collide.
import { hashTokenBytes } from "../../../../assembly/filters/jwt/token-hash";

const INPUT: usize = memory.data(16384, 16);

/** Where the test writes the bytes to hash. */
export function input(): usize {
  return INPUT;
}

/** The hash of the first `length` bytes written at {@link input}. */
export function hash(length: usize): u32 {
  return hashTokenBytes(INPUT, length);
}

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
