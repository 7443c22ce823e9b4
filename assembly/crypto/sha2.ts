/**
 * SHA-2 one-shot functions (FIPS 180-4). The streaming hashers are
 * {@link Sha256} and {@link Sha512} (which also does SHA-384).
 */
import { Hasher } from "./hasher";
import { Sha256 } from "./sha256";
import { Sha512 } from "./sha512";

export { Hasher } from "./hasher";
export { Sha256 } from "./sha256";
export { Sha512 } from "./sha512";

/** The SHA-2 functions JOSE uses. Values are part of the crypto module's export API. */
export enum HashAlgorithm {
  SHA256 = 1,
  SHA384 = 2,
  SHA512 = 3,
}

// One shared instance per function: one-shot hashing then allocates nothing but its result.
const sha256Hasher = new Sha256();
const sha384Hasher = new Sha512(48);
const sha512Hasher = new Sha512(64);

/** Digest length in bytes, or 0 for an unknown algorithm. */
export function digestLength(algorithm: HashAlgorithm): i32 {
  switch (algorithm) {
    case HashAlgorithm.SHA256: return 32;
    case HashAlgorithm.SHA384: return 48;
    case HashAlgorithm.SHA512: return 64;
    default: return 0;
  }
}

function sharedHasher(algorithm: HashAlgorithm): Hasher {
  if (algorithm == HashAlgorithm.SHA384) return sha384Hasher;
  if (algorithm == HashAlgorithm.SHA512) return sha512Hasher;
  return sha256Hasher;
}

/**
 * Hashes `length` bytes at `data` and writes the digest to `out`
 * ({@link digestLength} bytes). `algorithm` must be a known {@link HashAlgorithm}.
 */
export function digestInto(algorithm: HashAlgorithm, data: usize, length: usize, out: usize): void {
  const hasher = sharedHasher(algorithm);
  hasher.reset();
  hasher.update(data, length);
  hasher.finishInto(out);
}

function digestBytes(algorithm: HashAlgorithm, data: usize, length: usize): Uint8Array {
  const out = new Uint8Array(digestLength(algorithm));
  digestInto(algorithm, data, length, out.dataStart);
  return out;
}

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  return digestBytes(HashAlgorithm.SHA256, data.dataStart, <usize>data.byteLength);
}

/** SHA-384 of `data` (48 bytes). */
export function sha384(data: Uint8Array): Uint8Array {
  return digestBytes(HashAlgorithm.SHA384, data.dataStart, <usize>data.byteLength);
}

/** SHA-512 of `data` (64 bytes). */
export function sha512(data: Uint8Array): Uint8Array {
  return digestBytes(HashAlgorithm.SHA512, data.dataStart, <usize>data.byteLength);
}

/** SHA-256 of the bytes of `data` (32 bytes). */
export function sha256Buffer(data: ArrayBuffer): Uint8Array {
  return digestBytes(HashAlgorithm.SHA256, changetype<usize>(data), <usize>data.byteLength);
}

/** SHA-384 of the bytes of `data` (48 bytes). */
export function sha384Buffer(data: ArrayBuffer): Uint8Array {
  return digestBytes(HashAlgorithm.SHA384, changetype<usize>(data), <usize>data.byteLength);
}

/** SHA-512 of the bytes of `data` (64 bytes). */
export function sha512Buffer(data: ArrayBuffer): Uint8Array {
  return digestBytes(HashAlgorithm.SHA512, changetype<usize>(data), <usize>data.byteLength);
}

/** SHA-256 of `length` bytes at `data`, written to `out` (32 bytes); allocates nothing. */
export function sha256Into(data: usize, length: usize, out: usize): void {
  digestInto(HashAlgorithm.SHA256, data, length, out);
}

/** SHA-384 of `length` bytes at `data`, written to `out` (48 bytes); allocates nothing. */
export function sha384Into(data: usize, length: usize, out: usize): void {
  digestInto(HashAlgorithm.SHA384, data, length, out);
}

/** SHA-512 of `length` bytes at `data`, written to `out` (64 bytes); allocates nothing. */
export function sha512Into(data: usize, length: usize, out: usize): void {
  digestInto(HashAlgorithm.SHA512, data, length, out);
}
