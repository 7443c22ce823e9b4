/**
 * Arithmetic modulo an odd prime in Montgomery form, shared by every curve in
 * this folder (P-256 and P-384 coordinates and scalars, Ed25519's field and
 * group order).
 *
 * An element is a pointer to `limbs` little-endian u64 words holding 29 bits
 * each. 29-bit limbs in 64-bit words let a whole multiplication accumulate its
 * partial products without propagating carries (Wasm has no add-with-carry),
 * which is what makes one generic routine fast enough for every modulus.
 * Elements are kept fully reduced (< modulus) so equality is limb equality,
 * except under the P-256 kernel: there every operation takes and returns
 * values below 2p, which drops the final subtraction from products, and
 * `isZero`, `equals` and `canonical` compare or return the reduced value.
 *
 * Memory comes from `heap.alloc` and is never freed: fields live for the
 * whole module lifetime and are created lazily, on first verification.
 */

import {
  add9, montgomeryMultiply9, montgomeryMultiply9Lazy, montgomerySquare9, montgomerySquare9Lazy, p256Add, p256Canonical, p256Equals, p256IsZero, p256Multiply,
  p256MultiplySmall, p256Square, p256Subtract, p256SubtractTwice, subtract9,
} from "./unrolled-nine-limbs";

/** Which routines a field's operations run. */
export enum FieldKernel {
  /** Loops over any limb count. */
  Generic,
  /** Unrolled for 9 limbs (moduli of 2^232 to 2^260). */
  NineLimbs,
  /** Unrolled for 9 limbs with P-256's p folded in as shifts; values are kept below 2p. */
  P256,
}

/** Bits per limb. */
export const LIMB_BITS: i32 = 29;
/** Mask of one limb's bits. */
export const LIMB_MASK: u64 = (<u64>1 << LIMB_BITS) - 1;

