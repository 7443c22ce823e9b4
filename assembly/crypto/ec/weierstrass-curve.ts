import { MontgomeryField } from "./montgomery-field";
import { computeWnaf } from "./wnaf";

/** Window width of the generator's precomputed table: 2^(7-2) = 32 affine points. */
const GENERATOR_WINDOW: i32 = 7;
/** Window width of the public key's per-call table: 2^(5-2) = 8 Jacobian points. */
const KEY_WINDOW: i32 = 5;

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
  /** Odd multiples G, 3G, ..., 63G as affine (x, y) pairs; built on first use. */
  private generatorTable: usize = 0;
  private readonly gx: usize;
  private readonly gy: usize;
  /** Odd multiples of the public key, Jacobian. */
  private readonly keyTable: usize;
  private readonly accumulatorPoint: usize;
  private readonly scratchPoint: usize;
  private readonly generatorDigits: usize;
  private readonly keyDigits: usize;
  private readonly wnafWork: usize;
  // Field temporaries of the point formulas.
  private readonly t0: usize;
  private readonly t1: usize;
  private readonly t2: usize;
  private readonly t3: usize;
  private readonly t4: usize;
  private readonly t5: usize;
  private readonly t6: usize;
  private readonly t7: usize;
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
    this.keyTable = field.allocMany(3 * (1 << (KEY_WINDOW - 2)));
    this.accumulatorPoint = field.allocMany(3);
    this.scratchPoint = field.allocMany(3);
    const digitBytes = field.limbs * 29 + 8;
    this.generatorDigits = heap.alloc(digitBytes);
    this.keyDigits = heap.alloc(digitBytes);
    this.wnafWork = field.allocMany(2);
    this.t0 = field.alloc();
    this.t1 = field.alloc();
    this.t2 = field.alloc();
    this.t3 = field.alloc();
    this.t4 = field.alloc();
    this.t5 = field.alloc();
    this.t6 = field.alloc();
    this.t7 = field.alloc();
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
    const generatorLength = computeWnaf(this.generatorDigits, u1, limbs, GENERATOR_WINDOW, this.wnafWork);
    const keyLength = computeWnaf(this.keyDigits, u2, limbs, KEY_WINDOW, this.wnafWork);
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
          const entry = this.keyTable + <usize>((abs(digit) - 1) >> 1) * 3 * size;
          if (digit > 0) this.add(out, out, entry);
          else {
            field.copy(negated, entry);
            field.neg(negated + size, entry + size);
            field.copy(negated + 2 * size, entry + 2 * size);
            this.add(out, out, negated);
          }
        }
      }
    }
  }

  /** Q, 3Q, 5Q, ... into keyTable. */
  private buildKeyTable(): void {
    const field = this.field;
    const size = this.elementBytes;
    const table = this.keyTable;
    field.copy(table, this.qx);
    field.copy(table + size, this.qy);
    field.copy(table + 2 * size, field.one);
    const twice = this.scratchPoint;
    this.double(twice, table);
    const count = 1 << (KEY_WINDOW - 2);
    for (let i = 1; i < count; i++) this.add(table + <usize>i * 3 * size, table + <usize>(i - 1) * 3 * size, twice);
  }

  private ensureGeneratorTable(): usize {
    if (this.generatorTable != 0) return this.generatorTable;
    const field = this.field;
    const size = this.elementBytes;
    const count = 1 << (GENERATOR_WINDOW - 2);
    const table = field.allocMany(2 * count);
    const current = field.allocMany(3);
    const twice = field.allocMany(3);
    field.copy(current, this.gx);
    field.copy(current + size, this.gy);
    field.copy(current + 2 * size, field.one);
    this.double(twice, current);
    const zInverse = this.t6;
    const zz = this.t7;
    for (let i = 0; i < count; i++) {
      if (i > 0) this.add(current, current, twice);
      // Affine entries allow the cheaper mixed addition; the inversions are paid once.
      field.invert(zInverse, current + 2 * size);
      field.sqr(zz, zInverse);
      const entry = table + <usize>i * 2 * size;
      field.mul(entry, current, zz);
      field.mul(zz, zz, zInverse);
      field.mul(entry + size, current + size, zz);
    }
    this.generatorTable = table;
    return table;
  }

  /** out = 2 * p (dbl-2001-b, a = -3: 3M + 5S). `out` may alias `p`. */
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
    field.add(t, alpha, alpha);
    field.add(alpha, alpha, t);
    // Z3 = (y + z)^2 - gamma - delta, before y and z are overwritten.
    field.add(t, y, z);
    field.sqr(t, t);
    field.sub(t, t, gamma);
    field.sub(out + 2 * size, t, delta);
    // X3 = alpha^2 - 8 beta
    field.add(beta, beta, beta);
    field.add(beta, beta, beta);
    field.sqr(t, alpha);
    field.sub(t, t, beta);
    field.sub(out, t, beta);
    // Y3 = alpha (4 beta - X3) - 8 gamma^2
    field.sub(t, beta, out);
    field.mul(t, t, alpha);
    field.sqr(gamma, gamma);
    field.add(gamma, gamma, gamma);
    field.add(gamma, gamma, gamma);
    field.add(gamma, gamma, gamma);
    field.sub(out + size, t, gamma);
  }

  /** out = p + q, both Jacobian (add-2007-bl: 11M + 5S). `out` may alias `p`. */
  add(out: usize, p: usize, q: usize): void {
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
    const z2z2 = this.t1;
    const u1 = this.t2;
    const u2 = this.t3;
    const s1 = this.t4;
    const s2 = this.t5;
    field.sqr(z1z1, z1);
    field.sqr(z2z2, z2);
    field.mul(u1, p, z2z2);
    field.mul(u2, q, z1z1);
    field.mul(s1, p + size, z2);
    field.mul(s1, s1, z2z2);
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
    field.add(r, r, r);
    // Z3 = ((z1 + z2)^2 - z1z1 - z2z2) h, before z1 is overwritten.
    const t = this.t6;
    field.add(t, z1, z2);
    field.sqr(t, t);
    field.sub(t, t, z1z1);
    field.sub(t, t, z2z2);
    field.mul(out + 2 * size, t, h);
    const i = z1z1;
    field.add(i, h, h);
    field.sqr(i, i);
    const j = z2z2;
    field.mul(j, h, i);
    const v = u1;
    field.mul(v, u1, i);
    // X3 = r^2 - J - 2V
    field.sqr(t, r);
    field.sub(t, t, j);
    field.sub(t, t, v);
    field.sub(out, t, v);
    // Y3 = r (V - X3) - 2 S1 J
    field.sub(t, v, out);
    field.mul(t, t, r);
    field.mul(s1, s1, j);
    field.add(s1, s1, s1);
    field.sub(out + size, t, s1);
  }

  /** out = p + q with q affine (x, y) (madd-2007-bl: 7M + 4S). `out` may alias `p`. */
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
    field.mul(s2, q + size, z1);
    field.mul(s2, s2, z1z1);
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
    field.add(r, r, r);
    const hh = this.t3;
    field.sqr(hh, h);
    // Z3 = (z1 + h)^2 - z1z1 - hh, before z1 is overwritten.
    const t = this.t4;
    field.add(t, z1, h);
    field.sqr(t, t);
    field.sub(t, t, z1z1);
    field.sub(out + 2 * size, t, hh);
    const i = hh;
    field.add(i, hh, hh);
    field.add(i, i, i);
    const j = z1z1;
    field.mul(j, h, i);
    const v = this.t5;
    field.mul(v, p, i);
    const y1j = this.t6;
    field.mul(y1j, p + size, j);
    // X3 = r^2 - J - 2V
    field.sqr(t, r);
    field.sub(t, t, j);
    field.sub(t, t, v);
    field.sub(out, t, v);
    // Y3 = r (V - X3) - 2 Y1 J
    field.sub(t, v, out);
    field.mul(t, t, r);
    field.add(y1j, y1j, y1j);
    field.sub(out + size, t, y1j);
  }
}
