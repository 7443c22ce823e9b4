/**
 * Lenient base64: the standard or URL-safe alphabet, padding optional, as protobuf JSON writes `bytes` and
 * Istio writes `x-envoy-peer-metadata`. JWS needs the strict form in base64url.ts.
 */
function sextet(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5A) return c - 0x41;
  if (c >= 0x61 && c <= 0x7A) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2B || c == 0x2D) return 62; // + or URL-safe -
  if (c == 0x2F || c == 0x5F) return 63; // / or URL-safe _
  return -1;
}

/** Decodes base64 (standard or URL-safe, padding optional), as protobuf JSON writes `bytes`; null when invalid. */
export function decodeBase64(text: string): ArrayBuffer | null {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) == 0x3D) length--;
  if (length % 4 == 1) return null;
  const output = new Uint8Array((length * 3) >> 2);
  let bits: u32 = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < length; i++) {
    const value = sextet(text.charCodeAt(i));
    if (value < 0) return null;
    bits = (bits << 6) | <u32>value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      output[at++] = <u8>(bits >> count);
    }
  }
  return output.buffer;
}
