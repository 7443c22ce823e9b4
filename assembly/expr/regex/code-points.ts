/** Width, in input units, of the code point the last {@link decodeCodePoint} call read. */
export let decodedWidth: i32 = 1;

/** U+FFFD, what an invalid UTF-8 sequence or lone byte decodes to. */
const REPLACEMENT_CHARACTER: i32 = 0xFFFD;

/**
 * Decodes the code point at `index` of an input that is either a UTF-16
 * string (`utf8` false; index in code units) or UTF-8 bytes (index in bytes).
 * Lone surrogates decode to themselves; invalid UTF-8 decodes to U+FFFD and
 * advances one byte, so every input is matched in a single pass.
 */
// @ts-ignore: decorator
@inline
export function decodeCodePoint(data: usize, length: i32, index: i32, utf8: bool): i32 {
  if (!utf8) {
    const unit = <i32>load<u16>(data + (<usize>index << 1));
    if ((unit & 0xFC00) == 0xD800 && index + 1 < length) {
      const next = <i32>load<u16>(data + (<usize>(index + 1) << 1));
      if ((next & 0xFC00) == 0xDC00) {
        decodedWidth = 2;
        return 0x10000 + ((unit & 0x3FF) << 10) + (next & 0x3FF);
      }
    }
    decodedWidth = 1;
    return unit;
  }
  const lead = <i32>load<u8>(data + <usize>index);
  decodedWidth = 1;
  if (lead < 0x80) return lead;
  return decodeMultiByte(data, length, index, lead);
}

function continuation(data: usize, length: i32, index: i32): i32 {
  if (index >= length) return -1;
  const byte = <i32>load<u8>(data + <usize>index);
  return (byte & 0xC0) == 0x80 ? byte & 0x3F : -1;
}

function decodeMultiByte(data: usize, length: i32, index: i32, lead: i32): i32 {
  let extra = 0;
  let value = 0;
  let minimum = 0;
  if ((lead & 0xE0) == 0xC0) { extra = 1; value = lead & 0x1F; minimum = 0x80; }
  else if ((lead & 0xF0) == 0xE0) { extra = 2; value = lead & 0x0F; minimum = 0x800; }
  else if ((lead & 0xF8) == 0xF0) { extra = 3; value = lead & 0x07; minimum = 0x10000; }
  else return REPLACEMENT_CHARACTER;
  for (let i = 1; i <= extra; i++) {
    const bits = continuation(data, length, index + i);
    if (bits < 0) return REPLACEMENT_CHARACTER;
    value = (value << 6) | bits;
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return REPLACEMENT_CHARACTER;
  decodedWidth = extra + 1;
  return value;
}
