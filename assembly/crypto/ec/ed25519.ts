/**
 * Ed25519 signature verification (RFC 8032 section 5.1.7), pure Ed25519
 * (no context, no prehash): JWS `EdDSA` with `crv: Ed25519`.
 *
 * Strictness, matching OpenSSL (what Node's crypto.verify runs):
 * - the public key A must decode canonically: y < p, and x = 0 with the sign
 *   bit set is rejected, as is a y with no matching x;
 * - S must be below the group order L (no malleable S + L);
 * - the check is cofactorless, [S]B = R + [k]A, done by computing
 *   R' = [S]B - [k]A and comparing its canonical encoding with the 32 bytes of
 *   R. That rejects every R a canonical decoder would reject (y >= p, x = 0
 *   with the sign bit set, off-curve) because R' always encodes canonically,
 *   and it is the comparison OpenSSL's ossl_ed25519_verify makes.
 *
 * Points are extended twisted Edwards coordinates (X, Y, Z, T) with x = X/Z,
 * y = Y/Z, xy = T/Z, four consecutive field elements in Montgomery form.
 * Variable-time: every input is public.
 */
import { Sha512 } from "../sha2";
import { MontgomeryField } from "./montgomery-field";
import { computeWnaf } from "./wnaf";

const P_HEX = "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed";
const L_HEX = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";
/** (p - 5) / 8: the exponent of the square root candidate (RFC 8032 5.1.3 step 2). */
const SQRT_EXPONENT_HEX = "0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd";
/** (p - 1) / 4: 2 to this power is a square root of -1. */
const SQRT_MINUS_ONE_EXPONENT_HEX = "1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb";

/** Window of the base point's precomputed table: 32 odd multiples. */
const BASE_WINDOW: i32 = 7;
/** Window of the public key's per-call table: 8 odd multiples. */
const KEY_WINDOW: i32 = 5;

/** Bytes of an encoded point, of S, of a public key. */
const ENCODED_BYTES: i32 = 32;
const SIGNATURE_BYTES: i32 = 64;

class Ed25519Verifier {
  private readonly field: MontgomeryField = new MontgomeryField(P_HEX);
  private readonly scalars: MontgomeryField = new MontgomeryField(L_HEX);
  private readonly size: usize;
  private readonly hasher: Sha512 = new Sha512(64);
  private readonly digest: usize = heap.alloc(64);
  private readonly encoded: usize = heap.alloc(ENCODED_BYTES);
  private readonly d: usize;
  private readonly twoD: usize;
  private readonly sqrtMinusOne: usize;
  private readonly sqrtExponent: usize;
  /** 2^256 * R mod L: folds the upper half of a 512-bit hash. */
  private readonly upperHalfFactor: usize;
  private readonly baseTable: usize;
  private readonly keyTable: usize;
  private readonly publicPoint: usize;
  private readonly sum: usize;
  private readonly scratch: usize;
  private readonly negated: usize;
  private readonly baseDigits: usize;
  private readonly keyDigits: usize;
  private readonly s: usize;
  private readonly k: usize;
  private readonly t0: usize;
  private readonly t1: usize;
  private readonly t2: usize;
  private readonly t3: usize;
  private readonly t4: usize;
  private readonly t5: usize;

