/** RSA signature verification for the JWS algorithms RS256/384/512 and PS256/384/512. */
import { HashAlgorithm } from "../sha2";
import { VerifyResult } from "../verify-result";
import { pssMatches } from "./emsa-pss";
import { modulusBits, rsaPublicOperation } from "./public-key-operation";
import { rsassaPkcs1v15Verify } from "./rsassa-pkcs1-v15";

/** The RSA signature encodings JWS uses. */
export enum RsaPadding {
  /** RSASSA-PKCS1-v1_5 (RS256/384/512). */
  PKCS1_V15 = 0,
  /** RSASSA-PSS with MGF1 and salt length = hash length (PS256/384/512). */
  PSS = 1,
}

const ENCODED_MESSAGE: usize = memory.data(512);

/**
 * Verifies `signature` over `message` with the RSA public key (n, e), both
 * big-endian bytes. Returns a {@link VerifyResult}: VALID, INVALID, or a
 * negative code for an unusable key (modulus outside 2048..4096 bits, even
 * modulus, e even or below 3 or not below n).
 */
export function rsaVerify(
  padding: RsaPadding, hash: HashAlgorithm,
  modulus: usize, modulusLength: usize, exponent: usize, exponentLength: usize,
  message: usize, messageLength: usize, signature: usize, signatureLength: usize,
): i32 {
  if (padding == RsaPadding.PKCS1_V15) {
    return rsassaPkcs1v15Verify(hash, modulus, modulusLength, exponent, exponentLength, message, messageLength, signature, signatureLength);
  }
  const status = rsaPublicOperation(modulus, modulusLength, exponent, exponentLength, signature, signatureLength, ENCODED_MESSAGE);
  if (status != VerifyResult.VALID) return status;
  return pssMatches(hash, message, messageLength, ENCODED_MESSAGE, signatureLength, modulusBits) ? VerifyResult.VALID : VerifyResult.INVALID;
}
