/**
 * Base64url without padding (RFC 4648 §5, as JWS uses it: RFC 7515 §2).
 *
 * Decoding is strict: only the 64 alphabet characters are accepted (no `=`,
 * no whitespace, no `+` or `/`), a length of 4k+1 is rejected, and so are
 * non-canonical encodings whose unused trailing bits are not zero — otherwise
 * several strings would decode to the same bytes, and a JWS signature could be
 * altered without invalidating it.
 */

const ALPHABET: usize = memory.data<u8>([
  0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50,
  0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
  0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76,
  0x77, 0x78, 0x79, 0x7a, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x2d, 0x5f,
]);

/** Character code -> 6-bit value, 0xFF for characters outside the alphabet. */
const DECODE: usize = memory.data<u8>([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3e, 0xff, 0xff,
  0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
  0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0xff, 0xff, 0xff, 0xff, 0x3f,
  0xff, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,]);

/** Characters needed to encode `length` bytes. */
export function base64urlEncodedLength(length: usize): usize {
  const rest = length % 3;
  return (length / 3) * 4 + (rest == 0 ? 0 : rest + 1);
}

/** Bytes a well-formed encoding of `length` characters decodes to, or -1 if no encoding has that length. */
export function base64urlDecodedLength(length: usize): isize {
  const tail = length & 3;
  if (tail == 1) return -1;
  return <isize>((length >> 2) * 3 + (tail == 0 ? 0 : tail - 1));
}

/** Encodes `length` bytes at `data` into `out` ({@link base64urlEncodedLength} bytes); returns the characters written. */
export function base64urlEncodeInto(data: usize, length: usize, out: usize): usize {
  let o = out;
  let i: usize = 0;
  for (; i + 3 <= length; i += 3) {
    const bits = (<u32>load<u8>(data + i) << 16) | (<u32>load<u8>(data + i + 1) << 8) | <u32>load<u8>(data + i + 2);
    store<u8>(o, load<u8>(ALPHABET + (bits >> 18)));
    store<u8>(o + 1, load<u8>(ALPHABET + ((bits >> 12) & 63)));
    store<u8>(o + 2, load<u8>(ALPHABET + ((bits >> 6) & 63)));
    store<u8>(o + 3, load<u8>(ALPHABET + (bits & 63)));
    o += 4;
  }
  const rest = length - i;
  if (rest > 0) {
    const bits = (<u32>load<u8>(data + i) << 16) | (rest == 2 ? <u32>load<u8>(data + i + 1) << 8 : 0);
    store<u8>(o, load<u8>(ALPHABET + (bits >> 18)));
    store<u8>(o + 1, load<u8>(ALPHABET + ((bits >> 12) & 63)));
    o += 2;
    if (rest == 2) {
      store<u8>(o, load<u8>(ALPHABET + ((bits >> 6) & 63)));
      o++;
    }
  }
  return o - out;
}

/**
 * Decodes `length` ASCII characters at `text` into `out`
 * ({@link base64urlDecodedLength} bytes). Returns the bytes written, or -1 if
 * the input is not canonical unpadded base64url; `out` may then hold garbage.
 */
export function base64urlDecodeInto(text: usize, length: usize, out: usize): isize {
  const expected = base64urlDecodedLength(length);
  if (expected < 0) return -1;
  let o = out;
  let i: usize = 0;
  for (; i + 4 <= length; i += 4) {
    const a = <u32>load<u8>(DECODE + load<u8>(text + i));
    const b = <u32>load<u8>(DECODE + load<u8>(text + i + 1));
    const c = <u32>load<u8>(DECODE + load<u8>(text + i + 2));
    const d = <u32>load<u8>(DECODE + load<u8>(text + i + 3));
    // Any 0xFF entry sets bit 7 somewhere in the OR.
    if ((a | b | c | d) & 0x80) return -1;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    store<u8>(o, <u8>(bits >> 16));
    store<u8>(o + 1, <u8>(bits >> 8));
    store<u8>(o + 2, <u8>bits);
    o += 3;
  }
  const rest = length - i;
  if (rest > 0) {
    const a = <u32>load<u8>(DECODE + load<u8>(text + i));
    const b = <u32>load<u8>(DECODE + load<u8>(text + i + 1));
    const c = rest == 3 ? <u32>load<u8>(DECODE + load<u8>(text + i + 2)) : 0;
    if ((a | b | c) & 0x80) return -1;
    const bits = (a << 18) | (b << 12) | (c << 6);
    // Bits below the last whole byte must be zero in a canonical encoding.
    if (rest == 2 ? (bits & 0xFFFF) != 0 : (bits & 0xFF) != 0) return -1;
    store<u8>(o, <u8>(bits >> 16));
    o++;
    if (rest == 3) {
      store<u8>(o, <u8>(bits >> 8));
      o++;
    }
  }
  return <isize>(o - out);
}

/** Base64url of `data`, without padding. */
export function base64urlEncode(data: Uint8Array): string {
  const length = base64urlEncodedLength(<usize>data.byteLength);
  const ascii = new Uint8Array(<i32>length);
  base64urlEncodeInto(data.dataStart, <usize>data.byteLength, ascii.dataStart);
  return String.UTF8.decodeUnsafe(ascii.dataStart, length);
}

/** Decodes ASCII bytes holding unpadded base64url; null if they are not canonical base64url. */
export function base64urlDecodeBytes(text: Uint8Array): Uint8Array | null {
  const length = base64urlDecodedLength(<usize>text.byteLength);
  if (length < 0) return null;
  const out = new Uint8Array(<i32>length);
  if (base64urlDecodeInto(text.dataStart, <usize>text.byteLength, out.dataStart) < 0) return null;
  return out;
}

/** Decodes unpadded base64url text; null if it is not canonical base64url (any non-ASCII character included). */
export function base64urlDecode(text: string): Uint8Array | null {
  const length = text.length;
  const ascii = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7F) return null;
    unchecked(ascii[i] = <u8>code);
  }
  return base64urlDecodeBytes(ascii);
}
