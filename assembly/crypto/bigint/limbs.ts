/**
 * Non-negative integers as little-endian arrays of 28-bit limbs, one limb per u32.
 *
 * 28 bits leave room for lazy carries: a product of two limbs is below 2^56,
 * so a u64 column accumulator takes 255 of them before it could overflow,
 * which lets Montgomery multiplication sum whole columns with plain
 * multiply-adds (and two products per SIMD instruction) and carry once per column.
 */

export const LIMB_BITS: u32 = 28;
export const LIMB_MASK: u32 = (1 << LIMB_BITS) - 1;
/** Largest supported modulus in bits. */
export const MAX_MODULUS_BITS: i32 = 4096;
/** Limbs of the largest modulus plus the spare bit modular doubling needs. */
export const MAX_LIMBS: i32 = MAX_MODULUS_BITS / <i32>LIMB_BITS + 1;
/**
 * Every number buffer holds MAX_LIMBS limbs plus this many zero limbs, so a
 * loop reading 4 limbs at a time may run up to 3 limbs past a number's end.
 */
export const LIMB_PADDING: i32 = 4;
export const LIMB_BUFFER_BYTES: i32 = (MAX_LIMBS + LIMB_PADDING) * 4;

/** Limbs for a modulus of `bits` bits: at least one spare bit above it. */
export function limbCountFor(bits: i32): i32 {
  return bits / <i32>LIMB_BITS + 1;
}

/** Reads `length` big-endian bytes into `count` limbs (plus zeroed padding); the value must fit. */
export function limbsFromBytes(bytes: usize, length: usize, limbs: usize, count: i32): void {
  memory.fill(limbs, 0, <usize>(count + LIMB_PADDING) << 2);
  let limb = limbs;
  let i = length;
  // Seven bytes are exactly two limbs: while eight are left, the last seven come from one big-endian word.
  for (; i >= 8; i -= 7) {
    const word = bswap<u64>(load<u64>(bytes + i - 8));
    store<u32>(limb, <u32>word & LIMB_MASK);
    store<u32>(limb + 4, <u32>(word >> LIMB_BITS) & LIMB_MASK);
    limb += 8;
  }
  let accumulator: u64 = 0;
  let bits: u32 = 0;
  for (; i > 0; i--) {
    accumulator |= <u64>load<u8>(bytes + i - 1) << bits;
    bits += 8;
    if (bits >= LIMB_BITS) {
      store<u32>(limb, <u32>accumulator & LIMB_MASK);
      limb += 4;
      accumulator >>= LIMB_BITS;
      bits -= LIMB_BITS;
    }
  }
  if (bits > 0) store<u32>(limb, <u32>accumulator);
}

/** Writes `count` limbs as `length` big-endian bytes; the value must fit. */
export function limbsToBytes(limbs: usize, count: i32, bytes: usize, length: usize): void {
  let accumulator: u64 = 0;
  let bits: u32 = 0;
  let next: i32 = 0;
  for (let i = length; i > 0; i--) {
    if (bits < 8) {
      if (next < count) accumulator |= <u64>load<u32>(limbs + (<usize>next << 2)) << bits;
      next++;
      bits += LIMB_BITS;
    }
    store<u8>(bytes + i - 1, <u8>accumulator);
    accumulator >>= 8;
    bits -= 8;
  }
}

/** -1, 0 or 1 as a is below, equal to or above b (both `count` limbs). */
export function compareLimbs(a: usize, b: usize, count: i32): i32 {
  for (let i = count - 1; i >= 0; i--) {
    const x = load<u32>(a + (<usize>i << 2));
    const y = load<u32>(b + (<usize>i << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** out = a - b over `count` limbs (a >= b; out may alias a). */
export function subtractLimbs(a: usize, b: usize, out: usize, count: i32): void {
  let borrow: u32 = 0;
  for (let i = 0; i < count; i++) {
    const offset = <usize>i << 2;
    const difference = load<u32>(a + offset) - load<u32>(b + offset) - borrow;
    store<u32>(out + offset, difference & LIMB_MASK);
    borrow = difference >> 31;
  }
}

/** Number of significant bits in `length` big-endian bytes (leading zero bytes allowed). */
export function bitLengthOfBytes(bytes: usize, length: usize): i32 {
  for (let i: usize = 0; i < length; i++) {
    const byte = load<u8>(bytes + i);
    if (byte != 0) return <i32>((length - i - 1) << 3) + 32 - clz<u32>(byte);
  }
  return 0;
}