  constructor() {
    const field = this.field;
    const scalars = this.scalars;
    this.size = field.elementBytes;
    this.t0 = field.alloc();
    this.t1 = field.alloc();
    this.t2 = field.alloc();
    this.t3 = field.alloc();
    this.t4 = field.alloc();
    this.t5 = field.alloc();

    // d = -121665 / 121666
    this.d = field.alloc();
    field.setHex(this.t0, "1db41");
    field.setHex(this.t1, "1db42");
    field.toMontgomery(this.t0, this.t0);
    field.toMontgomery(this.t1, this.t1);
    field.invert(this.t1, this.t1);
    field.mul(this.d, this.t0, this.t1);
    field.neg(this.d, this.d);
    this.twoD = field.alloc();
    field.add(this.twoD, this.d, this.d);

    this.sqrtMinusOne = field.alloc();
    field.setHex(this.t0, "2");
    field.toMontgomery(this.t0, this.t0);
    field.setHex(this.t1, SQRT_MINUS_ONE_EXPONENT_HEX);
    field.pow(this.sqrtMinusOne, this.t0, this.t1);
    this.sqrtExponent = field.alloc();
    field.setHex(this.sqrtExponent, SQRT_EXPONENT_HEX);

    this.upperHalfFactor = scalars.alloc();
    scalars.setHex(this.upperHalfFactor, "1" + "0".repeat(64));
    scalars.toMontgomery(this.upperHalfFactor, this.upperHalfFactor);

    this.publicPoint = field.allocMany(4);
    this.sum = field.allocMany(4);
    this.scratch = field.allocMany(4);
    this.negated = field.allocMany(4);
    this.keyTable = field.allocMany(4 << (KEY_WINDOW - 2));
    this.baseTable = field.allocMany(4 << (BASE_WINDOW - 2));
    const digitBytes = field.limbs * 29 + 8;
    this.baseDigits = heap.alloc(digitBytes);
    this.keyDigits = heap.alloc(digitBytes);
    this.s = scalars.alloc();
    this.k = scalars.alloc();

    // B is the point with y = 4/5 and even x; its encoding is 0x58 followed by 31 bytes 0x66.
    store<u8>(this.encoded, 0x58);
    memory.fill(this.encoded + 1, 0x66, ENCODED_BYTES - 1);
    this.decode(this.scratch, this.encoded);
    this.buildOddMultiples(this.baseTable, this.scratch, 1 << (BASE_WINDOW - 2));
  }

  verify(publicKey: usize, publicKeyLength: i32, message: usize, messageLength: usize, signature: usize, signatureLength: i32): bool {
    if (publicKeyLength != ENCODED_BYTES || signatureLength != SIGNATURE_BYTES) return false;
    const field = this.field;
    const scalars = this.scalars;
    const size = this.size;
    const r = signature;
    const sBytes = signature + <usize>ENCODED_BYTES;
    scalars.readLittleEndian(this.s, sBytes, ENCODED_BYTES);
    if (!scalars.isReduced(this.s)) return false;
    const a = this.publicPoint;
    if (!this.decode(a, publicKey)) return false;

    // k = SHA-512(R || A || M) mod L
    const hasher = this.hasher;
    hasher.reset();
    hasher.update(r, ENCODED_BYTES);
    hasher.update(publicKey, ENCODED_BYTES);
    hasher.update(message, messageLength);
    hasher.finishInto(this.digest);
    const low = this.t0;
    const high = this.t1;
    scalars.readLittleEndian(low, this.digest, 32);
    scalars.readLittleEndian(high, this.digest + 32, 32);
    scalars.mul(low, low, scalars.one);
    scalars.mul(high, high, this.upperHalfFactor);
    scalars.add(this.k, low, high);

    // R' = [S]B + [k](-A)
    field.neg(a, a);
    field.neg(a + 3 * size, a + 3 * size);
    this.buildOddMultiples(this.keyTable, a, 1 << (KEY_WINDOW - 2));
    this.doubleScalarMultiply(this.sum, this.s, this.k);
    this.encode(this.encoded, this.sum);
    return memory.compare(this.encoded, r, ENCODED_BYTES) == 0;
  }

