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
 * Each pass computes two columns, k and k+1: the limbs of a and m are loaded
 * once for both, the reversed arrays are read one limb apart, and loop and
 * carry overhead is paid per pair. Squaring computes each cross product once.
 * Both operands are copied to static buffers first, so every load in a column
 * loop is a constant offset from one of two running indices (one over a and m,
 * one over the reversed arrays): the engine folds the offsets into the loads
 * instead of computing six addresses per step.
 *
 * Lane bound: a u64 lane (or scalar sum) adds at most L+6 products below 2^56,
 * below 2^64 for every L up to MAX_LIMBS (147).
 *
 * Around the kernels: modular exponentiation, and for comparisons in scaled
 * form (RSA verification with a known key) an exponentiation that never
 * enters the Montgomery domain and a multiplication by a short operand.
 *
 * All state lives in static buffers: nothing here allocates, and the last
 * modulus is cached, so verifying again with the same key skips the setup.
 */
import { bytesEqual } from "../bytes-equal";
import {
  compareLimbs, LIMB_BITS, LIMB_BUFFER_BYTES, LIMB_MASK, LIMB_PADDING, limbCountFor, limbsFromBytes, MAX_LIMBS, subtractLimbs,
} from "./limbs";

/**
 * Zero bytes in front of each reversed number: a pass reads the second of its
 * two columns one limb before the first, which for the top columns is limb -1.
 */
const REVERSED_FRONT_PADDING: usize = 16;
const MODULUS: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const MODULUS_REVERSED: usize = memory.data(LIMB_BUFFER_BYTES + <i32>REVERSED_FRONT_PADDING, 16) + REVERSED_FRONT_PADDING;
/** R^2 mod n: multiplying by it enters the Montgomery domain. */
const R_SQUARED: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const ONE: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const OPERAND_REVERSED: usize = memory.data(LIMB_BUFFER_BYTES + <i32>REVERSED_FRONT_PADDING, 16) + REVERSED_FRONT_PADDING;
/** The first operand, at a fixed address like the quotient digits it is read alongside. */
const OPERAND: usize = memory.data(LIMB_BUFFER_BYTES, 16);
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
  if (length == cachedModulusLength && bytesEqual(modulus, CACHED_MODULUS_BYTES, length)) return;
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
 * Copies `a` (with its padding) to OPERAND and lays out `b` reversed for the
 * column loops; clears the quotient digits.
 */
