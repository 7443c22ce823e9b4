import { MontgomeryField } from "./montgomery-field";
import { computeWnaf } from "./wnaf";

/** Window width of the generator's precomputed table: 2^(8-2) = 64 affine points. */
const GENERATOR_WINDOW: i32 = 8;
/** Window width of the public key's per-call table: 2^(5-2) = 8 Jacobian points. */
const KEY_WINDOW: i32 = 5;
/** Field elements per key table entry: X, Y, Z, Z^2, Z^3. */
const KEY_ENTRY_ELEMENTS: i32 = 5;

/** Domain parameters of a short Weierstrass curve y^2 = x^3 - 3x + b (big-endian hex). */
export class CurveParameters {
  constructor(
    readonly p: string,
    readonly n: string,
    readonly b: string,
    readonly gx: string,
    readonly gy: string,
    /** Bytes of one coordinate or scalar in encodings (32 for P-256, 48 for P-384). */
    readonly byteLength: i32,
    /** p is P-256's, so the field can use its shift-only reduction. */
    readonly isP256: bool = false,
  ) {}
}

/**
 * ECDSA verification on a prime-order curve with a = -3 (NIST P-256, P-384).
 *
 * Points are Jacobian (X, Y, Z) triples of consecutive field elements in
 * Montgomery form, (x, y) = (X/Z^2, Y/Z^3); Z = 0 is the point at infinity.
 * Verification is variable-time, which is fine: every input is public.
 */
export class WeierstrassCurve {
  readonly field: MontgomeryField;
  readonly scalars: MontgomeryField;
  readonly byteLength: i32;
  private readonly b: usize;
  private readonly elementBytes: usize;
  /** Odd multiples G, 3G, ..., 127G as affine (x, y) pairs; built on first use. */
  private generatorTable: usize = 0;
  private readonly gx: usize;
  private readonly gy: usize;
  /**
   * Odd multiples of the public key, Jacobian with Z^2 and Z^3 cached:
   * (X, Y, Z, Z^2, Z^3), which saves a multiplication and a squaring per addition.
   */
  private readonly keyTable: usize;
  private readonly negatedKeyEntry: usize;
  private readonly accumulatorPoint: usize;
  private readonly scratchPoint: usize;
  private readonly generatorDigits: usize;
  private readonly keyDigits: usize;
  // Field temporaries of the point formulas.
  private readonly t0: usize;
  private readonly t1: usize;
  private readonly t2: usize;
  private readonly t3: usize;
  private readonly t4: usize;
  private readonly t5: usize;
  private readonly t6: usize;
  private readonly t7: usize;
  private readonly z2Squared: usize;
  private readonly z2Cubed: usize;
  // Verification values.
  private readonly qx: usize;
  private readonly qy: usize;
  private readonly r: usize;
  private readonly s: usize;
  private readonly e: usize;
  private readonly u1: usize;
  private readonly u2: usize;
  private readonly order: usize;

  constructor(params: CurveParameters) {
    const field = new MontgomeryField(params.p, params.isP256);
    const scalars = new MontgomeryField(params.n);
    this.field = field;
    this.scalars = scalars;
    this.byteLength = params.byteLength;
    this.elementBytes = field.elementBytes;
    this.b = field.alloc();
    field.setHex(this.b, params.b);
    field.toMontgomery(this.b, this.b);
    this.gx = field.alloc();
    this.gy = field.alloc();
    field.setHex(this.gx, params.gx);
    field.setHex(this.gy, params.gy);
    field.toMontgomery(this.gx, this.gx);
    field.toMontgomery(this.gy, this.gy);
    this.order = field.alloc();
    field.setHex(this.order, params.n);
    this.keyTable = field.allocMany(KEY_ENTRY_ELEMENTS * (1 << (KEY_WINDOW - 2)));
    this.negatedKeyEntry = field.allocMany(KEY_ENTRY_ELEMENTS);
    this.accumulatorPoint = field.allocMany(3);
    this.scratchPoint = field.allocMany(3);
    const digitBytes = field.limbs * 29 + 8;
    this.generatorDigits = heap.alloc(digitBytes);
    this.keyDigits = heap.alloc(digitBytes);
    this.t0 = field.alloc();
    this.t1 = field.alloc();
    this.t2 = field.alloc();
    this.t3 = field.alloc();
    this.t4 = field.alloc();
    this.t5 = field.alloc();
    this.t6 = field.alloc();
    this.t7 = field.alloc();
    this.z2Squared = field.alloc();
    this.z2Cubed = field.alloc();
    this.qx = field.alloc();
    this.qy = field.alloc();
    this.r = scalars.alloc();
    this.s = scalars.alloc();
    this.e = scalars.alloc();
    this.u1 = scalars.alloc();
    this.u2 = scalars.alloc();
  }

