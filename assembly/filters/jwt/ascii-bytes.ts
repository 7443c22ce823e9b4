/**
 * Comparing raw header bytes with names, prefixes and tokens the way the
 * string-based code compared decoded text: header names and auth schemes
 * ignore ASCII case (RFC 9110 §5.1, §11.1), everything else is exact.
 */
import { bytesEqual } from "../../crypto/bytes-equal";

// @ts-ignore: decorator
@inline function lowerAscii(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/** Whether `length` bytes at `a` and at `b` are equal, ignoring ASCII case. */
export function equalIgnoringAsciiCase(a: usize, b: usize, length: usize): bool {
  // Header names mostly differ in their first byte and mostly agree in case when equal: both are settled
  // without the per-byte fold (a loop step is what costs in V8 on small machines).
  if (length == 0) return true;
  if (lowerAscii(<u32>load<u8>(a)) != lowerAscii(<u32>load<u8>(b))) return false;
  let i: usize = 0;
  for (; i + 8 <= length; i += 8) {
    if (load<u64>(a + i) == load<u64>(b + i)) continue;
    for (let j = i; j < i + 8; j++) {
      if (lowerAscii(<u32>load<u8>(a + j)) != lowerAscii(<u32>load<u8>(b + j))) return false;
    }
  }
  for (; i < length; i++) {
    if (lowerAscii(<u32>load<u8>(a + i)) != lowerAscii(<u32>load<u8>(b + i))) return false;
  }
  return true;
}

/** Whether the `length` bytes at `text` are exactly `expected`, ignoring ASCII case. */
export function isIgnoringAsciiCase(text: usize, length: usize, expected: ArrayBuffer): bool {
  return <usize>expected.byteLength == length && equalIgnoringAsciiCase(text, changetype<usize>(expected), length);
}

/** Whether the `length` bytes at `text` start with `prefix`, ignoring ASCII case. */
export function startsWithIgnoringAsciiCase(text: usize, length: usize, prefix: ArrayBuffer): bool {
  const prefixLength = <usize>prefix.byteLength;
  return prefixLength <= length && equalIgnoringAsciiCase(text, changetype<usize>(prefix), prefixLength);
}

/** Whether the `length` bytes at `text` are exactly `expected`. */
export function bytesAre(text: usize, length: usize, expected: ArrayBuffer): bool {
  return <usize>expected.byteLength == length && bytesEqual(text, changetype<usize>(expected), length);
}
