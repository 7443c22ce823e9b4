/**
 * EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over the message hash and a
 * salt as long as the hash, the only PSS parameters JWS allows
 * (RFC 7518 §3.5). Every step's check is made; none is skipped as redundant.
 */
import { digestInto, digestLength, HashAlgorithm } from "../sha2";

const MESSAGE_HASH: usize = memory.data(64);
/** DB, unmasked in place: at most 512 bytes. */
const DATA_BLOCK: usize = memory.data(512);
/** MGF1 input: the seed H followed by a 4-byte counter. */
const MGF_INPUT: usize = memory.data(64 + 4);
const MGF_OUTPUT: usize = memory.data(64);
/** M' = 8 zero bytes || mHash || salt. */
const M_PRIME: usize = memory.data(8 + 64 + 64);
const H_PRIME: usize = memory.data(64);

/**
 * Whether `encoded` (the k-byte output of RSAVP1 for a `modulusBits`-bit
 * modulus) is a PSS encoding of the message with salt length = hash length.
 */
export function pssMatches(hash: HashAlgorithm, message: usize, messageLength: usize, encoded: usize, k: usize, modulusBits: i32): bool {
  const hLen = <usize>digestLength(hash);
  const sLen = hLen;
  // §8.1.2 step 2c: emBits = modBits - 1 and EM = I2OSP(m, emLen), which fails
  // when the leading byte of the k-byte form is not zero and emLen < k.
  const emBits = <usize>(modulusBits - 1);
  const emLen = (emBits + 7) >> 3;
  if (emLen < k) {
    if (load<u8>(encoded) != 0) return false;
    encoded += k - emLen;
  }
  // §9.1.2 step 2 (mHash) and 3.
  digestInto(hash, message, messageLength, MESSAGE_HASH);
  if (emLen < hLen + sLen + 2) return false;
  // Step 4: trailer field.
  if (load<u8>(encoded + emLen - 1) != 0xbc) return false;
  // Step 5: maskedDB || H.
  const dbLength = emLen - hLen - 1;
  const h = encoded + dbLength;
  // Step 6: the unused top bits of maskedDB must be zero.
  const unusedBits = <u32>(8 * emLen - emBits);
  const topMask = <u8>(<u32>0xFF << (8 - unusedBits));
  if (unusedBits > 0 && (load<u8>(encoded) & topMask) != 0) return false;
  // Steps 7-8: DB = maskedDB XOR MGF1(H, emLen - hLen - 1).
  memory.copy(MGF_INPUT, h, hLen);
  for (let offset: usize = 0, counter: u32 = 0; offset < dbLength; counter++) {
    store<u32>(MGF_INPUT + hLen, bswap<u32>(counter));
    digestInto(hash, MGF_INPUT, hLen + 4, MGF_OUTPUT);
    for (let i: usize = 0; i < hLen && offset < dbLength; i++, offset++) {
      store<u8>(DATA_BLOCK + offset, load<u8>(encoded + offset) ^ load<u8>(MGF_OUTPUT + i));
    }
  }
  // Step 9.
  if (unusedBits > 0) store<u8>(DATA_BLOCK, load<u8>(DATA_BLOCK) & ~topMask);
  // Step 10: PS is zeros, then a single 0x01.
  const psLength = emLen - hLen - sLen - 2;
  for (let i: usize = 0; i < psLength; i++) if (load<u8>(DATA_BLOCK + i) != 0) return false;
  if (load<u8>(DATA_BLOCK + psLength) != 0x01) return false;
  // Steps 11-13: H' = Hash(0^8 || mHash || salt).
  memory.fill(M_PRIME, 0, 8);
  memory.copy(M_PRIME + 8, MESSAGE_HASH, hLen);
  memory.copy(M_PRIME + 8 + hLen, DATA_BLOCK + dbLength - sLen, sLen);
  digestInto(hash, M_PRIME, 8 + hLen + sLen, H_PRIME);
  // Step 14.
  return memory.compare(H_PRIME, h, hLen) == 0;
}
