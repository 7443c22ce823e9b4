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
 * by the name's size and its first and last words with every byte OR-ed with
 * 0x20, which a name and any case variant of it share. On the 2-core CI
 * machines a loop step costs ~2.5 ns, so scanning 10 entries alone cost ~30 ns;
 * the table makes a lookup two word reads, one probe and one compare. Its
 * entries live in flat typed arrays and aligned guest bytes are read through
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
   * The name's words in the layout of short-string-words.ts: whole words, then
   * one more holding the last four bytes (or, under four bytes, the bytes in
   * the low end); when the size is a multiple of four that word repeats the
   * last whole word and is never compared.
   */
  readonly packed: Int32Array;
  /** Per word: 0x20 in every byte that is a lowercase ASCII letter. */
  readonly masks: Int32Array;
  /** Hash of the name and of every case variant of it (see hashGuestName). */
  readonly hash: number;

  constructor(name: string) {
    this.size = name.length;
    this.packed = packString(name);
    this.masks = this.packed.map(lowercaseLetterMask);
    this.hash = hashGuestName(name.length, this.packed[0]!, this.packed[this.packed.length - 1]!);
  }

  /**
   * True if guest bytes [ptr, ptr+size) spell this name, ASCII case-insensitively.
   * The caller has checked that the range lies inside memory.
   */
  matches(guest: GuestViews, ptr: number, size: number): boolean {
    return size === this.size && matchesPacked(this.packed, this.masks, 0, guest, ptr, size);
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
 * The compare of the file comment for a name of `size` bytes whose words start at `start` of `packed` and `masks`.
 * It runs inlined into the header-get host function: the unaligned case is a call out of line, as TurboFan inlines
 * a bounded amount of bytecode per function (guest keys are aligned buffers; names inside a serialized map are not).
 */
function matchesPacked(packed: Int32Array, masks: Int32Array, start: number, guest: GuestViews, ptr: number, size: number): boolean {
  if ((ptr & 3) !== 0) return matchesPackedUnaligned(packed, masks, start, guest, ptr, size);
  const words = guest.words;
  const base = ptr >>> 2;
  const full = size >>> 2;
  for (let w = 0; w < full; w++) if ((words[base + w]! | masks[start + w]!) !== packed[start + w]) return false;
  return (size & 3) === 0 || matchesLastWord(packed, masks, start + full, guest, ptr, size);
}

function matchesPackedUnaligned(packed: Int32Array, masks: Int32Array, start: number, guest: GuestViews, ptr: number, size: number): boolean {
  const view = guest.view;
  const full = size >>> 2;
  for (let w = 0; w < full; w++) if ((view.getInt32(ptr + 4 * w, true) | masks[start + w]!) !== packed[start + w]) return false;
  return (size & 3) === 0 || matchesLastWord(packed, masks, start + full, guest, ptr, size);
}

/** The extra word of a size that is not a multiple of four, at index `at` of `packed` and `masks`. */
function matchesLastWord(packed: Int32Array, masks: Int32Array, at: number, guest: GuestViews, ptr: number, size: number): boolean {
  const last = size >= 4 ? guest.view.getInt32(ptr + size - 4, true) : shortWord(guest.bytes, ptr, size);
  return (last | masks[at]!) === packed[at];
}

/** The bytes of a name under four bytes in the low end of a word. */
function shortWord(bytes: Uint8Array, ptr: number, size: number): number {
  let word = 0;
  for (let b = 0; b < size; b++) word |= bytes[ptr + b]! << (8 * b);
  return word;
}

const FOLD = 0x20202020;

/** Hash over the size and the first and last (overlapping) words, case-folded by OR-ing 0x20 into every byte. */
function hashGuestName(size: number, first: number, last: number): number {
  return Math.imul((first | FOLD) ^ Math.imul(last | FOLD, 0x9e3779b1 | 0) ^ size, 0x85ebca6b | 0);
}

/** The hash of guest bytes [ptr, ptr+size) (range checked by the caller), equal to the hash of the name they spell. */
export function hashGuestBytes(guest: GuestViews, ptr: number, size: number): number {
  if (size < 4) return hashShortGuestBytes(guest, ptr, size);
  const view = guest.view;
  const first = (ptr & 3) === 0 ? guest.words[ptr >>> 2]! : view.getInt32(ptr, true);
  return hashGuestName(size, first, view.getInt32(ptr + size - 4, true));
}

function hashShortGuestBytes(guest: GuestViews, ptr: number, size: number): number {
  const word = shortWord(guest.bytes, ptr, size);
  return hashGuestName(size, word, word);
}

/**
 * Open-addressing table from name hash to the first entry of a map with that
 * name; built for one version of a map's names.
 */
export class GuestNameTable {
  /** Entry index + 1 per slot; 0 is empty. */
  private readonly slots: Int32Array;
  private readonly slotMask: number;
  private readonly hashes: Int32Array;
  private readonly sizes: Int32Array;
  /** Where each entry's words start in `packed` and `masks`. */
  private readonly starts: Int32Array;
  private readonly packed: Int32Array;
  private readonly masks: Int32Array;

  constructor(lowercaseNames: readonly string[]) {
    const count = lowercaseNames.length;
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.slotMask = capacity - 1;
    this.hashes = new Int32Array(count);
    this.sizes = new Int32Array(count);
    this.starts = new Int32Array(count);
    const prepared = new Array<GuestHeaderName>(count);
    let wordCount = 0;
    for (let i = 0; i < count; i++) {
      prepared[i] = guestHeaderName(lowercaseNames[i]!);
      wordCount += prepared[i]!.packed.length;
    }
    this.packed = new Int32Array(wordCount);
    this.masks = new Int32Array(wordCount);
    let start = 0;
    for (let i = 0; i < count; i++) {
      const name = prepared[i]!;
      this.hashes[i] = name.hash;
      this.sizes[i] = name.size;
      this.starts[i] = start;
      this.packed.set(name.packed, start);
      this.masks.set(name.masks, start);
      start += name.packed.length;
      let slot = name.hash & this.slotMask;
      // A repeated name keeps its first entry: Envoy's `get` returns the first value.
      while (this.slots[slot] !== 0 && lowercaseNames[this.slots[slot]! - 1] !== lowercaseNames[i]) slot = (slot + 1) & this.slotMask;
      if (this.slots[slot] === 0) this.slots[slot] = i + 1;
    }
  }

  /** Index of the first entry named like guest bytes [ptr, ptr+size) (ASCII case-insensitive), or -1. */
  find(guest: GuestViews, ptr: number, size: number): number {
    // Inlined into the header host functions with what it calls: the hash of an aligned key of four bytes or
    // more is computed here, the rest goes out of line (see GuestMemory.copyCachedBytesToPointerSize).
    if (size < 4 || (ptr & 3) !== 0) return this.findEntry(hashGuestBytes(guest, ptr, size), guest, ptr, size);
    return this.findEntry(hashGuestName(size, guest.words[ptr >>> 2]!, guest.view.getInt32(ptr + size - 4, true)), guest, ptr, size);
  }

  private findEntry(hash: number, guest: GuestViews, ptr: number, size: number): number {
    const slots = this.slots;
    const slotMask = this.slotMask;
    for (let slot = hash & slotMask; ; slot = (slot + 1) & slotMask) {
      const entry = slots[slot]! - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === hash && this.sizes[entry] === size && matchesPacked(this.packed, this.masks, this.starts[entry]!, guest, ptr, size)) return entry;
    }
  }
}

/** Prepared names shared by every map of the host. */
const interned = new BoundedMemo(4096, (lowercaseName) => new GuestHeaderName(lowercaseName));

/** The prepared form of a lowercase (byte-string) header name. */
export function guestHeaderName(lowercaseName: string): GuestHeaderName {
  return interned.get(lowercaseName);
}