  /** RFC 8032 5.1.3 with its canonical checks; `out` gets an extended point. */
  private decode(out: usize, bytes: usize): bool {
    const field = this.field;
    const size = this.size;
    const y = out + size;
    memory.copy(this.digest, bytes, ENCODED_BYTES);
    const sign = <i32>(load<u8>(this.digest + 31) >> 7);
    store<u8>(this.digest + 31, load<u8>(this.digest + 31) & 0x7f);
    field.readLittleEndian(y, this.digest, ENCODED_BYTES);
    if (!field.isReduced(y)) return false;
    field.toMontgomery(y, y);
    // x^2 = u / v with u = y^2 - 1, v = d y^2 + 1
    const u = this.t0;
    const v = this.t1;
    const v3 = this.t2;
    const x = out;
    const check = this.t3;
    field.sqr(u, y);
    field.mul(v, u, this.d);
    field.sub(u, u, field.one);
    field.add(v, v, field.one);
    // x = u v^3 (u v^7)^((p-5)/8)
    field.sqr(v3, v);
    field.mul(v3, v3, v);
    field.sqr(x, v3);
    field.mul(x, x, v);
    field.mul(x, x, u);
    field.pow(x, x, this.sqrtExponent);
    field.mul(x, x, v3);
    field.mul(x, x, u);
    field.sqr(check, x);
    field.mul(check, check, v);
    if (!field.equals(check, u)) {
      field.neg(u, u);
      if (!field.equals(check, u)) return false;
      field.mul(x, x, this.sqrtMinusOne);
    }
    const plain = this.t4;
    field.fromMontgomery(plain, x);
    if (field.isZero(plain) && sign == 1) return false;
    if ((<i32>load<u64>(plain) & 1) != sign) field.neg(x, x);
    field.copy(out + 2 * size, field.one);
    field.mul(out + 3 * size, x, y);
    return true;
  }

  /** Canonical 32-byte encoding of an extended point. */
  private encode(out: usize, point: usize): void {
    const field = this.field;
    const size = this.size;
    const zInverse = this.t0;
    const x = this.t1;
    const y = this.t2;
    field.invert(zInverse, point + 2 * size);
    field.mul(x, point, zInverse);
    field.mul(y, point + size, zInverse);
    field.fromMontgomery(x, x);
    field.fromMontgomery(y, y);
    field.writeLittleEndian(out, y, ENCODED_BYTES);
    store<u8>(out + 31, load<u8>(out + 31) | (<u8>(load<u64>(x) & 1) << 7));
  }

  /** out = [s]B + [k]P where keyTable holds P's odd multiples. */
  private doubleScalarMultiply(out: usize, s: usize, k: usize): void {
    const field = this.field;
    const size = this.size;
    const limbs = field.limbs;
    const baseLength = computeWnaf(this.baseDigits, s, limbs, BASE_WINDOW);
    const keyLength = computeWnaf(this.keyDigits, k, limbs, KEY_WINDOW);
    // The neutral element (0, 1, 1, 0).
    field.setZero(out);
    field.copy(out + size, field.one);
    field.copy(out + 2 * size, field.one);
    field.setZero(out + 3 * size);
    for (let i = max(baseLength, keyLength) - 1; i >= 0; i--) {
      this.double(out, out);
      if (i < baseLength) this.addDigit(out, this.baseTable, <i32>load<i8>(this.baseDigits + <usize>i));
      if (i < keyLength) this.addDigit(out, this.keyTable, <i32>load<i8>(this.keyDigits + <usize>i));
    }
  }

  private addDigit(out: usize, table: usize, digit: i32): void {
    if (digit == 0) return;
    const field = this.field;
    const size = this.size;
    const entry = table + <usize>((abs(digit) - 1) >> 1) * 4 * size;
    if (digit > 0) {
      this.addCached(out, out, entry);
      return;
    }
    // -(x, y) = (-x, y): swaps Y+X with Y-X and negates 2dT.
    const negated = this.negated;
    field.copy(negated, entry + size);
    field.copy(negated + size, entry);
    field.copy(negated + 2 * size, entry + 2 * size);
    field.neg(negated + 3 * size, entry + 3 * size);
    this.addCached(out, out, negated);
  }

