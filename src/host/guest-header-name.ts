/**
 * Matching a header name the guest passes as bytes against the names of a
 * header map, without decoding the guest bytes into a string.
 *
 * Every lowercase name is prepared once per host (interned): its bytes packed
 * into little-endian 32-bit words, plus a mask with 0x20 in each byte that is
 * a lowercase ASCII letter. A guest word matches when `(word | mask) === packed`:
 * for a letter position, OR-ing 0x20 folds 'A'..'Z' onto 'a'..'z' and maps no
 * other byte onto a letter; every other position must be equal as is. That is
 * the ASCII case-insensitive compare Envoy applies (header names are lowercased
 * on every operation), four bytes per step. A name whose size is not a multiple
 * of four ends with one more word: its last four bytes (overlapping the word
 * before), or for a name under four bytes, its bytes in the low end of a word.
 *
 * A map finds its candidate through a small hash table (GuestNameTable) keyed
 * by the name's size and its first word with every byte OR-ed with 0x20,
 * which a name and any case variant of it share. On the 2-core CI
 * machines a loop step costs ~2.5 ns, so scanning 10 entries alone cost ~30 ns;
 * the table makes a lookup one word read, one probe and one compare. Its
 * entries live in one typed array and aligned guest bytes are read through
 * the memory's word view: with an object and two small arrays per name and
 * DataView reads, a lookup of `x-request-id` cost 40 ns from a JS loop, flat
 * arrays and word reads 20 ns.
 */
import { BoundedMemo } from "./bounded-memo.js";
import type { GuestViews } from "./guest-views.js";
import { packString } from "./short-string-words.js";

/** A lowercase header name in the form guest bytes are compared against. */
export class GuestHeaderName {
  readonly size: number;
  /**
   * Per word of the name, in the layout of short-string-words.ts (whole
   * words, then one more holding the last four bytes, or under four bytes the
   * bytes in the low end; when the size is a multiple of four that word
   * repeats the last whole one and is never compared): the packed word, then
   * its mask with 0x20 in every byte that is a lowercase ASCII letter.
   */
  readonly words: Int32Array;
  /** Hash of the name and of every case variant of it (see hashGuestName). */
  readonly hash: number;

  constructor(name: string) {
    this.size = name.length;
    const packed = packString(name);
    this.words = new Int32Array(2 * packed.length);
    for (let w = 0; w < packed.length; w++) {
      this.words[2 * w] = packed[w]!;
      this.words[2 * w + 1] = lowercaseLetterMask(packed[w]!);
    }
    this.hash = hashGuestName(name.length, packed[0]!);
  }

  /**
   * True if guest bytes [ptr, ptr+size) spell this name, ASCII case-insensitively.
   * The caller has checked that the range lies inside memory.
   */
  matches(guest: GuestViews, ptr: number, size: number): boolean {
    return size === this.size && matchesWords(this.words, 0, guest, ptr, size);
  }
}

/** 0x20 in every byte of `word` that is a lowercase ASCII letter. */
function lowercaseLetterMask(word: number): number {
  let mask = 0;
  for (let b = 0; b < 4; b++) {
    const c = (word >>> (8 * b)) & 0xff;
    if (c >= 97 && c <= 122) mask |= 0x20 << (8 * b);
  }
  return mask;
}

/**
 * The compare of the file comment for a name of `size` bytes whose (packed, mask) word pairs start at `at` of
 * `words`, at any alignment of `ptr`.
 */
function matchesWords(words: Int32Array, at: number, guest: GuestViews, ptr: number, size: number): boolean {
  if (size < 4) return (shortWord(guest.bytes, ptr, size) | words[at + 1]!) === words[at];
  const view = guest.view;
  const full = size >>> 2;
  for (let w = 0; w < full; w++) if ((view.getInt32(ptr + 4 * w, true) | words[at + 2 * w + 1]!) !== words[at + 2 * w]) return false;
  return (size & 3) === 0 || (view.getInt32(ptr + size - 4, true) | words[at + 2 * full + 1]!) === words[at + 2 * full];
}

/** The bytes of a name under four bytes in the low end of a word. */
function shortWord(bytes: Uint8Array, ptr: number, size: number): number {
  let word = 0;
  for (let b = 0; b < size; b++) word |= bytes[ptr + b]! << (8 * b);
  return word;
}

/**
 * Hash over the size and the first word, case-folded by OR-ing 0x20 into every byte (names that share both
 * only cost a longer probe). The constants are literals (0x9e3779b1 as a signed 32-bit integer): this is
 * inlined into the header host functions, whose inlining budget counts bytecode (see GuestNameTable.find).
 */
