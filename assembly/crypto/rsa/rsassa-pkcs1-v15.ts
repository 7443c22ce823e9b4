/**
 * RSASSA-PKCS1-v1_5-VERIFY (RFC 8017 §8.2.2) for RS256/384/512.
 *
 * The expected encoding EM is known before the exponentiation, so for a key
 * with scaled factors (scaled-factors.ts) the comparison happens in scaled
 * form: with D = R^-(e-1) mod n, scaledModularPower gives s^e·D mod n without
 * the multiplication that enters the Montgomery domain, and EM = P + H (the
 * padding part and the hash) gives EM·D = P·D + H·D mod n, with P·D kept per
 * key and H·D one short Montgomery multiplication of the hash limbs by
 * D·2^(28·h). D is invertible (n is odd), so the two agree exactly when
 * s^e mod n = EM: the same test as RFC 8017's byte comparison, since EM,
 * which starts 0x00 0x01, is below n. Other keys take the plain path.
 */
import { compareLimbs, LIMB_BUFFER_BYTES, limbsFromBytes, limbsToBytes } from "../bigint/limbs";
import { addModulo, currentLimbCount, modularPower, multiplyShortOperand, scaledModularPower } from "../bigint/montgomery";
import { digestLength, HashAlgorithm } from "../sha2";
import { VerifyResult } from "../verify-result";
import { pkcs1v15Encode } from "./emsa-pkcs1-v15";
import { exponentBytes, exponentStart, loadRsaSignature, modulusBytes, modulusStart, SIGNATURE_LIMBS } from "./public-key-operation";
import { hashLimbs, scaledFactorsFor, scaledHashFactorOf, scaledPaddingOf } from "./scaled-factors";

const EXPECTED: usize = memory.data(512);
const RECOVERED: usize = memory.data(512);
const POWER: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const HASH_LIMBS: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const SCALED_EXPECTED: usize = memory.data(LIMB_BUFFER_BYTES, 16);

/**
 * Verifies an RSASSA-PKCS1-v1_5 `signature` over `message` with the key
 * (n, e), both big-endian bytes. Returns a VerifyResult: VALID, INVALID, or
 * a negative code for an unusable key (see loadRsaSignature).
 */
export function rsassaPkcs1v15Verify(
  hash: HashAlgorithm, modulus: usize, modulusLength: usize, exponent: usize, exponentLength: usize,
  message: usize, messageLength: usize, signature: usize, signatureLength: usize,
): i32 {
  const status = loadRsaSignature(modulus, modulusLength, exponent, exponentLength, signature, signatureLength);
  if (status != VerifyResult.VALID) return status;
  const k = signatureLength;
  if (!pkcs1v15Encode(hash, message, messageLength, EXPECTED, k)) return VerifyResult.INVALID;
  const count = currentLimbCount();
  const factors = scaledFactorsFor(modulusStart, modulusBytes, exponentStart, exponentBytes, hash, EXPECTED, k);
  if (factors == 0) {
    modularPower(SIGNATURE_LIMBS, exponentStart, exponentBytes, POWER);
    limbsToBytes(POWER, count, RECOVERED, k);
    return memory.compare(EXPECTED, RECOVERED, k) == 0 ? VerifyResult.VALID : VerifyResult.INVALID;
  }
  scaledModularPower(SIGNATURE_LIMBS, exponentStart, exponentBytes, POWER);
  const hashLength = <usize>digestLength(hash);
  const shortLimbs = hashLimbs(hash);
  limbsFromBytes(EXPECTED + k - hashLength, hashLength, HASH_LIMBS, shortLimbs);
  multiplyShortOperand(HASH_LIMBS, shortLimbs, scaledHashFactorOf(factors), SCALED_EXPECTED);
  addModulo(SCALED_EXPECTED, scaledPaddingOf(factors), SCALED_EXPECTED);
  return compareLimbs(POWER, SCALED_EXPECTED, count) == 0 ? VerifyResult.VALID : VerifyResult.INVALID;
}
