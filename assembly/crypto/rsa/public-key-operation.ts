/**
 * RSAVP1 (RFC 8017 §5.2.2) for a public key given as big-endian n and e, the
 * way a JWK carries them after base64url decoding.
 */
import { bitLengthOfBytes, LIMB_BUFFER_BYTES, limbsFromBytes, limbsToBytes, MAX_MODULUS_BITS } from "../bigint/limbs";
import { currentLimbCount, modularPower, useModulus } from "../bigint/montgomery";
import { VerifyResult } from "../verify-result";

/** Smallest modulus accepted (RFC 7518 §3.3: 2048 bits or larger). */
export const MIN_MODULUS_BITS: i32 = 2048;

/** s of the last successful {@link loadRsaSignature}, in limbs of its modulus (which is current). */
export const SIGNATURE_LIMBS: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const MESSAGE_LIMBS: usize = memory.data(LIMB_BUFFER_BYTES, 16);

// The key of the last successful loadRsaSignature, without leading zero bytes (pointers into the caller's memory).
/** Bits of the modulus of the last successful {@link loadRsaSignature} or {@link rsaPublicOperation}. */
export let modulusBits: i32 = 0;
export let modulusStart: usize = 0;
export let modulusBytes: usize = 0;
export let exponentStart: usize = 0;
export let exponentBytes: usize = 0;

/**
 * Checks the key and the signature and loads them: on VALID the modulus is
 * current and {@link SIGNATURE_LIMBS} holds s. Returns INVALID when the
 * signature is not k = ceil(bits/8) bytes or not below n, or a negative
 * VerifyResult for an unusable key. Leading zero bytes of n and e are ignored.
 */
export function loadRsaSignature(
  modulus: usize, modulusLength: usize, exponent: usize, exponentLength: usize, signature: usize, signatureLength: usize,
): i32 {
  while (modulusLength > 0 && load<u8>(modulus) == 0) { modulus++; modulusLength--; }
  while (exponentLength > 0 && load<u8>(exponent) == 0) { exponent++; exponentLength--; }
  const bits = bitLengthOfBytes(modulus, modulusLength);
  if (bits < MIN_MODULUS_BITS) return bits == 0 ? VerifyResult.KEY_MALFORMED : VerifyResult.KEY_TOO_SMALL;
  if (bits > MAX_MODULUS_BITS) return VerifyResult.KEY_TOO_LARGE;
  if ((load<u8>(modulus + modulusLength - 1) & 1) == 0) return VerifyResult.KEY_MALFORMED;
  // e = 1 would make every s its own signature; RFC 8017 §3.1 wants an odd e in [3, n-1].
  if (exponentLength == 0 || exponentLength > modulusLength) return VerifyResult.KEY_MALFORMED;
  if ((load<u8>(exponent + exponentLength - 1) & 1) == 0) return VerifyResult.KEY_MALFORMED;
  if (exponentLength == 1 && load<u8>(exponent) < 3) return VerifyResult.KEY_MALFORMED;

  // Numbers of equal byte length (no leading zeros on n) compare as their big-endian bytes do.
  if (exponentLength == modulusLength && memory.compare(exponent, modulus, modulusLength) >= 0) return VerifyResult.KEY_MALFORMED;

  // RFC 8017 §8.2.2 step 1 and §8.1.2 step 1: the signature is exactly k bytes...
  const k = <usize>((bits + 7) >> 3);
  if (signatureLength != k) return VerifyResult.INVALID;
  // ...and RSAVP1 step 1: its integer is below n (n has k bytes, the first non-zero).
  if (memory.compare(signature, modulus, k) >= 0) return VerifyResult.INVALID;
  useModulus(modulus, modulusLength, bits);
  limbsFromBytes(signature, signatureLength, SIGNATURE_LIMBS, currentLimbCount());
  modulusBits = bits;
  modulusStart = modulus;
  modulusBytes = modulusLength;
  exponentStart = exponent;
  exponentBytes = exponentLength;
  return VerifyResult.VALID;
}

/**
 * Checks the key, then writes s^e mod n to `out` as k = ceil(bits/8) bytes.
 * Returns VerifyResult.VALID when `out` holds the encoded message, otherwise
 * what {@link loadRsaSignature} returned.
 */
export function rsaPublicOperation(
  modulus: usize, modulusLength: usize, exponent: usize, exponentLength: usize,
  signature: usize, signatureLength: usize, out: usize,
): i32 {
  const status = loadRsaSignature(modulus, modulusLength, exponent, exponentLength, signature, signatureLength);
  if (status != VerifyResult.VALID) return status;
  modularPower(SIGNATURE_LIMBS, exponentStart, exponentBytes, MESSAGE_LIMBS);
  limbsToBytes(MESSAGE_LIMBS, currentLimbCount(), out, signatureLength);
  return VerifyResult.VALID;
}
