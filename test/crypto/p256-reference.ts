// BigInt reference arithmetic on P-256 (affine points, null = the point at infinity)
// for differential tests of assembly/crypto/ec/. Slow and simple on purpose.

export const P = BigInt("0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
export const N = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
export const B = BigInt("0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
export const G: AffinePoint = {
  x: BigInt("0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
  y: BigInt("0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
};

export interface AffinePoint {
  x: bigint;
  y: bigint;
}

export function mod(value: bigint, modulus: bigint): bigint {
  const r = value % modulus;
  return r < 0n ? r + modulus : r;
}

export function power(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = mod(base, modulus);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Inverse modulo a prime (Fermat). */
export function inverse(value: bigint, modulus: bigint): bigint {
  return power(value, modulus - 2n, modulus);
}

export function isOnCurve(point: AffinePoint): boolean {
  return mod(point.y * point.y - (point.x ** 3n - 3n * point.x + B), P) === 0n;
}

export function negate(point: AffinePoint | null): AffinePoint | null {
  return point === null ? null : { x: point.x, y: mod(-point.y, P) };
}

export function addPoints(a: AffinePoint | null, b: AffinePoint | null): AffinePoint | null {
  if (a === null) return b;
  if (b === null) return a;
  let slope: bigint;
  if (a.x === b.x) {
    if (mod(a.y + b.y, P) === 0n) return null;
    slope = mod((3n * a.x * a.x - 3n) * inverse(2n * a.y, P), P);
  } else {
    slope = mod((b.y - a.y) * inverse(b.x - a.x, P), P);
  }
  const x = mod(slope * slope - a.x - b.x, P);
  return { x, y: mod(slope * (a.x - x) - a.y, P) };
}

export function multiplyPoint(k: bigint, point: AffinePoint | null): AffinePoint | null {
  let result: AffinePoint | null = null;
  let addend = point;
  for (let e = mod(k, N); e > 0n; e >>= 1n) {
    if (e & 1n) result = addPoints(result, addend);
    addend = addPoints(addend, addend);
  }
  return result;
}

/** A curve point with the given x, or null when x^3 - 3x + b is not a square mod p (p = 3 mod 4). */
export function liftX(x: bigint): AffinePoint | null {
  const right = mod(x ** 3n - 3n * x + B, P);
  const y = power(right, (P + 1n) / 4n, P);
  return mod(y * y, P) === right ? { x, y } : null;
}

export function randomBelow(limit: bigint, random: () => number): bigint {
  const bytes = Math.ceil(limit.toString(16).length / 2) + 8;
  let value = 0n;
  for (let i = 0; i < bytes; i++) value = (value << 8n) | BigInt(Math.floor(random() * 256));
  return value % limit;
}