  /**
   * Verifies an ECDSA signature. `x`, `y`: the public key's affine
   * coordinates, big-endian, exactly `byteLength` bytes each. `digest`: the
   * message hash (its leftmost bits are used, FIPS 186-4 6.4). `signature`:
   * r || s, big-endian, exactly 2 * `byteLength` bytes (JWS encoding).
   */
  verify(x: usize, xLength: i32, y: usize, yLength: i32, digest: usize, digestLength: i32, signature: usize, signatureLength: i32): bool {
    const size = this.byteLength;
    if (xLength != size || yLength != size || signatureLength != 2 * size) return false;
    if (!this.loadPublicKey(x, y)) return false;

    const scalars = this.scalars;
    scalars.readBigEndian(this.r, signature, size);
    scalars.readBigEndian(this.s, signature + <usize>size, size);
    if (scalars.isZero(this.r) || !scalars.isReduced(this.r)) return false;
    if (scalars.isZero(this.s) || !scalars.isReduced(this.s)) return false;

    // The order's bit length is a whole number of bytes for P-256 and P-384, so
    // the leftmost bits are the leading bytes; below 2^bits means below 2n.
    scalars.readBigEndian(this.e, digest, digestLength < size ? digestLength : size);
    if (!scalars.isReduced(this.e)) scalars.subPlain(this.e, this.e, scalars.modulus);

    // w = s^-1 in Montgomery form, so a Montgomery product with a plain value is plain.
    const w = this.t0;
    scalars.toMontgomery(w, this.s);
    scalars.invert(w, w);
    scalars.mul(this.u1, this.e, w);
    scalars.mul(this.u2, this.r, w);

    const sum = this.accumulatorPoint;
    this.doubleScalarMultiply(sum, this.u1, this.u2);
    return this.xMatches(sum, this.r);
  }

  /** Loads (x, y) into qx, qy (Montgomery form) after checking it is a curve point. */
  private loadPublicKey(x: usize, y: usize): bool {
    const field = this.field;
    const size = this.byteLength;
    if (!field.readBigEndian(this.qx, x, size) || !field.isReduced(this.qx)) return false;
    if (!field.readBigEndian(this.qy, y, size) || !field.isReduced(this.qy)) return false;
    field.toMontgomery(this.qx, this.qx);
    field.toMontgomery(this.qy, this.qy);
    // y^2 = x^3 - 3x + b. The point at infinity has no affine encoding, and the
    // cofactor is 1, so any curve point generates the whole group.
    const left = this.t0;
    const right = this.t1;
    field.sqr(left, this.qy);
    field.sqr(right, this.qx);
    field.mul(right, right, this.qx);
    field.sub(right, right, this.qx);
    field.sub(right, right, this.qx);
    field.sub(right, right, this.qx);
    field.add(right, right, this.b);
    return field.equals(left, right);
  }

