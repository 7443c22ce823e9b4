/** Base64 (standard or URL-safe alphabet, padding optional) to bytes; null when malformed. */
export function decodeBase64(text: string): ArrayBuffer | null {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) == 0x3D) length--;
  if ((length & 3) == 1) return null;
  const output = new ArrayBuffer((length * 3) >> 2);
  const base = changetype<usize>(output);
  let bits: u32 = 0;
  let count: u32 = 0;
  let written: usize = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    let value: i32;
    if (c >= 0x41 && c <= 0x5A) value = c - 0x41;
    else if (c >= 0x61 && c <= 0x7A) value = c - 0x61 + 26;
    else if (c >= 0x30 && c <= 0x39) value = c - 0x30 + 52;
    else if (c == 0x2B || c == 0x2D) value = 62;
    else if (c == 0x2F || c == 0x5F) value = 63;
    else return null;
    bits = (bits << 6) | <u32>value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      store<u8>(base + written++, <u8>(bits >> count));
    }
  }
  return output;
}
