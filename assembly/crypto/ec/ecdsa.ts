/**
 * ECDSA signature verification for JWS ES256 (P-256) and ES384 (P-384).
 *
 * Every function takes the message DIGEST (SHA-256 for ES256, SHA-384 for
 * ES384), not the message, and the signature in the JWS encoding: r || s,
 * big-endian, each exactly as long as a coordinate (64 bytes in all for
 * ES256, 96 for ES384). Anything malformed (wrong lengths, r or s outside
 * [1, n-1], coordinates >= p, a point off the curve) verifies as false.
 *
 * The curve state (about 32 KB for both curves) is created on first use.
 */
import { CurveParameters, WeierstrassCurve } from "./weierstrass-curve";

// SEC 2 v2 / FIPS 186-4 D.1.2.3.
export const P256 = new CurveParameters(
  "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
  "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
  "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
  "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
  32,
  true,
);

// SEC 2 v2 / FIPS 186-4 D.1.2.4.
export const P384 = new CurveParameters(
  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
  "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
  "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
  "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
  "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
  48,
);

let p256: WeierstrassCurve | null = null;
let p384: WeierstrassCurve | null = null;

function curveP256(): WeierstrassCurve {
  let curve = p256;
  if (curve === null) p256 = curve = new WeierstrassCurve(P256);
  return curve;
}

function curveP384(): WeierstrassCurve {
  let curve = p384;
  if (curve === null) p384 = curve = new WeierstrassCurve(P384);
  return curve;
}

/**
 * Verifies an ES256 signature. `publicX`, `publicY`: the key's affine
 * coordinates, 32 bytes each, big-endian (the JWK `x` and `y`). `digest`:
 * SHA-256 of the signing input. `signature`: 64 bytes r || s.
 */
export function verifyP256(publicX: Uint8Array, publicY: Uint8Array, digest: Uint8Array, signature: Uint8Array): bool {
  return curveP256().verify(
    publicX.dataStart, publicX.length, publicY.dataStart, publicY.length,
    digest.dataStart, digest.length, signature.dataStart, signature.length,
  );
}

/** Verifies an ES384 signature: like {@link verifyP256} with 48-byte coordinates and a 96-byte signature. */
export function verifyP384(publicX: Uint8Array, publicY: Uint8Array, digest: Uint8Array, signature: Uint8Array): bool {
  return curveP384().verify(
    publicX.dataStart, publicX.length, publicY.dataStart, publicY.length,
    digest.dataStart, digest.length, signature.dataStart, signature.length,
  );
}

/**
 * {@link verifyP256} with the key as an uncompressed SEC 1 point,
 * 0x04 || X || Y (65 bytes; the last bytes of a SubjectPublicKeyInfo).
 */
export function verifyP256Uncompressed(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): bool {
  return verifyUncompressed(curveP256(), publicKey, digest, signature);
}

/** {@link verifyP384} with the key as 0x04 || X || Y (97 bytes). */
export function verifyP384Uncompressed(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): bool {
  return verifyUncompressed(curveP384(), publicKey, digest, signature);
}

function verifyUncompressed(curve: WeierstrassCurve, publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): bool {
  const size = curve.byteLength;
  if (publicKey.length != 1 + 2 * size || publicKey[0] != 0x04) return false;
  const x = publicKey.dataStart + 1;
  return curve.verify(x, size, x + <usize>size, size, digest.dataStart, digest.length, signature.dataStart, signature.length);
}

/**
 * Raw-memory form of {@link verifyP256} for callers that keep bytes in linear
 * memory (no Uint8Array allocation): pointers and lengths.
 */
export function verifyP256Raw(
  x: usize, xLength: i32, y: usize, yLength: i32, digest: usize, digestLength: i32, signature: usize, signatureLength: i32,
): bool {
  return curveP256().verify(x, xLength, y, yLength, digest, digestLength, signature, signatureLength);
}

/** Raw-memory form of {@link verifyP384}. */
export function verifyP384Raw(
  x: usize, xLength: i32, y: usize, yLength: i32, digest: usize, digestLength: i32, signature: usize, signatureLength: i32,
): bool {
  return curveP384().verify(x, xLength, y, yLength, digest, digestLength, signature, signatureLength);
}
