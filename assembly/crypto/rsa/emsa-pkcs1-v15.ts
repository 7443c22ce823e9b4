/**
 * EMSA-PKCS1-v1_5 verification by re-encoding (RFC 8017 §8.2.2 step 3-4 and
 * §9.2): the whole expected encoded message is built and compared with the
 * recovered one byte for byte. Parsing the recovered message instead invites
 * the lax-padding and DigestInfo-parsing forgeries (Bleichenbacher 2006).
 */
import { digestInto, digestLength, HashAlgorithm } from "../sha2";

// RFC 8017 §9.2 note 1: DER of DigestInfo up to the hash value.
const SHA256_PREFIX: usize = memory.data<u8>([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);
const SHA384_PREFIX: usize = memory.data<u8>([0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30]);
const SHA512_PREFIX: usize = memory.data<u8>([0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40]);
const PREFIX_LENGTH: usize = 19;

const EXPECTED: usize = memory.data(512);

/** Whether the k-byte `encoded` message is EMSA-PKCS1-v1_5(message) for `hash`. */
export function pkcs1v15Matches(hash: HashAlgorithm, message: usize, messageLength: usize, encoded: usize, k: usize): bool {
  const hashLength = <usize>digestLength(hash);
  const tLength = PREFIX_LENGTH + hashLength;
  // §9.2 step 3: at least 8 bytes of 0xFF padding.
  if (k < tLength + 11) return false;
  const prefix = hash == HashAlgorithm.SHA384 ? SHA384_PREFIX : hash == HashAlgorithm.SHA512 ? SHA512_PREFIX : SHA256_PREFIX;
  const paddingLength = k - tLength - 3;
  store<u8>(EXPECTED, 0x00);
  store<u8>(EXPECTED + 1, 0x01);
  memory.fill(EXPECTED + 2, 0xFF, paddingLength);
  store<u8>(EXPECTED + 2 + paddingLength, 0x00);
  const t = EXPECTED + 3 + paddingLength;
  memory.copy(t, prefix, PREFIX_LENGTH);
  digestInto(hash, message, messageLength, t + PREFIX_LENGTH);
  return memory.compare(EXPECTED, encoded, k) == 0;
}
