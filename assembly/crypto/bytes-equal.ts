/**
 * Whether `length` bytes at `a` and `b` are equal, eight at a time. The time
 * taken depends on where they first differ: for public values only (keys,
 * cache tags); secrets use constantTimeEqual.
 */
export function bytesEqual(a: usize, b: usize, length: usize): bool {
  let i: usize = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < length; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}