/** Allocates `words` zeroed u64 words that are never freed. */
export function allocWords(words: i32): usize {
  const bytes = <usize>words << 3;
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

// @ts-ignore: decorator
@inline function limb(ptr: usize, i: i32): u64 {
  return load<u64>(ptr + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function setLimb(ptr: usize, i: i32, value: u64): void {
  store<u64>(ptr + (<usize>i << 3), value);
}

/** The smallest limb count whose capacity exceeds twice `bits`-bit values. */
function limbsFor(bits: i32): i32 {
  return (bits + 1 + LIMB_BITS - 1) / LIMB_BITS;
}

/** Bits of a big-endian hex string without leading zero digits. */
function hexBits(hex: string): i32 {
  let i = 0;
  while (i < hex.length && hex.charCodeAt(i) == 0x30) i++;
  if (i == hex.length) return 0;
  const lead = hexDigit(hex.charCodeAt(i));
  return (hex.length - i - 1) * 4 + (32 - clz<i32>(lead));
}

function hexDigit(code: i32): i32 {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return 0;
}

/** Modular arithmetic for one odd modulus. */
export class MontgomeryField {
  /** Limbs per element. */
  readonly limbs: i32;
  /** Bytes per element (`limbs` u64 words). */
  readonly elementBytes: usize;
  /** Bit length of the modulus. */
  readonly bits: i32;
  /** The modulus, in plain limbs. */
  readonly modulus: usize;
  /** -modulus^-1 mod 2^29. */
  private readonly modulusInverse: u64;
  /** R mod modulus with R = 2^(29 limbs): Montgomery form of 1. */
  readonly one: usize;
  /** R^2 mod modulus: converts plain values into Montgomery form. */
  private readonly rSquared: usize;
  /** Plain 1: converts Montgomery form back. */
  private readonly plainOne: usize;
  /** modulus - 2, the exponent of Fermat inversion. */
  private readonly modulusMinusTwo: usize;
  private readonly accumulator: usize;
  private readonly powTable: usize;
  private readonly powResult: usize;
  private readonly zero: usize;
  /** Holds an operand that `out` may overwrite mid-operation. */
  private readonly operandCopy: usize;
  private readonly kernel: FieldKernel;
  /** Powers may use the 9-limb products without their final subtraction (needs 4m < 2^261). */
  private readonly lazyNineLimbs: bool;

  /**
   * `modulusHex`: big-endian hex of an odd prime. `p256`: the modulus is
   * P-256's p, which has a shift-only reduction.
   */
  constructor(modulusHex: string, p256: bool = false) {
    const bits = hexBits(modulusHex);
    const limbs = limbsFor(bits);
    this.kernel = p256 ? FieldKernel.P256 : limbs == 9 ? FieldKernel.NineLimbs : FieldKernel.Generic;
    this.lazyNineLimbs = this.kernel == FieldKernel.NineLimbs && bits <= 256;
    this.zero = allocWords(limbs);
    this.operandCopy = allocWords(limbs);
    this.bits = bits;
    this.limbs = limbs;
    this.elementBytes = <usize>limbs << 3;
    this.modulus = allocWords(limbs);
    this.accumulator = allocWords(limbs + 1);
    this.one = allocWords(limbs);
    this.rSquared = allocWords(limbs);
    this.plainOne = allocWords(limbs);
    this.modulusMinusTwo = allocWords(limbs);
    this.powTable = allocWords(16 * limbs);
    this.powResult = allocWords(limbs);
    this.setHex(this.modulus, modulusHex);

    // Newton iteration doubles the correct low bits: 3 (odd m is its own inverse mod 8) -> 48.
    const m0 = limb(this.modulus, 0);
    let inverse = m0;
    for (let i = 0; i < 4; i++) inverse = inverse * (2 - m0 * inverse);
    this.modulusInverse = (0 - inverse) & LIMB_MASK;

    setLimb(this.plainOne, 0, 1);
    // R mod m and R^2 mod m by repeated modular doubling: done once, so simplicity wins.
    this.copy(this.one, this.plainOne);
    for (let i = 0; i < limbs * LIMB_BITS; i++) this.add(this.one, this.one, this.one);
    this.copy(this.rSquared, this.one);
    for (let i = 0; i < limbs * LIMB_BITS; i++) this.add(this.rSquared, this.rSquared, this.rSquared);

    const two = allocWords(limbs);
    setLimb(two, 0, 2);
    this.subPlain(this.modulusMinusTwo, this.modulus, two);
  }

  /** Allocates one zeroed element. */
  alloc(): usize {
    return allocWords(this.limbs);
  }

  /** Allocates `count` consecutive zeroed elements. */
  allocMany(count: i32): usize {
    return allocWords(this.limbs * count);
  }

  /** Writes a big-endian hex constant as plain limbs (no reduction). */
  setHex(out: usize, hex: string): void {
    memory.fill(out, 0, this.elementBytes);
    let bit = 0;
    for (let i = hex.length - 1; i >= 0; i--, bit += 4) {
      const digit = <u64>hexDigit(hex.charCodeAt(i));
      const index = bit / LIMB_BITS;
      const shift = bit % LIMB_BITS;
      setLimb(out, index, limb(out, index) | ((digit << shift) & LIMB_MASK));
      if (shift > LIMB_BITS - 4) setLimb(out, index + 1, limb(out, index + 1) | (digit >> (LIMB_BITS - shift)));
    }
  }

  /**
   * Reads `length` big-endian bytes as plain limbs (no reduction). Returns
   * false when the value cannot fit in the limbs.
   */
  readBigEndian(out: usize, bytes: usize, length: i32): bool {
    return this.readBytes(out, bytes, length, true);
  }

  /** Reads `length` little-endian bytes as plain limbs (no reduction); see {@link readBigEndian}. */
  readLittleEndian(out: usize, bytes: usize, length: i32): bool {
    return this.readBytes(out, bytes, length, false);
  }

  private readBytes(out: usize, bytes: usize, length: i32, bigEndian: bool): bool {
    memory.fill(out, 0, this.elementBytes);
    let bits: u64 = 0;
    let bitCount = 0;
    let index = 0;
    for (let i = 0; i < length; i++) {
      const byte = <u64>load<u8>(bytes + <usize>(bigEndian ? length - 1 - i : i));
      bits |= byte << bitCount;
      bitCount += 8;
      if (bitCount >= LIMB_BITS) {
        if (index >= this.limbs) return false;
        setLimb(out, index++, bits & LIMB_MASK);
        bits >>= LIMB_BITS;
        bitCount -= LIMB_BITS;
      }
    }
    if (bits != 0) {
      if (index >= this.limbs) return false;
      setLimb(out, index, bits);
    }
    return true;
  }

  /** Writes plain limbs as `length` little-endian bytes (the value must fit). */
  writeLittleEndian(bytes: usize, a: usize, length: i32): void {
    let bits: u64 = 0;
    let bitCount = 0;
    let index = 0;
    for (let i = 0; i < length; i++) {
      if (bitCount < 8) {
        if (index < this.limbs) bits |= limb(a, index++) << bitCount;
        bitCount += LIMB_BITS;
      }
      store<u8>(bytes + <usize>i, <u8>bits);
      bits >>= 8;
      bitCount -= 8;
    }
  }

  /** Bit `i` of plain limbs. */
  bit(a: usize, i: i32): i32 {
    if (i >= this.limbs * LIMB_BITS) return 0;
    return <i32>(limb(a, i / LIMB_BITS) >> <u64>(i % LIMB_BITS)) & 1;
  }

  /** -1, 0 or 1 as plain limbs a <, =, > b. */
  compare(a: usize, b: usize): i32 {
    for (let i = this.limbs - 1; i >= 0; i--) {
      const x = limb(a, i);
      const y = limb(b, i);
      if (x != y) return x < y ? -1 : 1;
    }
    return 0;
  }

  /** Whether plain limbs are a canonical element (< modulus). */
  isReduced(a: usize): bool {
    return this.compare(a, this.modulus) < 0;
  }

  /** Whether `a` is 0 mod m. */
  // @ts-ignore: decorator
  @inline isZero(a: usize): bool {
    return this.kernel == FieldKernel.P256 ? p256IsZero(a) : this.isZeroGeneric(a);
  }

  private isZeroGeneric(a: usize): bool {
    for (let i = 0; i < this.limbs; i++) if (limb(a, i) != 0) return false;
    return true;
  }

  /** Whether `a` and `b` are congruent mod m. */
  equals(a: usize, b: usize): bool {
    if (this.kernel == FieldKernel.P256) return p256Equals(a, b);
    return memory.compare(a, b, this.elementBytes) == 0;
  }

  /** out = a reduced below m (a copy, except for the P-256 kernel's values between m and 2m). */
  canonical(out: usize, a: usize): void {
    if (this.kernel == FieldKernel.P256) p256Canonical(out, a);
    else this.copy(out, a);
  }

  copy(out: usize, a: usize): void {
    memory.copy(out, a, this.elementBytes);
  }

  setZero(out: usize): void {
    memory.fill(out, 0, this.elementBytes);
  }

  /** Subtracts the modulus once from normalized limbs below 2 * modulus. */
  private reduceOnce(a: usize): void {
    const t = this.accumulator;
    const m = this.modulus;
    let borrow: i64 = 0;
    for (let i = 0; i < this.limbs; i++) {
      const d = <i64>limb(a, i) - <i64>limb(m, i) + borrow;
      setLimb(t, i, <u64>d & LIMB_MASK);
      borrow = d >> LIMB_BITS;
    }
    if (borrow == 0) memory.copy(a, t, this.elementBytes);
  }

  /** out = a + b mod m. */
  // @ts-ignore: decorator
  @inline add(out: usize, a: usize, b: usize): void {
    if (this.kernel == FieldKernel.P256) {
      p256Add(out, a, b);
      return;
    }
    if (this.kernel == FieldKernel.NineLimbs) {
      add9(out, a, b, this.modulus);
      return;
    }
    this.addGeneric(out, a, b);
  }

  private addGeneric(out: usize, a: usize, b: usize): void {
    this.addPlain(out, a, b);
    this.reduceOnce(out);
  }

  /** out = a - b on plain limbs; returns the borrow (0 or -1). */
  subPlain(out: usize, a: usize, b: usize): i64 {
    let borrow: i64 = 0;
    for (let i = 0; i < this.limbs; i++) {
      const d = <i64>limb(a, i) - <i64>limb(b, i) + borrow;
      setLimb(out, i, <u64>d & LIMB_MASK);
      borrow = d >> LIMB_BITS;
    }
    return borrow;
  }

  /** out = a + b on plain limbs; the sum must fit. */
  addPlain(out: usize, a: usize, b: usize): void {
    let carry: u64 = 0;
    for (let i = 0; i < this.limbs; i++) {
      const s = limb(a, i) + limb(b, i) + carry;
      setLimb(out, i, s & LIMB_MASK);
      carry = s >> LIMB_BITS;
    }
  }

  /** out = a - b mod m. */
  // @ts-ignore: decorator
  @inline sub(out: usize, a: usize, b: usize): void {
    if (this.kernel == FieldKernel.P256) {
      p256Subtract(out, a, b);
      return;
    }
    if (this.kernel == FieldKernel.NineLimbs) {
      subtract9(out, a, b, this.modulus);
      return;
    }
    this.subGeneric(out, a, b);
  }

  private subGeneric(out: usize, a: usize, b: usize): void {
    if (this.subPlain(out, a, b) != 0) this.addPlain(out, out, this.modulus);
  }

  /** out = k * a mod m for a small constant 1 <= k <= 8 (either form: the factor is plain). */
  // @ts-ignore: decorator
  @inline mulSmall(out: usize, a: usize, k: i32): void {
    if (this.kernel == FieldKernel.P256) p256MultiplySmall(out, a, <i64>k);
    else this.mulSmallGeneric(out, a, k);
  }

  private mulSmallGeneric(out: usize, a: usize, k: i32): void {
    // Double-and-add over k's bits; `a` is kept aside in case `out` aliases it.
    const base = this.operandCopy;
    this.copy(base, a);
    this.copy(out, base);
    for (let bit = 30 - clz<i32>(k); bit >= 0; bit--) {
      this.add(out, out, out);
      if (((k >> bit) & 1) != 0) this.add(out, out, base);
    }
  }

  /** out = a - 2b mod m. */
  // @ts-ignore: decorator
  @inline subTwice(out: usize, a: usize, b: usize): void {
    if (this.kernel == FieldKernel.P256) p256SubtractTwice(out, a, b);
    else this.subTwiceGeneric(out, a, b);
  }

  private subTwiceGeneric(out: usize, a: usize, b: usize): void {
    const twice = this.operandCopy;
    this.copy(twice, b);
    this.sub(out, a, twice);
    this.sub(out, out, twice);
  }

  /** out = -a mod m. */
  neg(out: usize, a: usize): void {
    this.sub(out, this.zero, a);
  }

  /**
   * out = a * b / R mod m (Montgomery multiplication). Inputs must satisfy
   * a * b < m * R; canonical elements always do. `out` may alias an input.
   */
  // @ts-ignore: decorator
  @inline mul(out: usize, a: usize, b: usize): void {
    if (this.kernel == FieldKernel.P256) {
      p256Multiply(out, a, b);
      return;
    }
    if (this.kernel == FieldKernel.NineLimbs) {
      montgomeryMultiply9(out, a, b, this.modulus, <i64>this.modulusInverse);
      return;
    }
    this.mulGeneric(out, a, b);
  }

  private mulGeneric(out: usize, a: usize, b: usize): void {
    const n = this.limbs;
    const t = this.accumulator;
    const m = this.modulus;
    const k = this.modulusInverse;
    const a0 = load<u64>(a);
    const m0 = load<u64>(m);
    memory.fill(t, 0, this.elementBytes);
    // Each round adds at most two 58-bit products per word, so after n <= 30
    // rounds the u64 accumulators still cannot overflow.
    for (let i = 0; i < n; i++) {
      const bi = limb(b, i);
      const t0 = load<u64>(t) + a0 * bi;
      const q = (t0 * k) & LIMB_MASK;
      const carry = (t0 + q * m0) >> LIMB_BITS;
      let src = t + 8;
      let aj = a + 8;
      let mj = m + 8;
      const end = t + (<usize>n << 3);
      while (src < end) {
        store<u64>(src - 8, load<u64>(src) + load<u64>(aj) * bi + q * load<u64>(mj));
        src += 8;
        aj += 8;
        mj += 8;
      }
      store<u64>(end - 8, 0);
      store<u64>(t, load<u64>(t) + carry);
    }
    let carry: u64 = 0;
    for (let i = 0; i < n; i++) {
      const v = limb(t, i) + carry;
      setLimb(out, i, v & LIMB_MASK);
      carry = v >> LIMB_BITS;
    }
    this.reduceOnce(out);
  }

  /** out = a^2 / R mod m. */
  // @ts-ignore: decorator
  @inline sqr(out: usize, a: usize): void {
    if (this.kernel == FieldKernel.P256) p256Square(out, a);
    else if (this.kernel == FieldKernel.NineLimbs) montgomerySquare9(out, a, this.modulus, <i64>this.modulusInverse);
    else this.mulGeneric(out, a, a);
  }

  /**
   * {@link mul} that may leave the result between m and 2m, for chains of
   * products (powers) that reduce once at the end. Inputs below 2m.
   */
  // @ts-ignore: decorator
  @inline private mulLazy(out: usize, a: usize, b: usize): void {
    if (this.lazyNineLimbs) montgomeryMultiply9Lazy(out, a, b, this.modulus, <i64>this.modulusInverse);
    else this.mul(out, a, b);
  }

  // @ts-ignore: decorator
  @inline private sqrLazy(out: usize, a: usize): void {
    if (this.lazyNineLimbs) montgomerySquare9Lazy(out, a, this.modulus, <i64>this.modulusInverse);
    else this.sqr(out, a);
  }

  /** Plain limbs (below 2m) to Montgomery form. */
  toMontgomery(out: usize, a: usize): void {
    this.mul(out, a, this.rSquared);
  }

  /** Montgomery form to plain limbs. */
  fromMontgomery(out: usize, a: usize): void {
    this.mul(out, a, this.plainOne);
  }

  /** out = base^exponent (Montgomery form in and out; exponent in plain limbs). */
  pow(out: usize, base: usize, exponent: usize): void {
    const size = this.elementBytes;
    const table = this.powTable;
    this.copy(table, this.one);
    for (let i = 1; i < 16; i++) this.mulLazy(table + <usize>i * size, table + <usize>(i - 1) * size, base);
    let top = this.limbs * LIMB_BITS - 1;
    while (top > 0 && this.bit(exponent, top) == 0) top--;
    const result = this.powResult;
    this.copy(result, this.one);
    // 4-bit fixed windows, the first one aligned at the top so no leading squarings are wasted.
    let position = top - (top % 4);
    let first = true;
    while (position >= 0) {
      if (!first) for (let s = 0; s < 4; s++) this.sqrLazy(result, result);
      first = false;
      const digit = this.bit(exponent, position)
        | (this.bit(exponent, position + 1) << 1)
        | (this.bit(exponent, position + 2) << 2)
        | (this.bit(exponent, position + 3) << 3);
      if (digit != 0) this.mulLazy(result, result, table + <usize>digit * size);
      position -= 4;
    }
    this.copy(out, result);
    if (this.lazyNineLimbs) this.reduceOnce(out);
  }

  /** out = a^-1 (Montgomery form in and out; a must be non-zero). */
  invert(out: usize, a: usize): void {
    this.pow(out, a, this.modulusMinusTwo);
  }
}