// @ts-ignore: decorator
@inline function startProduct(a: usize, b: usize, count: usize): void {
  const bytes = count << 2;
  if (ASC_FEATURE_SIMD) {
    // Limbs 4j..4j+3 of b land reversed at count-4-4j .. count-1-4j. The last vector may take up
    // to 3 padding limbs of a and b along, the zeros that end OPERAND and start OPERAND_REVERSED.
    const zero = i64x2.splat(0);
    for (let offset: usize = 0; offset < bytes; offset += 16) {
      v128.store(OPERAND + offset, v128.load(a + offset));
      v128.store(QUOTIENT_DIGITS + offset, zero);
      v128.store(OPERAND_REVERSED + bytes - 16 - offset, i8x16.shuffle(v128.load(b + offset), zero, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
    }
    v128.store(OPERAND + bytes, zero);
    v128.store(QUOTIENT_DIGITS + bytes, zero);
    v128.store(OPERAND_REVERSED - 16, zero);
  } else {
    memory.copy(OPERAND, a, (count + <usize>LIMB_PADDING) << 2);
    const last = count - 1;
    for (let i: usize = 0; i < count; i++) store<u32>(OPERAND_REVERSED + ((last - i) << 2), load<u32>(b + (i << 2)));
    memory.fill(QUOTIENT_DIGITS, 0, (count + <usize>LIMB_PADDING) << 2);
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
  const count = <usize>limbCount;
  const last = count - 1;
  startProduct(a, b, count);
  const n0 = <u64>load<u32>(MODULUS);
  const n1 = <u64>load<u32>(MODULUS + 4);
  let carry: u64 = 0;
  for (let k: usize = 0; k < 2 * last + 1; k += 2) {
    // Columns k and k+1: a[i]·b[k-i] + m[i]·n[k-i] over i = first .. end-1, the
    // reversed arrays read from `reversed` for column k and one limb earlier for k+1.
    // m[k] and m[k+1] are still zero (finishColumnPair adds their terms). The SIMD loop
    // reads up to 3 limbs past `end`: zero padding of a, m or the reversed arrays.
    const first = k > last ? k - last : 0;
    const end = k + 2 < count ? k + 2 : count;
    // Limb i of a and m is at `forward` + OPERAND / QUOTIENT_DIGITS; the limb of b and n it
    // pairs with in column k is at `reversed` + OPERAND_REVERSED / MODULUS_REVERSED, and in
    // column k+1 one limb (4 bytes) lower.
    let forward = first << 2;
    let reversed = (last + first - k) << 2;
    const forwardEnd = end << 2;
    let lowK: u64, highK: u64, lowNext: u64, highNext: u64;
    if (ASC_FEATURE_SIMD) {
      let sumK = i64x2.splat(0);
      let sumKQuotient = i64x2.splat(0);
      let sumNext = i64x2.splat(0);
      let sumNextQuotient = i64x2.splat(0);
      for (; forward < forwardEnd; forward += 16, reversed += 16) {
        const xv = v128.load(forward, OPERAND);
        const yv = v128.load(forward, QUOTIENT_DIGITS);
        const xrK = v128.load(reversed, OPERAND_REVERSED);
        const yrK = v128.load(reversed, MODULUS_REVERSED);
        const xrNext = v128.load(reversed, OPERAND_REVERSED - 4);
        const yrNext = v128.load(reversed, MODULUS_REVERSED - 4);
        sumK = i64x2.add(sumK, i64x2.extmul_low_i32x4_u(xv, xrK));
        sumKQuotient = i64x2.add(sumKQuotient, i64x2.extmul_low_i32x4_u(yv, yrK));
        sumNext = i64x2.add(sumNext, i64x2.extmul_low_i32x4_u(xv, xrNext));
        sumNextQuotient = i64x2.add(sumNextQuotient, i64x2.extmul_low_i32x4_u(yv, yrNext));
        sumK = i64x2.add(sumK, i64x2.extmul_high_i32x4_u(xv, xrK));
        sumKQuotient = i64x2.add(sumKQuotient, i64x2.extmul_high_i32x4_u(yv, yrK));
        sumNext = i64x2.add(sumNext, i64x2.extmul_high_i32x4_u(xv, xrNext));
        sumNextQuotient = i64x2.add(sumNextQuotient, i64x2.extmul_high_i32x4_u(yv, yrNext));
      }
      sumK = i64x2.add(sumK, sumKQuotient);
      sumNext = i64x2.add(sumNext, sumNextQuotient);
      lowK = lowPartsOf(sumK);
      highK = highPartsOf(sumK);
      lowNext = lowPartsOf(sumNext);
      highNext = highPartsOf(sumNext);
    } else {
      let sumK: u64 = 0;
      let sumKQuotient: u64 = 0;
      let sumNext: u64 = 0;
      let sumNextQuotient: u64 = 0;
      for (; forward < forwardEnd; forward += 4, reversed += 4) {
        const xv = <u64>load<u32>(forward, OPERAND);
        const yv = <u64>load<u32>(forward, QUOTIENT_DIGITS);
        sumK += xv * <u64>load<u32>(reversed, OPERAND_REVERSED);
        sumKQuotient += yv * <u64>load<u32>(reversed, MODULUS_REVERSED);
        sumNext += xv * <u64>load<u32>(reversed, OPERAND_REVERSED - 4);
        sumNextQuotient += yv * <u64>load<u32>(reversed, MODULUS_REVERSED - 4);
      }
      lowK = (sumK & <u64>LIMB_MASK) + (sumKQuotient & <u64>LIMB_MASK);
      highK = (sumK >> LIMB_BITS) + (sumKQuotient >> LIMB_BITS);
      lowNext = (sumNext & <u64>LIMB_MASK) + (sumNextQuotient & <u64>LIMB_MASK);
      highNext = (sumNext >> LIMB_BITS) + (sumNextQuotient >> LIMB_BITS);
    }
    carry = finishColumnPair(k, carry, lowK, highK, lowNext, highNext, n0, n1);
  }
  finishProduct(out);
}

/** montgomeryMultiply(a, a, out) with each cross product a[i]·a[j] computed once and doubled. */
function montgomerySquare(a: usize, out: usize): void {
  const count = <usize>limbCount;
  const last = count - 1;
  startProduct(a, a, count);
  const n0 = <u64>load<u32>(MODULUS);
  const n1 = <u64>load<u32>(MODULUS + 4);
  let carry: u64 = 0;
  for (let k: usize = 0; k < 2 * last + 1; k += 2) {
    const first = k > last ? k - last : 0;
    // Digits m[k] and m[k+1] are still zero, so the reduction range stops before them.
    const end = k < count ? k : count;
    // Addressing as in montgomeryMultiply: `forward` over a and m, `reversed` over the reversed arrays.
    let forward = first << 2;
    let reversed = (last + first - k) << 2;
    const forwardEnd = end << 2;
    // k is even: one pass over i = first .. k/2 gives a[i]·a[k-i] and a[i]·a[k+1-i].
    // Column k wants twice the products with i < k/2 plus the middle square once,
    // i.e. twice the pass's sum minus the middle square; column k+1 has no middle.
    const half = k >> 1;
    const crossEnd = (half + 1) << 2;
    const middle = <u64>load<u32>(OPERAND + (half << 2));
    let crossK: u64, crossNext: u64, lowK: u64, highK: u64, lowNext: u64, highNext: u64;
    if (ASC_FEATURE_SIMD) {
      let productsK = i64x2.splat(0);
      let productsNext = i64x2.splat(0);
      let sumK = i64x2.splat(0);
      let sumNext = i64x2.splat(0);
      // The cross range ends no later than the reduction range (but for k = 0, whose digits read
      // as zero): one loop serves both while whole cross vectors last, then the masked cross
      // tail, then the rest of the reduction from the tail's vector on.
      const crossVectorEnd = forward + ((crossEnd - forward) & ~15);
      for (; forward < crossVectorEnd; forward += 16, reversed += 16) {
        const xv = v128.load(forward, OPERAND);
        const xrK = v128.load(reversed, OPERAND_REVERSED);
        const xrNext = v128.load(reversed, OPERAND_REVERSED - 4);
        const yv = v128.load(forward, QUOTIENT_DIGITS);
        const yrK = v128.load(reversed, MODULUS_REVERSED);
        const yrNext = v128.load(reversed, MODULUS_REVERSED - 4);
        productsK = i64x2.add(productsK, i64x2.extmul_low_i32x4_u(xv, xrK));
        productsNext = i64x2.add(productsNext, i64x2.extmul_low_i32x4_u(xv, xrNext));
        sumK = i64x2.add(sumK, i64x2.extmul_low_i32x4_u(yv, yrK));
        sumNext = i64x2.add(sumNext, i64x2.extmul_low_i32x4_u(yv, yrNext));
        productsK = i64x2.add(productsK, i64x2.extmul_high_i32x4_u(xv, xrK));
        productsNext = i64x2.add(productsNext, i64x2.extmul_high_i32x4_u(xv, xrNext));
        sumK = i64x2.add(sumK, i64x2.extmul_high_i32x4_u(yv, yrK));
        sumNext = i64x2.add(sumNext, i64x2.extmul_high_i32x4_u(yv, yrNext));
      }
      if (forward < crossEnd) {
        // The limbs after the cross range are live, so they are masked off.
        const xv = v128.and(v128.load(forward, OPERAND), v128.load(TAIL_MASKS + ((crossEnd - forward) << 2)));
        const xrK = v128.load(reversed, OPERAND_REVERSED);
        const xrNext = v128.load(reversed, OPERAND_REVERSED - 4);
        productsK = i64x2.add(productsK, i64x2.extmul_low_i32x4_u(xv, xrK));
        productsNext = i64x2.add(productsNext, i64x2.extmul_low_i32x4_u(xv, xrNext));
        productsK = i64x2.add(productsK, i64x2.extmul_high_i32x4_u(xv, xrK));
        productsNext = i64x2.add(productsNext, i64x2.extmul_high_i32x4_u(xv, xrNext));
      }
      for (; forward < forwardEnd; forward += 16, reversed += 16) {
        const yv = v128.load(forward, QUOTIENT_DIGITS);
        const yrK = v128.load(reversed, MODULUS_REVERSED);
        const yrNext = v128.load(reversed, MODULUS_REVERSED - 4);
        sumK = i64x2.add(sumK, i64x2.extmul_low_i32x4_u(yv, yrK));
        sumNext = i64x2.add(sumNext, i64x2.extmul_low_i32x4_u(yv, yrNext));
        sumK = i64x2.add(sumK, i64x2.extmul_high_i32x4_u(yv, yrK));
        sumNext = i64x2.add(sumNext, i64x2.extmul_high_i32x4_u(yv, yrNext));
      }
      // Doubled cross products join the reduction sums lane by lane (a lane then holds at most L+6 products).
      sumK = i64x2.add(sumK, i64x2.shl(productsK, 1));
      sumNext = i64x2.add(sumNext, i64x2.shl(productsNext, 1));
      // The middle square counted twice comes off once: the low part borrows 2^28 from
      // the high part, which may wrap below zero; the column total is exact modulo 2^64.
      const middleSquare = middle * middle;
      lowK = lowPartsOf(sumK) + (<u64>LIMB_MASK + 1) - (middleSquare & <u64>LIMB_MASK);
      highK = highPartsOf(sumK) - 1 - (middleSquare >> LIMB_BITS);
      lowNext = lowPartsOf(sumNext);
      highNext = highPartsOf(sumNext);
      crossK = 0;
      crossNext = 0;
    } else {
      let productsK: u64 = 0;
      let productsNext: u64 = 0;
      let sumK: u64 = 0;
      let sumNext: u64 = 0;
      for (; forward < crossEnd; forward += 4, reversed += 4) {
        const xv = <u64>load<u32>(forward, OPERAND);
        const yv = <u64>load<u32>(forward, QUOTIENT_DIGITS);
        productsK += xv * <u64>load<u32>(reversed, OPERAND_REVERSED);
        productsNext += xv * <u64>load<u32>(reversed, OPERAND_REVERSED - 4);
        sumK += yv * <u64>load<u32>(reversed, MODULUS_REVERSED);
        sumNext += yv * <u64>load<u32>(reversed, MODULUS_REVERSED - 4);
      }
      for (; forward < forwardEnd; forward += 4, reversed += 4) {
        const yv = <u64>load<u32>(forward, QUOTIENT_DIGITS);
        sumK += yv * <u64>load<u32>(reversed, MODULUS_REVERSED);
        sumNext += yv * <u64>load<u32>(reversed, MODULUS_REVERSED - 4);
      }
      crossK = (productsK << 1) - middle * middle;
      crossNext = productsNext << 1;
      lowK = sumK & <u64>LIMB_MASK;
      highK = sumK >> LIMB_BITS;
      lowNext = sumNext & <u64>LIMB_MASK;
      highNext = sumNext >> LIMB_BITS;
    }
    lowK += crossK & <u64>LIMB_MASK;
    highK += crossK >> LIMB_BITS;
    lowNext += crossNext & <u64>LIMB_MASK;
    highNext += crossNext >> LIMB_BITS;
    carry = finishColumnPair(k, carry, lowK, highK, lowNext, highNext, n0, n1);
  }
  finishProduct(out);
}

// Lane totals can pass 2^64 when added together, so a column is carried as
// low + high·2^28 with both parts far from overflow.

// @ts-ignore: decorator
@inline function lowPartsOf(sums: v128): u64 {
  return (<u64>i64x2.extract_lane(sums, 0) & <u64>LIMB_MASK) + (<u64>i64x2.extract_lane(sums, 1) & <u64>LIMB_MASK);
}

// @ts-ignore: decorator
@inline function highPartsOf(sums: v128): u64 {
  return (<u64>i64x2.extract_lane(sums, 0) >> LIMB_BITS) + (<u64>i64x2.extract_lane(sums, 1) >> LIMB_BITS);
}

/**
 * Completes columns k and k+1 (k even) from their sums without the carry.
 * A column below L gets its quotient digit m[k], chosen so its low limb
 * becomes zero; the pass could not include m[k]·n[0], nor m[k]·n[1] and
 * m[k+1]·n[0] in column k+1, since those digits were still zero in the
 * buffer, so they are added here. A column from L on is result limb k-L.
 * Returns the carry out of column k+1.
 */
// @ts-ignore: decorator
@inline function finishColumnPair(k: usize, carry: u64, lowK: u64, highK: u64, lowNext: u64, highNext: u64, n0: u64, n1: u64): u64 {
  const count = <usize>limbCount;
  let low = lowK + (carry & <u64>LIMB_MASK);
  let digit: u64 = 0;
  if (k < count) {
    digit = <u64>((<u32>low * negatedInverse) & LIMB_MASK);
    store<u32>(QUOTIENT_DIGITS + (k << 2), <u32>digit);
    low += digit * n0;
  } else {
    store<u32>(PRODUCT + ((k - count) << 2), <u32>low & LIMB_MASK);
  }
  carry = highK + (carry >> LIMB_BITS) + (low >> LIMB_BITS);
  low = lowNext + (carry & <u64>LIMB_MASK) + digit * n1;
  const high = highNext + (carry >> LIMB_BITS);
  if (k + 1 < count) {
    const nextDigit = <u64>((<u32>low * negatedInverse) & LIMB_MASK);
    store<u32>(QUOTIENT_DIGITS + ((k + 1) << 2), <u32>nextDigit);
    low += nextDigit * n0;
  } else {
    store<u32>(PRODUCT + ((k + 1 - count) << 2), <u32>low & LIMB_MASK);
  }
  return high + (low >> LIMB_BITS);
}

/** Copies the product (below 2n, as column 2L-1 ends the last pass) to `out`, reduced below n. */
// @ts-ignore: decorator
@inline function finishProduct(out: usize): void {
  const count = limbCount;
  if (compareLimbs(PRODUCT, MODULUS, count) >= 0) subtractLimbs(PRODUCT, MODULUS, PRODUCT, count);
  memory.copy(out, PRODUCT, <usize>count << 2);
  memory.fill(out + (<usize>count << 2), 0, <usize>LIMB_PADDING << 2);
}

/** Lane masks keeping the first 0..3 u32 lanes: the tail of a dot product that must not read past its end. */
const TAIL_MASKS: usize = memory.data<u32>([
  0, 0, 0, 0,
  0xFFFFFFFF, 0, 0, 0,
  0xFFFFFFFF, 0xFFFFFFFF, 0, 0,
  0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0,
], 16);

/**
 * Left-to-right square-and-multiply over the bits of `exponent` (`exponentLength`
 * big-endian bytes, non-zero, no leading zero byte) after its leading one,
 * starting from `start` (copied to `out`): every bit squares `out`, a 1 bit
 * then multiplies it by `factor`, or by `lastFactor` if it is the final bit.
 * Returns whether the final bit multiplied (an odd exponent above 1).
 */
function squareAndMultiply(start: usize, factor: usize, lastFactor: usize, exponent: usize, exponentLength: usize, out: usize): bool {
  memory.copy(out, start, <usize>(limbCount + LIMB_PADDING) << 2);
  let bit = 31 - <i32>clz<u32>(load<u8>(exponent));
  let lastMultiplied = false;
  for (let i: usize = 0; i < exponentLength; i++) {
    const byte = <u32>load<u8>(exponent + i);
    const lastByte = i == exponentLength - 1;
    for (bit--; bit >= 0; bit--) {
      montgomeryMultiply(out, out, out);
      if ((byte >> <u32>bit) & 1) {
        lastMultiplied = lastByte && bit == 0;
        montgomeryMultiply(out, lastMultiplied ? lastFactor : factor, out);
      }
    }
    bit = 8;
  }
  return lastMultiplied;
}

/**
 * out = base^exponent mod n for the `exponentLength` big-endian bytes at
 * `exponent` (non-zero, no leading zero byte), base below n in limbs with zero
 * padding; `out` is a LIMB_BUFFER_BYTES buffer. Public exponents only: the time
 * taken depends on the exponent.
 */
export function modularPower(base: usize, exponent: usize, exponentLength: usize, out: usize): void {
  montgomeryMultiply(base, R_SQUARED, BASE);
  // Multiplying by the plain base as the very last step also leaves the Montgomery
  // domain (x·R · b · R^-1 = x·b), saving the multiplication by 1 for odd exponents.
  if (!squareAndMultiply(BASE, BASE, base, exponent, exponentLength, out)) montgomeryMultiply(out, ONE, out);
}

/** out = x·R mod n, the Montgomery form of x (below n, with zero padding). */
export function toMontgomeryForm(x: usize, out: usize): void {
  montgomeryMultiply(x, R_SQUARED, out);
}

/**
 * out = base^e · R^-(e-1) mod n, fully reduced, for the exponent e in the
 * `exponentLength` big-endian bytes at `exponent` (non-zero, no leading zero
 * byte) and base below n with zero padding (out must not alias it). Square-and-multiply on the plain
 * base, which never enters the Montgomery domain: each squaring and each
 * multiplication by the base adds a factor R^-1, e-1 of them in all. That
 * saves the multiplication by R^2 that {@link modularPower} starts with, for
 * callers that can compare in the scaled form; {@link scaledPowerFactor} gives
 * the factor. Public exponents only: the time taken depends on the exponent.
 */
export function scaledModularPower(base: usize, exponent: usize, exponentLength: usize, out: usize): void {
  squareAndMultiply(base, base, base, exponent, exponentLength, out);
}

/** out = R^-(e-1) mod n, the factor {@link scaledModularPower} leaves on base^e (it is that power of 1). */
export function scaledPowerFactor(exponent: usize, exponentLength: usize, out: usize): void {
  scaledModularPower(ONE, exponent, exponentLength, out);
}

/** out = a + b mod n for a and b below n with zero padding; out may alias either. */
export function addModulo(a: usize, b: usize, out: usize): void {
  const count = limbCount;
  let carry: u32 = 0;
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const sum = load<u32>(a + at) + load<u32>(b + at) + carry;
    store<u32>(out + at, sum & LIMB_MASK);
    carry = sum >> LIMB_BITS;
  }
  // The spare top bit (limbCountFor) means a + b < 2n never leaves the limbs.
  if (compareLimbs(out, MODULUS, count) >= 0) subtractLimbs(out, MODULUS, out, count);
  memory.fill(out + (<usize>count << 2), 0, <usize>LIMB_PADDING << 2);
}

/** Longest first operand of {@link multiplyShortOperand}, in limbs. */
export const MAX_SHORT_LIMBS: i32 = 24;
const SHORT_QUOTIENT_DIGITS: usize = memory.data(MAX_SHORT_LIMBS * 4);
/** u64 column sums for the SIMD form of multiplyShortOperand (rows run up to 3 columns past the product). */
const SHORT_COLUMNS: usize = memory.data((MAX_SHORT_LIMBS + MAX_LIMBS + 8) * 8, 16);

/**
 * out = a·b·2^(-28·s) mod n, fully reduced, for a short `a` of s = `shortLimbs`
 * limbs (1 to MAX_SHORT_LIMBS, s <= L) and b below n with zero padding:
 * Montgomery multiplication with the radix 2^(28·s) of a's length instead of
 * R, so it takes 2·s·L products rather than 2·L^2. A column adds at most 2s
 * products below 2^56 and a carry, below 2^64 for s <= MAX_SHORT_LIMBS.
 * out may alias b.
 */
export function multiplyShortOperand(a: usize, shortLimbs: i32, b: usize, out: usize): void {
  const count = limbCount;
  const short = shortLimbs;
  if (ASC_FEATURE_SIMD) {
    // Row by row (operand scanning), each row a[i]·b + m[i]·n added into u64 columns i, i+1, ...
    // four at a time; m[i] clears column i, whose carry then moves to column i+1.
    memory.fill(SHORT_COLUMNS, 0, <usize>(short + count + 4) << 3);
    const bytes = <usize>count << 2;
    for (let i = 0; i < short; i++) {
      const row = SHORT_COLUMNS + (<usize>i << 3);
      const limb = load<u32>(a + (<usize>i << 2));
      const low = load<u64>(row) + <u64>limb * <u64>load<u32>(b);
      const digit = (<u32>low * negatedInverse) & LIMB_MASK;
      const limbs = i32x4.splat(limb);
      const digits = i32x4.splat(digit);
      for (let offset: usize = 0, column = row; offset < bytes; offset += 16, column += 32) {
        const bv = v128.load(b + offset);
        const nv = v128.load(MODULUS + offset);
        v128.store(column, i64x2.add(v128.load(column),
          i64x2.add(i64x2.extmul_low_i32x4_u(limbs, bv), i64x2.extmul_low_i32x4_u(digits, nv))));
        v128.store(column, i64x2.add(v128.load(column, 16),
          i64x2.add(i64x2.extmul_high_i32x4_u(limbs, bv), i64x2.extmul_high_i32x4_u(digits, nv))), 16);
      }
      store<u64>(row, load<u64>(row, 8) + (load<u64>(row) >> LIMB_BITS), 8);
    }
    let carry: u64 = 0;
    for (let j = 0; j < count; j++) {
      const sum = load<u64>(SHORT_COLUMNS + (<usize>(short + j) << 3)) + carry;
      store<u32>(PRODUCT + (<usize>j << 2), <u32>sum & LIMB_MASK);
      carry = sum >> LIMB_BITS;
    }
  } else {
    // Column by column (product scanning): column c takes a[i]·b[c-i] and m[i]·n[c-i] for
    // 0 <= i < s with 0 <= c-i < L; below s it also picks m[c] to clear its low limb, from
    // s on it is result limb c-s (the sum is below 2n).
    let carry: u64 = 0;
    for (let c = 0; c < short + count; c++) {
      const first = c >= count ? c - count + 1 : 0;
      const end = c < short ? c : short;
      let sum = carry;
      for (let i = first; i < end; i++) {
        const j = <usize>(c - i) << 2;
        sum += <u64>load<u32>(a + (<usize>i << 2)) * <u64>load<u32>(b + j)
          + <u64>load<u32>(SHORT_QUOTIENT_DIGITS + (<usize>i << 2)) * <u64>load<u32>(MODULUS + j);
      }
      if (c < short) {
        sum += <u64>load<u32>(a + (<usize>c << 2)) * <u64>load<u32>(b);
        const digit = (<u32>sum * negatedInverse) & LIMB_MASK;
        store<u32>(SHORT_QUOTIENT_DIGITS + (<usize>c << 2), digit);
        sum += <u64>digit * <u64>load<u32>(MODULUS);
      } else {
        store<u32>(PRODUCT + (<usize>(c - short) << 2), <u32>sum & LIMB_MASK);
      }
      carry = sum >> LIMB_BITS;
    }
  }
  finishProduct(out);
}
