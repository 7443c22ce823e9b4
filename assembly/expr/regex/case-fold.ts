/**
 * Case folding for `(?i)`: simple one-to-one mappings for the Latin, Greek,
 * Cyrillic and Armenian alphabets and fullwidth ASCII, plus the extra members
 * RE2 folds onto ASCII letters (Kelvin sign, long s, Angstrom sign). Other
 * scripts compare exactly. Written as rules rather than Unicode tables to keep
 * modules small.
 */

/** Blocks that hold every code point {@link forEachCaseVariant} can map, as [lo, hi] pairs. */
const CASED_BLOCKS: StaticArray<u32> = [
  0x41, 0x5A, 0x61, 0x7A, 0xB5, 0xB5, 0xC0, 0x17F, 0x386, 0x3CE, 0x400, 0x4BF, 0x531, 0x586,
  0x212A, 0x212B, 0xFF21, 0xFF5A,
];

export function casedBlockCount(): i32 {
  return CASED_BLOCKS.length >> 1;
}

export function casedBlockLow(index: i32): u32 {
  return unchecked(CASED_BLOCKS[index << 1]);
}

export function casedBlockHigh(index: i32): u32 {
  return unchecked(CASED_BLOCKS[(index << 1) + 1]);
}

/** The other member of an upper/lower pair, or c itself. */
function pairedCase(c: u32): u32 {
  if (c < 0x80) return (c | 0x20) - 0x61 < 26 ? c ^ 0x20 : c;
  if (c < 0x100) {
    if (c == 0xD7 || c == 0xF7 || c < 0xC0) return c;
    if (c == 0xDF) return c;
    if (c == 0xFF) return 0x178;
    return c ^ 0x20;
  }
  if (c < 0x180) {
    if (c == 0x178) return 0xFF;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    // Pairs start on even code points except in 0x139-0x148 and 0x179-0x17E.
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return ((c & 1) != 0) ? c + 1 : c - 1;
    return c ^ 1;
  }
  if (c >= 0x391 && c <= 0x3AB) return c == 0x3A2 ? c : c + 0x20;
  if (c >= 0x3B1 && c <= 0x3CB) return c == 0x3C2 ? 0x3A3 : c - 0x20;
  if (c == 0x386) return 0x3AC;
  if (c == 0x3AC) return 0x386;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF)) return c ^ 1;
  if (c >= 0x531 && c <= 0x556) return c + 0x30;
  if (c >= 0x561 && c <= 0x586) return c - 0x30;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 0x20;
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0x20;
  return c;
}

/**
 * Appends to `target`, as one-code-point ranges (`lo << 32 | hi`), every code
 * point that folds together with `c` (c itself excluded).
 */
export function forEachCaseVariant(c: u32, target: Array<u64>): void {
  const other = pairedCase(c);
  if (other != c) target.push((<u64>other << 32) | <u64>other);
  const lower = c < other ? other : c;
  let extra: u32 = 0;
  if (c == 0xB5) extra = 0x3BC;
  else if (c == 0x3BC || c == 0x39C) extra = 0xB5;
  else if (c == 0x3C2) extra = 0x3C3;
  else if (lower == 0x3C3) extra = 0x3C2;
  else if (lower == 0x6B || c == 0x212A) extra = c == 0x212A ? 0x6B : 0x212A;
  else if (lower == 0x73 || c == 0x17F) extra = c == 0x17F ? 0x73 : 0x17F;
  else if (lower == 0xE5 || c == 0x212B) extra = c == 0x212B ? 0xE5 : 0x212B;
  if (extra != 0) {
    target.push((<u64>extra << 32) | <u64>extra);
    const extraPair = pairedCase(extra);
    if (extraPair != extra && extraPair != c) target.push((<u64>extraPair << 32) | <u64>extraPair);
  }
}
