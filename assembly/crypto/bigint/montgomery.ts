/**
 * Montgomery arithmetic modulo one odd modulus at a time, with R = 2^(28·L)
 * for L limbs (see limbs.ts).
 *
 * Multiplication is the product-scanning ("FIPS") form: column k of a·b and
 * column k of m·n are summed together, m[k] is chosen to clear the column's
 * low limb, and one carry moves to the next column. The modulus and the second
 * operand are kept reversed, so every column is a pair of dot products over
 * contiguous memory — two products per SIMD multiply when built with
 * `--enable simd`, plain multiply-adds otherwise (ASC_FEATURE_SIMD picks).
 *
 * All state lives in static buffers: nothing here allocates, and the last
 * modulus is cached, so verifying again with the same key skips the setup.
 */
import {
  compareLimbs, LIMB_BITS, LIMB_BUFFER_BYTES, LIMB_MASK, LIMB_PADDING, limbCountFor, limbsFromBytes, subtractLimbs,
} from "./limbs";

const MODULUS: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const MODULUS_REVERSED: usize = memory.data(LIMB_BUFFER_BYTES, 16);
/** R^2 mod n: multiplying by it enters the Montgomery domain. */
const R_SQUARED: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const ONE: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const OPERAND_REVERSED: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const QUOTIENT_DIGITS: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const PRODUCT: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const BASE: usize = memory.data(LIMB_BUFFER_BYTES, 16);
/** The modulus bytes the buffers above were set up for. */
const CACHED_MODULUS_BYTES: usize = memory.data(512);

let limbCount: i32 = 0;
let cachedModulusLength: usize = 0;
/** -n^-1 mod 2^28. */
let negatedInverse: u32 = 0;

/** Limbs per number for the current modulus. */
export function currentLimbCount(): i32 {
  return limbCount;
}

/**
 * Makes the `length` big-endian bytes at `modulus` (odd, without leading zero
 * bytes, at most 512 bytes and `bits` significant bits) the current modulus.
 */
export function useModulus(modulus: usize, length: usize, bits: i32): void {
  if (length == cachedModulusLength && memory.compare(modulus, CACHED_MODULUS_BYTES, length) == 0) return;
  cachedModulusLength = 0;
  const count = limbCountFor(bits);
  limbCount = count;
  limbsFromBytes(modulus, length, MODULUS, count);
  memory.fill(MODULUS_REVERSED, 0, <usize>LIMB_BUFFER_BYTES);
  // Only the first `count` limbs are rewritten per multiplication; the padding after them must read as zero.
  memory.fill(OPERAND_REVERSED, 0, <usize>LIMB_BUFFER_BYTES);
  for (let i = 0; i < count; i++) store<u32>(MODULUS_REVERSED + (<usize>(count - 1 - i) << 2), load<u32>(MODULUS + (<usize>i << 2)));
  // Newton's iteration doubles the correct low bits of n0^-1 each step (3 -> 6 -> 12 -> 24 -> 48).
  const n0 = load<u32>(MODULUS);
  let inverse = n0;
  for (let i = 0; i < 4; i++) inverse *= 2 - n0 * inverse;
  negatedInverse = (0 - inverse) & LIMB_MASK;
  memory.fill(ONE, 0, <usize>LIMB_BUFFER_BYTES);
  store<u32>(ONE, 1);
  computeRSquared(bits);
  memory.copy(CACHED_MODULUS_BYTES, modulus, length);
  cachedModulusLength = length;
}

/** x = 2x mod n, for x < n. */
function doubleModulo(x: usize): void {
  const count = limbCount;
  let carry: u32 = 0;
  for (let i = 0; i < count; i++) {
    const at = x + (<usize>i << 2);
    const doubled = (load<u32>(at) << 1) | carry;
    store<u32>(at, doubled & LIMB_MASK);
    carry = doubled >> LIMB_BITS;
  }
  // The spare top bit (limbCountFor) means 2x never leaves the limbs.
  if (compareLimbs(x, MODULUS, count) >= 0) subtractLimbs(x, MODULUS, x, count);
}

/**
 * R^2 mod n, i.e. the Montgomery form of 2^t with t = 28·L. Doublings from
 * 2^(bits-1) reach the Montgomery form of 2^p for a small prefix p of t's
 * binary digits; each further digit is one Montgomery squaring (p -> 2p)
 * plus, for a 1 digit, one doubling (p -> p+1). Doublings cost O(L) and
 * squarings O(L^2), so p is kept around a couple of hundred.
 */
