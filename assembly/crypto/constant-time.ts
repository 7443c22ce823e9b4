/**
 * Compares `length` bytes at `a` and `b` without an early exit, so the time
 * taken does not tell how many leading bytes of a guessed MAC were right.
 */
export function constantTimeEqual(a: usize, b: usize, length: usize): bool {
  let difference: u32 = 0;
  for (let i: usize = 0; i < length; i++) difference |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  return difference == 0;
}
