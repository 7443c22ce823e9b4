/** HMAC (RFC 2104) over SHA-256, SHA-384 and SHA-512: the JWS algorithms HS256, HS384 and HS512. */
import { constantTimeEqual } from "./constant-time";
import { digestLength, Hasher, HashAlgorithm, Sha256, Sha512 } from "./sha2";

// Own hashers, so an HMAC never disturbs the shared one-shot hashers of sha2.ts.
const hmacSha256 = new Sha256();
const hmacSha384 = new Sha512(48);
const hmacSha512 = new Sha512(64);

/** The key padded to one block and XORed with ipad, then opad. */
const PADDED_KEY: usize = memory.data(128);
const INNER_DIGEST: usize = memory.data(64);
const COMPUTED_MAC: usize = memory.data(64);

function hasherFor(algorithm: HashAlgorithm): Hasher {
  if (algorithm == HashAlgorithm.SHA384) return hmacSha384;
  if (algorithm == HashAlgorithm.SHA512) return hmacSha512;
  return hmacSha256;
}

/**
 * HMAC of `messageLength` bytes at `message` under the `keyLength`-byte key at
 * `key`, written to `out` ({@link digestLength}(algorithm) bytes). Keys longer
 * than a block are hashed first, as RFC 2104 says. Allocates nothing.
 */
export function hmacInto(algorithm: HashAlgorithm, key: usize, keyLength: usize, message: usize, messageLength: usize, out: usize): void {
  const hasher = hasherFor(algorithm);
  const blockSize = <usize>hasher.blockSize;
  memory.fill(PADDED_KEY, 0, 128);
  if (keyLength > blockSize) {
    hasher.reset().update(key, keyLength).finishInto(PADDED_KEY);
  } else {
    memory.copy(PADDED_KEY, key, keyLength);
  }
  for (let i: usize = 0; i < blockSize; i++) store<u8>(PADDED_KEY + i, load<u8>(PADDED_KEY + i) ^ 0x36);
  hasher.reset().update(PADDED_KEY, blockSize).update(message, messageLength).finishInto(INNER_DIGEST);
  for (let i: usize = 0; i < blockSize; i++) store<u8>(PADDED_KEY + i, load<u8>(PADDED_KEY + i) ^ (0x36 ^ 0x5c));
  hasher.reset().update(PADDED_KEY, blockSize).update(INNER_DIGEST, <usize>hasher.digestLength).finishInto(out);
  // The padded key is secret material; do not leave it in linear memory.
  memory.fill(PADDED_KEY, 0, 128);
}

/**
 * Whether the `macLength` bytes at `mac` are the HMAC of the message. A MAC of
 * any other length than the full digest is rejected (JWS allows no truncation).
 */
export function hmacVerify(algorithm: HashAlgorithm, key: usize, keyLength: usize, message: usize, messageLength: usize, mac: usize, macLength: usize): bool {
  const length = <usize>digestLength(algorithm);
  if (length == 0 || macLength != length) return false;
  hmacInto(algorithm, key, keyLength, message, messageLength, COMPUTED_MAC);
  return constantTimeEqual(COMPUTED_MAC, mac, length);
}

/** HMAC of `message` under `key` as a new array. */
export function hmac(algorithm: HashAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(digestLength(algorithm));
  hmacInto(algorithm, key.dataStart, <usize>key.byteLength, message.dataStart, <usize>message.byteLength, out.dataStart);
  return out;
}