  /** Whether the affine x of a Jacobian point, reduced mod n, equals r (no inversion). */
  private xMatches(point: usize, r: usize): bool {
    const field = this.field;
    const size = this.elementBytes;
    const z = point + 2 * size;
    if (field.isZero(z)) return false;
    const zz = this.t0;
    const candidate = this.t1;
    field.sqr(zz, z);
    // x = X / Z^2 is in [0, p) and p < 2n, so x mod n = r means x = r or x = r + n.
    field.toMontgomery(candidate, r);
    field.mul(candidate, candidate, zz);
    if (field.equals(candidate, point)) return true;
    field.addPlain(candidate, r, this.order);
    if (!field.isReduced(candidate)) return false;
    field.toMontgomery(candidate, candidate);
    field.mul(candidate, candidate, zz);
    return field.equals(candidate, point);
  }

  /** out = u1 * G + u2 * Q (Q in qx, qy), interleaving both wNAF expansions over one doubling chain. */
  private doubleScalarMultiply(out: usize, u1: usize, u2: usize): void {
    const field = this.field;
    const size = this.elementBytes;
    const generatorTable = this.ensureGeneratorTable();
    this.buildKeyTable();
    const limbs = field.limbs;
    const generatorLength = computeWnaf(this.generatorDigits, u1, limbs, GENERATOR_WINDOW);
    const keyLength = computeWnaf(this.keyDigits, u2, limbs, KEY_WINDOW);
    const negated = this.scratchPoint;
    field.setZero(out + 2 * size);
    for (let i = max(generatorLength, keyLength) - 1; i >= 0; i--) {
      this.double(out, out);
      if (i < generatorLength) {
        const digit = <i32>load<i8>(this.generatorDigits + <usize>i);
        if (digit != 0) {
          const entry = generatorTable + <usize>((abs(digit) - 1) >> 1) * 2 * size;
          if (digit > 0) this.addAffine(out, out, entry);
          else {
            field.copy(negated, entry);
            field.neg(negated + size, entry + size);
            this.addAffine(out, out, negated);
          }
        }
      }
      if (i < keyLength) {
        const digit = <i32>load<i8>(this.keyDigits + <usize>i);
        if (digit != 0) {
          const entry = this.keyTable + <usize>((abs(digit) - 1) >> 1) * KEY_ENTRY_ELEMENTS * size;
          if (digit > 0) this.addCached(out, out, entry, entry + 3 * size, entry + 4 * size);
          else {
            const negatedEntry = this.negatedKeyEntry;
            memory.copy(negatedEntry, entry, KEY_ENTRY_ELEMENTS * size);
            field.neg(negatedEntry + size, entry + size);
            this.addCached(out, out, negatedEntry, negatedEntry + 3 * size, negatedEntry + 4 * size);
          }
        }
      }
    }
  }

  /** Q, 3Q, 5Q, ... into keyTable, each with its Z^2 and Z^3. */
  private buildKeyTable(): void {
    const field = this.field;
    const size = this.elementBytes;
    const table = this.keyTable;
    const entryBytes = <usize>KEY_ENTRY_ELEMENTS * size;
    field.copy(table, this.qx);
    field.copy(table + size, this.qy);
    field.copy(table + 2 * size, field.one);
    const twice = this.scratchPoint;
    this.double(twice, table);
    const count = 1 << (KEY_WINDOW - 2);
    for (let i = 1; i < count; i++) this.add(table + <usize>i * entryBytes, table + <usize>(i - 1) * entryBytes, twice);
    for (let i = 0; i < count; i++) {
      const entry = table + <usize>i * entryBytes;
      field.sqr(entry + 3 * size, entry + 2 * size);
      field.mul(entry + 4 * size, entry + 3 * size, entry + 2 * size);
    }
  }

