/**
 * EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2), for verification by re-encoding
 * (§8.2.2 steps 3-4): the whole expected encoded message is built and
 * compared with the recovered one as a whole. Parsing the recovered message
 * instead invites the lax-padding and DigestInfo-parsing forgeries
 * (Bleichenbacher 2006).
 */
import { digestInto, digestLength, HashAlgorithm } from "../sha2";

// RFC 8017 §9.2 note 1: DER of DigestInfo up to the hash value.
const SHA256_PREFIX: usize = memory.data<u8>([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);
const SHA384_PREFIX: usize = memory.data<u8>([0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30]);
const SHA512_PREFIX: usize = memory.data<u8>([0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40]);
const PREFIX_LENGTH: usize = 19;

/**
 * Writes EMSA-PKCS1-v1_5(message) for `hash` as `k` bytes to `out`: 0x00 0x01,
 * 0xFF padding, 0x00, the DigestInfo prefix and the hash, which ends `out`.
 * Returns false (writing nothing) when k is too short for the encoding.
 */
export function pkcs1v15Encode(hash: HashAlgorithm, message: usize, messageLength: usize, out: usize, k: usize): bool {
  const hashLength = <usize>digestLength(hash);
  const tLength = PREFIX_LENGTH + hashLength;
  // §9.2 step 3: at least 8 bytes of 0xFF padding.
  if (k < tLength + 11) return false;
  const prefix = hash == HashAlgorithm.SHA384 ? SHA384_PREFIX : hash == HashAlgorithm.SHA512 ? SHA512_PREFIX : SHA256_PREFIX;
  const paddingLength = k - tLength - 3;
  store<u8>(out, 0x00);
  store<u8>(out + 1, 0x01);
  memory.fill(out + 2, 0xFF, paddingLength);
  store<u8>(out + 2 + paddingLength, 0x00);
  const t = out + 3 + paddingLength;
  memory.copy(t, prefix, PREFIX_LENGTH);
  digestInto(hash, message, messageLength, t + PREFIX_LENGTH);
  return true;
}
