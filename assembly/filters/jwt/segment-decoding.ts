/**
 * Base64url decoding of the three token segments.
 *
 * Envoy decodes segments with absl::WebSafeBase64Unescape, which ignores the
 * unused low bits of the last character (Istio answers a token whose last
 * signature character was changed in those bits with "Jwt verification
 * fails", not with a Base64 error), and so does jose (atob). The crypto
 * library's decoder is deliberately canonical-only, so a non-canonical last
 * character is masked before decoding. That cannot weaken the signature:
 * the signature covers the header and payload text, and the decoded
 * signature bytes are what is verified.
 */
import { base64urlDecodedLength, base64urlDecodeInto } from "../../crypto/base64url";

/** 6-bit value of a base64url character, or -1. */
function sextet(c: u32): i32 {
  if (c - 0x41 < 26) return <i32>(c - 0x41);
  if (c - 0x61 < 26) return <i32>(c - 0x61 + 26);
  if (c - 0x30 < 10) return <i32>(c - 0x30 + 52);
  if (c == 0x2d) return 62;
  if (c == 0x5f) return 63;
  return -1;
}

function character(value: i32): u8 {
  if (value < 26) return <u8>(0x41 + value);
  if (value < 52) return <u8>(0x61 + value - 26);
  if (value < 62) return <u8>(0x30 + value - 52);
  return value == 62 ? 0x2d : 0x5f;
}

/** Decodes `length` bytes of base64url text at `text`; null when it is not base64url. */
export function decodeSegment(text: usize, length: usize): Uint8Array | null {
  const decodedLength = base64urlDecodedLength(length);
  if (decodedLength < 0) return null;
  const out = new Uint8Array(<i32>decodedLength);
  if (base64urlDecodeInto(text, length, out.dataStart) >= 0) return out;
  const tail = length & 3;
  if (tail == 0) return null;
  const last = sextet(<u32>load<u8>(text + length - 1));
  if (last < 0) return null;
  const copy = new Uint8Array(<i32>length);
  memory.copy(copy.dataStart, text, length);
  store<u8>(copy.dataStart + length - 1, character(last & (tail == 2 ? 0x30 : 0x3c)));
  if (base64urlDecodeInto(copy.dataStart, length, out.dataStart) < 0) return null;
  return out;
}