  private ensureGeneratorTable(): usize {
    if (this.generatorTable != 0) return this.generatorTable;
    const field = this.field;
    const size = this.elementBytes;
    const count = 1 << (GENERATOR_WINDOW - 2);
    const table = field.allocMany(2 * count);
    // The odd multiples in Jacobian form first, then every Z inverted at once
    // (Montgomery's trick: one inversion and three products per point).
    const jacobian = field.allocMany(3 * count);
    const prefix = field.allocMany(count);
    const twice = field.allocMany(3);
    const pointBytes = 3 * size;
    field.copy(jacobian, this.gx);
    field.copy(jacobian + size, this.gy);
    field.copy(jacobian + 2 * size, field.one);
    this.double(twice, jacobian);
    for (let i = 1; i < count; i++) this.add(jacobian + <usize>i * pointBytes, jacobian + <usize>(i - 1) * pointBytes, twice);
    // prefix[i] = Z0 Z1 ... Zi; no Z is zero, since n is prime and far above 2 count.
    field.copy(prefix, jacobian + 2 * size);
    for (let i = 1; i < count; i++) field.mul(prefix + <usize>i * size, prefix + <usize>(i - 1) * size, jacobian + <usize>i * pointBytes + 2 * size);
    const inverse = this.t5;
    const zInverse = this.t6;
    const zz = this.t7;
    field.invert(inverse, prefix + <usize>(count - 1) * size);
    for (let i = count - 1; i >= 0; i--) {
      const point = jacobian + <usize>i * pointBytes;
      // inverse = (Z0 ... Zi)^-1 here; times Z0 ... Z(i-1) leaves Zi^-1.
      if (i > 0) {
        field.mul(zInverse, inverse, prefix + <usize>(i - 1) * size);
        field.mul(inverse, inverse, point + 2 * size);
      } else field.copy(zInverse, inverse);
      field.sqr(zz, zInverse);
      const entry = table + <usize>i * 2 * size;
      field.mul(entry, point, zz);
      field.mul(zz, zz, zInverse);
      field.mul(entry + size, point + size, zz);
    }
    heap.free(twice);
    heap.free(prefix);
    heap.free(jacobian);
    this.generatorTable = table;
    return table;
  }

  /**
   * out = 2 * p (dbl-2001-b with a = -3, Z3 taken as 2 Y Z: 4M + 4S and small
   * multiples in place of chains of additions). `out` may alias `p`.
   */
  double(out: usize, p: usize): void {
    const field = this.field;
    const size = this.elementBytes;
    const x = p;
    const y = p + size;
    const z = p + 2 * size;
    if (field.isZero(z)) {
      if (out != p) field.setZero(out + 2 * size);
      return;
    }
    const delta = this.t1;
    const gamma = this.t2;
    const beta = this.t3;
    const alpha = this.t4;
    const t = this.t5;
    field.sqr(delta, z);
    field.sqr(gamma, y);
    field.mul(beta, x, gamma);
    // alpha = 3 (x - delta)(x + delta)
    field.sub(t, x, delta);
    field.add(alpha, x, delta);
    field.mul(alpha, alpha, t);
    field.mulSmall(alpha, alpha, 3);
    // Z3 = 2 y z: the last use of y and z, so `out` may overwrite them from here on.
    field.mul(t, y, z);
    field.add(out + 2 * size, t, t);
    // X3 = alpha^2 - 8 beta
    field.mulSmall(beta, beta, 4);
    field.sqr(t, alpha);
    field.subTwice(out, t, beta);
    // Y3 = alpha (4 beta - X3) - 8 gamma^2
    field.sub(t, beta, out);
    field.mul(t, t, alpha);
    field.sqr(gamma, gamma);
    field.mulSmall(gamma, gamma, 8);
    field.sub(out + size, t, gamma);
  }

  /**
   * out = p + q, both Jacobian (add-1998-cmo-2: 12M + 4S, Z3 = Z1 Z2 H, which
   * needs far fewer additions than add-2007-bl). `out` may alias `p`.
   */
  add(out: usize, p: usize, q: usize): void {
    const field = this.field;
    const z2 = q + 2 * this.elementBytes;
    field.sqr(this.z2Squared, z2);
    field.mul(this.z2Cubed, this.z2Squared, z2);
    this.addCached(out, p, q, this.z2Squared, this.z2Cubed);
  }

