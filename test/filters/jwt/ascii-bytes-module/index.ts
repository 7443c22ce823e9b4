// Exposes the byte comparisons the jwt filter uses to tests, which check them against a reference in JS.
import { bytesEqual } from "../../../../assembly/crypto/bytes-equal";
import { equalIgnoringAsciiCase } from "../../../../assembly/filters/jwt/ascii-bytes";

const LEFT: usize = memory.data(4096, 16);
const RIGHT: usize = memory.data(4096, 16);

/** Where the test writes the first operand. */
export function left(): usize {
  return LEFT;
}

/** Where the test writes the second operand. */
export function right(): usize {
  return RIGHT;
}

/** bytesEqual of `length` bytes at left() + `leftOffset` and right() + `rightOffset` (1 or 0). */
export function exact(leftOffset: usize, rightOffset: usize, length: usize): u32 {
  return bytesEqual(LEFT + leftOffset, RIGHT + rightOffset, length) ? 1 : 0;
}

/** equalIgnoringAsciiCase of the same ranges (1 or 0). */
export function ignoringCase(leftOffset: usize, rightOffset: usize, length: usize): u32 {
  return equalIgnoringAsciiCase(LEFT + leftOffset, RIGHT + rightOffset, length) ? 1 : 0;
}

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
