/**
 * Whether `length` bytes at `a` and `b` are equal, 32 at a time (64 with SIMD; keys and
 * tokens run to hundreds of bytes, and a loop step is what costs in V8). The
 * time taken depends on where they first differ: for public values only
 * (keys, tokens, cache tags); secrets use constantTimeEqual.
 */
export function bytesEqual(a: usize, b: usize, length: usize): bool {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // Modules built with `--enable simd` compare 64 bytes a step, half the steps of the u64 loop below.
    for (; i + 64 <= length; i += 64) {
      const difference = v128.or(
        v128.or(v128.xor(v128.load(a + i), v128.load(b + i)), v128.xor(v128.load(a + i, 16), v128.load(b + i, 16))),
        v128.or(v128.xor(v128.load(a + i, 32), v128.load(b + i, 32)), v128.xor(v128.load(a + i, 48), v128.load(b + i, 48))),
      );
      if (v128.any_true(difference)) return false;
    }
  }
  for (; i + 32 <= length; i += 32) {
    const difference = (load<u64>(a + i) ^ load<u64>(b + i)) | (load<u64>(a + i, 8) ^ load<u64>(b + i, 8))
      | (load<u64>(a + i, 16) ^ load<u64>(b + i, 16)) | (load<u64>(a + i, 24) ^ load<u64>(b + i, 24));
    if (difference != 0) return false;
  }
  for (; i + 8 <= length; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < length; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}