function computeRSquared(bits: i32): void {
  const count = limbCount;
  const t = count * <i32>LIMB_BITS;
  let remainingDigits = 0;
  while ((t >> remainingDigits) > 256) remainingDigits++;
  const prefix = t >> remainingDigits;
  memory.fill(R_SQUARED, 0, <usize>LIMB_BUFFER_BYTES);
  const top = bits - 1;
  store<u32>(R_SQUARED + (<usize>(top / <i32>LIMB_BITS) << 2), 1 << <u32>(top % <i32>LIMB_BITS));
  for (let i = 0, doublings = t + prefix - top; i < doublings; i++) doubleModulo(R_SQUARED);
  for (let digit = remainingDigits - 1; digit >= 0; digit--) {
    montgomeryMultiply(R_SQUARED, R_SQUARED, R_SQUARED);
    if ((t >> digit) & 1) doubleModulo(R_SQUARED);
  }
}

/**
 * out = a·b·R^-1 mod n, fully reduced. a and b must be below n and have zero
 * padding; out may alias either.
 */
export function montgomeryMultiply(a: usize, b: usize, out: usize): void {
  if (a == b) {
    montgomerySquare(a, out);
    return;
  }
  const count = limbCount;
  const last = <usize>(count - 1);
  for (let i: usize = 0; i < <usize>count; i++) store<u32>(OPERAND_REVERSED + ((last - i) << 2), load<u32>(b + (i << 2)));
  memory.fill(QUOTIENT_DIGITS, 0, <usize>(count + LIMB_PADDING) << 2);
  const n0 = <u64>load<u32>(MODULUS);
  let carry: u64 = 0;
  for (let k: usize = 0; k < <usize>count; k++) {
    // Column k: a[i]·b[k-i] + m[i]·n[k-i] for i = 0..k (m[k] is still 0 here).
    const reversedStart = (last - k) << 2;
    startColumn(carry);
    addProductPairs(a, OPERAND_REVERSED + reversedStart, QUOTIENT_DIGITS, MODULUS_REVERSED + reversedStart, <i32>k + 1);
    carry = finishLowColumn(k, n0);
  }
  for (let k: usize = <usize>count; k < 2 * last + 1; k++) {
    // Column k: i = k-L+1 .. L-1, which starts the reversed arrays at 0.
    const first = k - last;
    startColumn(carry);
    addProductPairs(a + (first << 2), OPERAND_REVERSED, QUOTIENT_DIGITS + (first << 2), MODULUS_REVERSED, count - <i32>first);
    carry = finishHighColumn(k - <usize>count);
  }
  finishProduct(carry, out);
}

/** montgomeryMultiply(a, a, out) with each cross product a[i]·a[j] computed once and doubled. */
function montgomerySquare(a: usize, out: usize): void {
  const count = limbCount;
  const last = <usize>(count - 1);
  for (let i: usize = 0; i < <usize>count; i++) store<u32>(OPERAND_REVERSED + ((last - i) << 2), load<u32>(a + (i << 2)));
  memory.fill(QUOTIENT_DIGITS, 0, <usize>(count + LIMB_PADDING) << 2);
  const n0 = <u64>load<u32>(MODULUS);
  let carry: u64 = 0;
  for (let k: usize = 0; k < <usize>count; k++) {
    const reversedStart = (last - k) << 2;
    startColumn(carry);
    // 2·a[i]·a[k-i] for i < k-i, the middle square when k is even, then m[i]·n[k-i].
    addSquareColumn(a, OPERAND_REVERSED + reversedStart, <i32>((k + 1) >> 1), (k & 1) == 0, QUOTIENT_DIGITS, MODULUS_REVERSED + reversedStart, <i32>k + 1);
    carry = finishLowColumn(k, n0);
  }
  for (let k: usize = <usize>count; k < 2 * last + 1; k++) {
    const first = k - last;
    startColumn(carry);
    // (k+1)/2 - first cross products: i = first .. (k-1)/2.
    addSquareColumn(
      a + (first << 2), OPERAND_REVERSED, <i32>((k + 1) >> 1) - <i32>first, (k & 1) == 0,
      QUOTIENT_DIGITS + (first << 2), MODULUS_REVERSED, count - <i32>first,
    );
    carry = finishHighColumn(k - <usize>count);
  }
  finishProduct(carry, out);
}

