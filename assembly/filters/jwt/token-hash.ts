/**
 * The bucket hash of the verified-token cache: fast and non-cryptographic,
 * because the cache compares every candidate's whole token byte for byte, so
 * a collision costs a comparison, never a wrong answer. Only tokens that
 * passed verification enter the cache, so a client cannot flood one bucket
 * with tokens of its choosing.
 *
 * Only the length and the last {@link TAIL_BYTES} bytes are hashed: a JWS
 * ends with its signature, which is as good as random, so the tail tells
 * tokens apart as well as the whole would, at a fraction of the cost (a
 * token is several hundred bytes and this runs on every request).
 */

const MULTIPLIER: u64 = 0x9e3779b97f4a7c15;
const TAIL_BYTES: usize = 32;

// @ts-ignore: decorator
@inline function mix(h: u64, word: u64): u64 {
  const x = (h ^ word) * MULTIPLIER;
  return x ^ (x >> 29);
}

/** Hash of the `length` bytes at `data`. */
export function hashTokenBytes(data: usize, length: usize): u32 {
  let h: u64 = <u64>length * MULTIPLIER;
  let i: usize = length > TAIL_BYTES ? length - TAIL_BYTES : 0;
  for (; i + 8 <= length; i += 8) h = mix(h, load<u64>(data + i));
  let tail: u64 = 0;
  for (let shift: u64 = 0; i < length; i++, shift += 8) tail |= (<u64>load<u8>(data + i)) << shift;
  h = mix(h, tail);
  h = mix(h, h >> 32);
  return <u32>(h ^ (h >> 32));
}
