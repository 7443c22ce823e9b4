/**
 * The standalone crypto module (build/crypto.wasm): JWS signature and MAC
 * verification, SHA-2 and HMAC over linear memory. It is not a proxy-wasm
 * filter and exports no proxy_* callbacks; a host (or a filter's host side)
 * instantiates it directly. The export API is documented in README.md.
 *
 * The verify and hash paths allocate no managed objects, so the module never
 * needs collect(); it is exported for embedders that call the helpers which do.
 */
import { base64urlDecodeInto, base64urlEncodeInto } from "../../crypto/base64url";
import { hmacInto, hmacVerify } from "../../crypto/hmac";
import { RsaPadding, rsaVerify } from "../../crypto/rsa/verify";
import { digestLength, HashAlgorithm } from "../../crypto/sha2";
import { VerifyResult } from "../../crypto/verify-result";
import { verifyEcdsa, verifyEd25519 } from "./elliptic";

// Not exported: `--use abort=wasmixer_abort` only needs the global name. Reached
// only through a bug (the module is built with --noAssert), so trap.
// @ts-ignore: decorator
@global function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

/** Algorithm ids of {@link verify} (README.md lists them; not exported: Wasm exports only functions and globals). */
namespace Algorithm {
  export const RS256: u32 = 1;
  export const RS384: u32 = 2;
  export const RS512: u32 = 3;
  export const PS256: u32 = 4;
  export const PS384: u32 = 5;
  export const PS512: u32 = 6;
  export const ES256: u32 = 7;
  export const ES384: u32 = 8;
  export const EdDSA: u32 = 9;
  export const HS256: u32 = 10;
  export const HS384: u32 = 11;
  export const HS512: u32 = 12;
}

/** Reserves `size` bytes of linear memory (8-byte aligned; 0 never returned for size > 0). */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** Releases memory from {@link alloc}. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Runs the garbage collector; only needed after calling exports that allocate managed objects (none do today). */
export function collect(): void {
  __collect();
}

/** The SHA-2 function behind an algorithm id, or 0. */
function hashOf(algorithm: u32): HashAlgorithm {
  switch (algorithm) {
    case Algorithm.RS256: case Algorithm.PS256: case Algorithm.ES256: case Algorithm.HS256: return HashAlgorithm.SHA256;
    case Algorithm.RS384: case Algorithm.PS384: case Algorithm.ES384: case Algorithm.HS384: return HashAlgorithm.SHA384;
    case Algorithm.RS512: case Algorithm.PS512: case Algorithm.HS512: return HashAlgorithm.SHA512;
    default: return 0;
  }
}

/**
 * Verifies a JWS signature or MAC. Returns 1 (valid), 0 (invalid) or a
 * negative error code (-1 unsupported algorithm, -2 key too small, -3 key too
 * large, -4 malformed key). Key encodings per algorithm: see README.md.
 */
export function verify(algorithm: u32, key: usize, keyLength: usize, message: usize, messageLength: usize, signature: usize, signatureLength: usize): i32 {
  switch (algorithm) {
    case Algorithm.RS256: case Algorithm.RS384: case Algorithm.RS512:
      return verifyRsa(RsaPadding.PKCS1_V15, hashOf(algorithm), key, keyLength, message, messageLength, signature, signatureLength);
    case Algorithm.PS256: case Algorithm.PS384: case Algorithm.PS512:
      return verifyRsa(RsaPadding.PSS, hashOf(algorithm), key, keyLength, message, messageLength, signature, signatureLength);
    case Algorithm.HS256: case Algorithm.HS384: case Algorithm.HS512: {
      const hash = hashOf(algorithm);
      // RFC 7518 §3.2: the secret must be at least as long as the hash output.
      if (keyLength < <usize>digestLength(hash)) return VerifyResult.KEY_TOO_SMALL;
      return hmacVerify(hash, key, keyLength, message, messageLength, signature, signatureLength) ? VerifyResult.VALID : VerifyResult.INVALID;
    }
    case Algorithm.ES256: case Algorithm.ES384:
      return verifyEcdsa(algorithm == Algorithm.ES384, key, keyLength, message, messageLength, signature, signatureLength);
    case Algorithm.EdDSA:
      return verifyEd25519(key, keyLength, message, messageLength, signature, signatureLength);
    default:
      return VerifyResult.UNSUPPORTED_ALGORITHM;
  }
}

/** Splits the RSA key encoding `u32le nLen | n | u32le eLen | e`. */
function verifyRsa(padding: RsaPadding, hash: HashAlgorithm, key: usize, keyLength: usize, message: usize, messageLength: usize, signature: usize, signatureLength: usize): i32 {
  if (keyLength < 8) return VerifyResult.KEY_MALFORMED;
  const modulusLength = <usize>load<u32>(key);
  if (modulusLength > keyLength - 8) return VerifyResult.KEY_MALFORMED;
  const exponentLength = <usize>load<u32>(key + 4 + modulusLength);
  if (<usize>8 + modulusLength + exponentLength != keyLength) return VerifyResult.KEY_MALFORMED;
  return rsaVerify(padding, hash, key + 4, modulusLength, key + 8 + modulusLength, exponentLength, message, messageLength, signature, signatureLength);
}

// sha256 / sha384 / sha512(data, length, out): the digest of `length` bytes at `data`, written to `out` (32, 48, 64 bytes).
export { sha256Into as sha256, sha384Into as sha384, sha512Into as sha512 } from "../../crypto/sha2";

/**
 * HMAC with hash 1 (SHA-256), 2 (SHA-384) or 3 (SHA-512), written to `out`
 * (32/48/64 bytes). Returns the MAC length, or -1 for an unknown hash.
 */
export function hmac(hash: u32, key: usize, keyLength: usize, message: usize, messageLength: usize, out: usize): i32 {
  const length = digestLength(<HashAlgorithm>hash);
  if (length == 0) return -1;
  hmacInto(<HashAlgorithm>hash, key, keyLength, message, messageLength, out);
  return length;
}

/**
 * Decodes `length` characters of unpadded base64url at `text` into `out`
 * (room for floor(length*3/4) bytes). Returns the bytes written, or -1 if the
 * text is not canonical base64url (padding, other characters, 4k+1 length,
 * non-zero trailing bits).
 */
export function base64urlDecode(text: usize, length: usize, out: usize): i32 {
  return <i32>base64urlDecodeInto(text, length, out);
}

/** Encodes `length` bytes at `data` as unpadded base64url into `out` (room for ceil(length*4/3) bytes); returns the characters written. */
export function base64urlEncode(data: usize, length: usize, out: usize): i32 {
  return <i32>base64urlEncodeInto(data, length, out);
}