  /**
   * {@link add} with q's Z^2 and Z^3 given (11M + 3S): table entries carry
   * them, computed once per verification instead of once per addition.
   */
  addCached(out: usize, p: usize, q: usize, z2Squared: usize, z2Cubed: usize): void {
    const field = this.field;
    const size = this.elementBytes;
    const z1 = p + 2 * size;
    const z2 = q + 2 * size;
    if (field.isZero(z1)) {
      memory.copy(out, q, 3 * size);
      return;
    }
    if (field.isZero(z2)) {
      if (out != p) memory.copy(out, p, 3 * size);
      return;
    }
    const z1z1 = this.t0;
    const t = this.t1;
    const u1 = this.t2;
    const u2 = this.t3;
    const s1 = this.t4;
    const s2 = this.t5;
    field.sqr(z1z1, z1);
    field.mul(u1, p, z2Squared);
    field.mul(u2, q, z1z1);
    field.mul(s1, p + size, z2Cubed);
    field.mul(s2, q + size, z1);
    field.mul(s2, s2, z1z1);
    const h = u2;
    field.sub(h, u2, u1);
    const r = s2;
    field.sub(r, s2, s1);
    if (field.isZero(h)) {
      if (field.isZero(r)) this.double(out, q);
      else field.setZero(out + 2 * size);
      return;
    }
    // Z3 = z1 z2 h: the last use of p's coordinates but X1 (in u1) and Y1 (in s1).
    field.mul(t, z1, z2);
    field.mul(out + 2 * size, t, h);
    const hh = z1z1;
    field.sqr(hh, h);
    const hhh = h;
    field.mul(hhh, h, hh);
    const v = u1;
    field.mul(v, u1, hh);
    // X3 = r^2 - HHH - 2V
    field.sqr(t, r);
    field.sub(t, t, hhh);
    field.subTwice(out, t, v);
    // Y3 = r (V - X3) - S1 HHH
    field.sub(t, v, out);
    field.mul(t, t, r);
    field.mul(s1, s1, hhh);
    field.sub(out + size, t, s1);
  }

  /**
   * out = p + q with q affine (x, y) (madd-2004-hmv: 8M + 3S, fewer additions
   * than madd-2007-bl). `out` may alias `p`.
   */
  addAffine(out: usize, p: usize, q: usize): void {
    const field = this.field;
    const size = this.elementBytes;
    const z1 = p + 2 * size;
    if (field.isZero(z1)) {
      memory.copy(out, q, 2 * size);
      field.copy(out + 2 * size, field.one);
      return;
    }
    const z1z1 = this.t0;
    const u2 = this.t1;
    const s2 = this.t2;
    field.sqr(z1z1, z1);
    field.mul(u2, q, z1z1);
    field.mul(s2, z1, z1z1);
    field.mul(s2, s2, q + size);
    const h = u2;
    field.sub(h, u2, p);
    const r = s2;
    field.sub(r, s2, p + size);
    if (field.isZero(h)) {
      if (field.isZero(r)) {
        memory.copy(this.scratchPoint, q, 2 * size);
        field.copy(this.scratchPoint + 2 * size, field.one);
        this.double(out, this.scratchPoint);
      } else field.setZero(out + 2 * size);
      return;
    }
    // Z3 = z1 h: the last use of z1.
    field.mul(out + 2 * size, z1, h);
    const hh = this.t3;
    field.sqr(hh, h);
    const hhh = z1z1;
    field.mul(hhh, h, hh);
    const v = this.t4;
    field.mul(v, p, hh);
    const y1hhh = this.t5;
    field.mul(y1hhh, p + size, hhh);
    // X3 = r^2 - HHH - 2V
    const t = this.t6;
    field.sqr(t, r);
    field.sub(t, t, hhh);
    field.subTwice(out, t, v);
    // Y3 = r (V - X3) - Y1 HHH
    field.sub(t, v, out);
    field.mul(t, t, r);
    field.sub(out + size, t, y1hhh);
  }
}
