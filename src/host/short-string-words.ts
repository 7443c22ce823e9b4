/**
 * The bytes of short byte strings (byte-strings.ts) the host writes into guest
 * memory again and again — header names and common values such as `GET` or
 * `http` — packed into little-endian 32-bit words once and remembered by the
 * string. Writing a string char by char costs a `charCodeAt` and a store per
 * byte (~3 ns each on the 2-core CI machines); a remembered one costs a Map
 * lookup and one store per four bytes: a header-pairs call writing 77 bytes of
 * short names and values took 11-17% less.
 *
 * Bounded (bounded-memo.ts), because clients choose names and values.
 */
import { BoundedMemo } from "./bounded-memo.js";

/** Strings up to this many bytes are remembered. */
export const LONGEST_REMEMBERED = 16;

/**
 * Words of one string: words[w] holds bytes 4w..4w+3; the last entry holds
 * the string's last four bytes (overlapping the word before when the size is
 * not a multiple of four), or for a string under four bytes, its bytes in the
 * low end of a word.
 */
export type PackedString = Int32Array;

const remembered = new BoundedMemo(4096, packString);

/** The packed words of `value` (at most {@link LONGEST_REMEMBERED} chars, every char code below 256). */
export function packedString(value: string): PackedString {
  return remembered.get(value);
}

/** The packed words of any byte string, not remembered (guest-header-name.ts compares names in this form). */
export function packString(value: string): PackedString {
  const size = value.length;
  const full = size >>> 2;
  const packed = new Int32Array(full + 1);
  for (let w = 0; w < full; w++) packed[w] = wordAt(value, 4 * w, 4);
  packed[full] = size >= 4 ? wordAt(value, size - 4, 4) : wordAt(value, 0, size);
  return packed;
}

function wordAt(value: string, start: number, count: number): number {
  let word = 0;
  for (let b = 0; b < count; b++) word |= value.charCodeAt(start + b) << (8 * b);
  return word;
}

/**
 * Writes the `size` bytes of a packed string at `ptr` through `view` (any
 * alignment), never past `ptr + size`: whole words, then the last four bytes
 * again over the tail, or byte by byte for a string under four bytes.
 */
export function writePackedString(view: DataView, bytes: Uint8Array, packed: PackedString, size: number, ptr: number): void {
  const full = size >>> 2;
  for (let w = 0; w < full; w++) view.setInt32(ptr + 4 * w, packed[w]!, true);
  if ((size & 3) === 0) return;
  const last = packed[full]!;
  if (size >= 4) {
    view.setInt32(ptr + size - 4, last, true);
  } else {
    for (let b = 0; b < size; b++) bytes[ptr + b] = last >>> (8 * b);
  }
}