  /**
   * Fills `table` with P, 3P, 5P, ... (`count` of them) in cached form
   * (Y+X, Y-X, Z, 2dT), which saves work in every later addition.
   */
  private buildOddMultiples(table: usize, point: usize, count: i32): void {
    const size = this.size;
    const twice = this.negated;
    const current = this.sum;
    this.double(current, point);
    this.toCached(twice, current);
    memory.copy(current, point, 4 * size);
    this.toCached(table, current);
    for (let i = 1; i < count; i++) {
      this.addCached(current, current, twice);
      this.toCached(table + <usize>i * 4 * size, current);
    }
  }

  private toCached(out: usize, point: usize): void {
    const field = this.field;
    const size = this.size;
    field.add(out, point + size, point);
    field.sub(out + size, point + size, point);
    field.copy(out + 2 * size, point + 2 * size);
    field.mul(out + 3 * size, point + 3 * size, this.twoD);
  }

  /** out = p + q, q cached (add-2008-hwcd-3 for a = -1: 8M). `out` may alias `p`. */
  private addCached(out: usize, p: usize, q: usize): void {
    const field = this.field;
    const size = this.size;
    const a = this.t0;
    const b = this.t1;
    const c = this.t2;
    const d = this.t3;
    field.sub(a, p + size, p);
    field.mul(a, a, q + size);
    field.add(b, p + size, p);
    field.mul(b, b, q);
    field.mul(c, p + 3 * size, q + 3 * size);
    field.mul(d, p + 2 * size, q + 2 * size);
    field.add(d, d, d);
    const e = this.t4;
    const h = this.t5;
    field.sub(e, b, a);
    field.add(h, b, a);
    const f = a;
    const g = b;
    field.sub(f, d, c);
    field.add(g, d, c);
    field.mul(out, e, f);
    field.mul(out + size, g, h);
    field.mul(out + 2 * size, f, g);
    field.mul(out + 3 * size, e, h);
  }

  /** out = 2p (dbl-2008-hwcd for a = -1: 4M + 4S). `out` may alias `p`. */
  private double(out: usize, p: usize): void {
    const field = this.field;
    const size = this.size;
    const a = this.t0;
    const b = this.t1;
    const c = this.t2;
    const e = this.t3;
    field.sqr(a, p);
    field.sqr(b, p + size);
    field.sqr(c, p + 2 * size);
    field.add(c, c, c);
    field.add(e, p, p + size);
    field.sqr(e, e);
    field.sub(e, e, a);
    field.sub(e, e, b);
    // With a = -1: D = -A, G = D + B, F = G - C, H = D - B.
    const g = this.t4;
    const f = c;
    const h = this.t5;
    field.sub(g, b, a);
    field.sub(f, g, c);
    field.add(h, a, b);
    field.neg(h, h);
    field.mul(out, e, f);
    field.mul(out + size, g, h);
    field.mul(out + 2 * size, f, g);
    field.mul(out + 3 * size, e, h);
  }
}

let verifier: Ed25519Verifier | null = null;

function sharedVerifier(): Ed25519Verifier {
  let instance = verifier;
  if (instance === null) verifier = instance = new Ed25519Verifier();
  return instance;
}

/**
 * Verifies an Ed25519 signature. `publicKey`: 32 bytes (the JWK `x`).
 * `signature`: 64 bytes R || S. Wrong lengths verify as false. The first call
 * builds about 10 KB of tables.
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return sharedVerifier().verify(
    publicKey.dataStart, publicKey.length, message.dataStart, <usize>message.length, signature.dataStart, signature.length,
  );
}

/** Raw-memory form of {@link verifyEd25519}: pointers and lengths, no allocation. */
export function verifyEd25519Raw(
  publicKey: usize, publicKeyLength: i32, message: usize, messageLength: usize, signature: usize, signatureLength: i32,
): bool {
  return sharedVerifier().verify(publicKey, publicKeyLength, message, messageLength, signature, signatureLength);
}
