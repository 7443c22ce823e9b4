/**
 * ES256/ES384/EdDSA in the crypto module, over assembly/crypto/ec/.
 * EC public keys are raw bytes: X || Y (64 or 96 bytes) or the uncompressed
 * SEC 1 point 0x04 || X || Y (65 or 97). Ed25519 keys are the 32-byte JWK `x`.
 */
import { verifyP256Raw, verifyP384Raw } from "../../crypto/ec/ecdsa";
import { verifyEd25519Raw } from "../../crypto/ec/ed25519";
import { digestInto, HashAlgorithm } from "../../crypto/sha2";
import { VerifyResult } from "../../crypto/verify-result";

const DIGEST: usize = memory.data(64);

export function verifyEcdsa(p384: bool, key: usize, keyLength: usize, message: usize, messageLength: usize, signature: usize, signatureLength: usize): i32 {
  const size: usize = p384 ? 48 : 32;
  if (keyLength == 2 * size + 1) {
    if (load<u8>(key) != 0x04) return VerifyResult.KEY_MALFORMED;
    key++;
  } else if (keyLength != 2 * size) {
    return VerifyResult.KEY_MALFORMED;
  }
  // JWS ECDSA signatures are r || s, exactly twice the coordinate size (RFC 7518 §3.4).
  if (signatureLength != 2 * size) return VerifyResult.INVALID;
  digestInto(p384 ? HashAlgorithm.SHA384 : HashAlgorithm.SHA256, message, messageLength, DIGEST);
  const valid = p384
    ? verifyP384Raw(key, <i32>size, key + size, <i32>size, DIGEST, <i32>size, signature, <i32>signatureLength)
    : verifyP256Raw(key, <i32>size, key + size, <i32>size, DIGEST, <i32>size, signature, <i32>signatureLength);
  return valid ? VerifyResult.VALID : VerifyResult.INVALID;
}

export function verifyEd25519(key: usize, keyLength: usize, message: usize, messageLength: usize, signature: usize, signatureLength: usize): i32 {
  if (keyLength != 32) return VerifyResult.KEY_MALFORMED;
  if (signatureLength != 64) return VerifyResult.INVALID;
  return verifyEd25519Raw(key, 32, message, messageLength, signature, 64) ? VerifyResult.VALID : VerifyResult.INVALID;
}