// A column total can pass 2^64, so it is kept as low + high·2^28 with both parts far from overflow.
let columnLow: u64 = 0;
let columnHigh: u64 = 0;

// @ts-ignore: decorator
@inline function startColumn(carry: u64): void {
  columnLow = carry & <u64>LIMB_MASK;
  columnHigh = carry >> LIMB_BITS;
}

/** Adds a partial sum below 2^64 to the column. */
// @ts-ignore: decorator
@inline function addSplit(sum: u64): void {
  columnLow += sum & <u64>LIMB_MASK;
  columnHigh += sum >> LIMB_BITS;
}

/** Picks the column's quotient digit so the low limb becomes zero; returns the carry into the next column. */
// @ts-ignore: decorator
@inline function finishLowColumn(k: usize, n0: u64): u64 {
  const digit = (<u32>columnLow * negatedInverse) & LIMB_MASK;
  store<u32>(QUOTIENT_DIGITS + (k << 2), digit);
  return columnHigh + ((columnLow + <u64>digit * n0) >> LIMB_BITS);
}

/** Stores the column's low limb as result limb `index`; returns the carry into the next column. */
// @ts-ignore: decorator
@inline function finishHighColumn(index: usize): u64 {
  store<u32>(PRODUCT + (index << 2), <u32>columnLow & LIMB_MASK);
  return columnHigh + (columnLow >> LIMB_BITS);
}

// @ts-ignore: decorator
@inline function finishProduct(carry: u64, out: usize): void {
  const count = limbCount;
  store<u32>(PRODUCT + (<usize>(count - 1) << 2), <u32>carry & LIMB_MASK);
  // The result is below 2n < 2^(28L), so carry >> 28 is 0 and one subtraction suffices.
  if (compareLimbs(PRODUCT, MODULUS, count) >= 0) subtractLimbs(PRODUCT, MODULUS, PRODUCT, count);
  memory.copy(out, PRODUCT, <usize>count << 2);
  memory.fill(out + (<usize>count << 2), 0, <usize>LIMB_PADDING << 2);
}

/**
 * Adds x[i]·xr[i] + y[i]·yr[i] for i < length. Reads up to 3 limbs past
 * `length`; for every caller those are zero in xr or x, and in yr or y.
 * Each u64 lane sums at most 2·ceil(L/2) products below 2^56: below 2^64 for L <= 255.
 */
// @ts-ignore: decorator
@inline function addProductPairs(x: usize, xr: usize, y: usize, yr: usize, length: i32): void {
  const end = <usize>length << 2;
  if (ASC_FEATURE_SIMD) {
    // Two independent accumulators keep the additions off one dependency chain.
    let xSums = i64x2.splat(0);
    let ySums = i64x2.splat(0);
    for (let offset: usize = 0; offset < end; offset += 16) {
      const xv = v128.load(x + offset);
      const xrv = v128.load(xr + offset);
      const yv = v128.load(y + offset);
      const yrv = v128.load(yr + offset);
      xSums = i64x2.add(xSums, i64x2.extmul_low_i32x4_u(xv, xrv));
      ySums = i64x2.add(ySums, i64x2.extmul_low_i32x4_u(yv, yrv));
      xSums = i64x2.add(xSums, i64x2.extmul_high_i32x4_u(xv, xrv));
      ySums = i64x2.add(ySums, i64x2.extmul_high_i32x4_u(yv, yrv));
    }
    const sums = i64x2.add(xSums, ySums);
    addSplit(i64x2.extract_lane(sums, 0));
    addSplit(i64x2.extract_lane(sums, 1));
  } else {
    let xSum: u64 = 0;
    let ySum: u64 = 0;
    for (let offset: usize = 0; offset < end; offset += 4) {
      xSum += <u64>load<u32>(x + offset) * <u64>load<u32>(xr + offset);
      ySum += <u64>load<u32>(y + offset) * <u64>load<u32>(yr + offset);
    }
    addSplit(xSum);
    addSplit(ySum);
  }
}

/** Lane masks keeping the first 0..3 u32 lanes: the tail of a dot product that must not read past its end. */
const TAIL_MASKS: usize = memory.data<u32>([
  0, 0, 0, 0,
  0xFFFFFFFF, 0, 0, 0,
  0xFFFFFFFF, 0xFFFFFFFF, 0, 0,
  0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0,
], 16);