function hashGuestName(size: number, first: number): number {
  const h = Math.imul((first | 0x20202020) ^ size, -1640531535);
  return h ^ (h >>> 16);
}

/** The hash of guest bytes [ptr, ptr+size) (range checked by the caller), equal to the hash of the name they spell. */
export function hashGuestBytes(guest: GuestViews, ptr: number, size: number): number {
  if (size < 4) {
    const word = shortWord(guest.bytes, ptr, size);
    return hashGuestName(size, word);
  }
  return hashGuestName(size, guest.view.getInt32(ptr, true));
}

/**
 * Open-addressing table from name hash to the first entry of a map with that
 * name; built for one version of a map's names. Everything lives in one
 * Int32Array, `cells`: first the slots (the offset of an entry's record, 0
 * for none), then per entry a record [hash, size, index, then the name's
 * (packed, mask) word pairs]. A lookup reads one record's cells one after
 * another; with seven typed arrays (slots, hashes, sizes, starts, packed,
 * masks) a header get cost ~5% more at the machine's slow speed, when every
 * separate object read shows.
 */
export class GuestNameTable {
  private readonly cells: Int32Array;
  private readonly slotMask: number;

  constructor(lowercaseNames: readonly string[]) {
    const count = lowercaseNames.length;
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    this.slotMask = capacity - 1;
    const prepared = lowercaseNames.map(guestHeaderName);
    let cellCount = capacity;
    for (const name of prepared) cellCount += 3 + name.words.length;
    const cells = new Int32Array(cellCount);
    let at = capacity;
    for (let i = 0; i < count; i++) {
      const name = prepared[i]!;
      let slot = name.hash & this.slotMask;
      // A repeated name keeps its first entry: Envoy's `get` returns the first value.
      while (cells[slot] !== 0 && lowercaseNames[cells[cells[slot]! + 2]!] !== lowercaseNames[i]) slot = (slot + 1) & this.slotMask;
      if (cells[slot] !== 0) continue;
      cells[slot] = at;
      cells[at] = name.hash;
      cells[at + 1] = name.size;
      cells[at + 2] = i;
      cells.set(name.words, at + 3);
      at += 3 + name.words.length;
    }
    this.cells = cells;
  }

  /** Index of the first entry named like guest bytes [ptr, ptr+size) (ASCII case-insensitive), or -1. */
  find(guest: GuestViews, ptr: number, size: number): number {
    // Inlined into the header host functions. TurboFan inlines at most 920 bytes of bytecode into a function,
    // counting what an inlined callee has inlined itself; with the probe and the compare as functions of their
    // own they were the part left out, so the common case, a key of four bytes or more on a word boundary
    // (what SDKs pass), is written out here and the rest goes out of line (findAnyKey).
    if (size < 4 || (ptr & 3) !== 0) return this.findAnyKey(guest, ptr, size);
    const words = guest.words;
    const base = ptr >>> 2;
    const hash = hashGuestName(size, words[base]!);
    const full = size >>> 2;
    const cells = this.cells;
    for (let slot = hash & this.slotMask; ; slot = (slot + 1) & this.slotMask) {
      const record = cells[slot]!;
      if (record === 0) return -1;
      if (cells[record] !== hash || cells[record + 1] !== size) continue;
      // matchesWords for an aligned key.
      let word = record + 3;
      let w = 0;
      while (w < full && (words[base + w]! | cells[word + 1]!) === cells[word]) {
        w++;
        word += 2;
      }
      if (w === full && ((size & 3) === 0 || (guest.view.getInt32(ptr + size - 4, true) | cells[word + 1]!) === cells[word])) return cells[record + 2]!;
    }
  }

  private findAnyKey(guest: GuestViews, ptr: number, size: number): number {
    const hash = hashGuestBytes(guest, ptr, size);
    const cells = this.cells;
    for (let slot = hash & this.slotMask; ; slot = (slot + 1) & this.slotMask) {
      const record = cells[slot]!;
      if (record === 0) return -1;
      if (cells[record] === hash && cells[record + 1] === size && matchesWords(cells, record + 3, guest, ptr, size)) return cells[record + 2]!;
    }
  }
}

/** Prepared names shared by every map of the host. */
const interned = new BoundedMemo(4096, (lowercaseName) => new GuestHeaderName(lowercaseName));

/** The prepared form of a lowercase (byte-string) header name. */
export function guestHeaderName(lowercaseName: string): GuestHeaderName {
  return interned.get(lowercaseName);
}
