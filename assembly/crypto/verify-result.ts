/**
 * What a verify function returns. The values are part of the crypto module's
 * export API (assembly/filters/crypto/README.md): 1 and 0 answer the question,
 * negative values say the question could not be asked.
 */
export namespace VerifyResult {
  /** The signature or MAC is valid for this key and message. */
  export const VALID: i32 = 1;
  /** Anything wrong with the signature: wrong length, out of range, or not matching. */
  export const INVALID: i32 = 0;
  /** Unknown algorithm id, or an algorithm this build does not include. */
  export const UNSUPPORTED_ALGORITHM: i32 = -1;
  /** RSA modulus below 2048 bits, or an HMAC secret shorter than the hash output (RFC 7518 §3.2). */
  export const KEY_TOO_SMALL: i32 = -2;
  /** RSA modulus above 4096 bits. */
  export const KEY_TOO_LARGE: i32 = -3;
  /** Key bytes that do not encode a usable key (bad lengths, even modulus, exponent < 3 or even, bad point). */
  export const KEY_MALFORMED: i32 = -4;
}
