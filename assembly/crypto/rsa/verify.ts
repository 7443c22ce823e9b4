/** RSA signature verification for the JWS algorithms RS256/384/512 and PS256/384/512. */
import { HashAlgorithm } from "../sha2";
import { VerifyResult } from "../verify-result";
import { pkcs1v15Matches } from "./emsa-pkcs1-v15";
import { pssMatches } from "./emsa-pss";
import { modulusBits, rsaPublicOperation } from "./public-key-operation";

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
  const status = rsaPublicOperation(modulus, modulusLength, exponent, exponentLength, signature, signatureLength, ENCODED_MESSAGE);
  if (status != VerifyResult.VALID) return status;
  const matches = padding == RsaPadding.PSS
    ? pssMatches(hash, message, messageLength, ENCODED_MESSAGE, signatureLength, modulusBits)
    : pkcs1v15Matches(hash, message, messageLength, ENCODED_MESSAGE, signatureLength);
  return matches ? VerifyResult.VALID : VerifyResult.INVALID;
}