/**
 * Adds 2·x[i]·xr[i] for i < crossLength (the limbs after that are live, so
 * they are masked off), x[crossLength]^2 if `middle`, and y[i]·yr[i] for
 * i < length (over-reading like addProductPairs). Lane bound: 2·L/4 doubled
 * cross products plus L/2 reduction products, below 2^64 for L <= 255.
 */
// @ts-ignore: decorator
@inline function addSquareColumn(x: usize, xr: usize, crossLength: i32, middle: bool, y: usize, yr: usize, length: i32): void {
  const crossEnd = <usize>crossLength << 2;
  const end = <usize>length << 2;
  const middleLimb = <u64>load<u32>(x + crossEnd);
  if (ASC_FEATURE_SIMD) {
    let cross = i64x2.splat(0);
    let offset: usize = 0;
    for (; offset + 16 <= crossEnd; offset += 16) {
      const xv = v128.load(x + offset);
      const xrv = v128.load(xr + offset);
      cross = i64x2.add(cross, i64x2.extmul_low_i32x4_u(xv, xrv));
      cross = i64x2.add(cross, i64x2.extmul_high_i32x4_u(xv, xrv));
    }
    if (offset < crossEnd) {
      const xv = v128.and(v128.load(x + offset), v128.load(TAIL_MASKS + ((crossEnd - offset) << 2)));
      const xrv = v128.load(xr + offset);
      cross = i64x2.add(cross, i64x2.extmul_low_i32x4_u(xv, xrv));
      cross = i64x2.add(cross, i64x2.extmul_high_i32x4_u(xv, xrv));
    }
    let lowSums = i64x2.shl(cross, 1);
    let highSums = i64x2.splat(0);
    for (offset = 0; offset < end; offset += 16) {
      const yv = v128.load(y + offset);
      const yrv = v128.load(yr + offset);
      lowSums = i64x2.add(lowSums, i64x2.extmul_low_i32x4_u(yv, yrv));
      highSums = i64x2.add(highSums, i64x2.extmul_high_i32x4_u(yv, yrv));
    }
    const sums = i64x2.add(lowSums, highSums);
    addSplit(i64x2.extract_lane(sums, 0));
    addSplit(i64x2.extract_lane(sums, 1));
  } else {
    let cross: u64 = 0;
    for (let offset: usize = 0; offset < crossEnd; offset += 4) cross += <u64>load<u32>(x + offset) * <u64>load<u32>(xr + offset);
    let sum: u64 = 0;
    for (let offset: usize = 0; offset < end; offset += 4) sum += <u64>load<u32>(y + offset) * <u64>load<u32>(yr + offset);
    addSplit(cross << 1);
    addSplit(sum);
  }
  if (middle) addSplit(middleLimb * middleLimb);
}

/**
 * out = base^exponent mod n for the `exponentLength` big-endian bytes at
 * `exponent` (non-zero, no leading zero byte), base below n in limbs with zero
 * padding; `out` is a LIMB_BUFFER_BYTES buffer. Left-to-right square-and-multiply: public exponents only, the time
 * taken depends on the exponent.
 */
export function modularPower(base: usize, exponent: usize, exponentLength: usize, out: usize): void {
  montgomeryMultiply(base, R_SQUARED, BASE);
  memory.copy(out, BASE, <usize>(limbCount + LIMB_PADDING) << 2);
  const first = load<u8>(exponent);
  let bit = 31 - <i32>clz<u32>(first);
  let leavesDomain = false;
  for (let i: usize = 0; i < exponentLength; i++) {
    const byte = <u32>load<u8>(exponent + i);
    const lastByte = i == exponentLength - 1;
    for (bit--; bit >= 0; bit--) {
      montgomeryMultiply(out, out, out);
      if ((byte >> <u32>bit) & 1) {
        // Multiplying by the plain base as the very last step also leaves the Montgomery
        // domain (x·R · b · R^-1 = x·b), saving the multiplication by 1 for odd exponents.
        if (lastByte && bit == 0) {
          montgomeryMultiply(out, base, out);
          leavesDomain = true;
        } else {
          montgomeryMultiply(out, BASE, out);
        }
      }
    }
    bit = 8;
  }
  if (!leavesDomain) montgomeryMultiply(out, ONE, out);
}
