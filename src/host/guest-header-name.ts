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
 * on every operation), four bytes per step.
 *
 * A map finds its candidate through a small hash table (GuestNameTable) keyed
 * by the name's size and its first and last words with every byte OR-ed with
 * 0x20, which a name and any case variant of it share. On the 2-core CI
 * machines a loop step costs ~2.5 ns, so scanning 10 entries alone cost ~30 ns;
 * the table makes a lookup two word reads, one probe and one compare.
 */

/** A lowercase header name in the form guest bytes are compared against. */
export class GuestHeaderName {
  readonly size: number;
  /** Full 32-bit words of the name, little-endian. */
  readonly words: Int32Array;
  /** Per word: 0x20 in every byte that is a lowercase ASCII letter. */
  readonly masks: Int32Array;
  /** The bytes after the last full word. */
  readonly tail: Uint8Array;
  /** Hash of the name and of every case variant of it (see hashGuestName). */
  readonly hash: number;

  constructor(name: string) {
    this.size = name.length;
    const wordCount = name.length >>> 2;
    this.words = new Int32Array(wordCount);
    this.masks = new Int32Array(wordCount);
    for (let w = 0; w < wordCount; w++) {
      let word = 0;
      let mask = 0;
      for (let b = 0; b < 4; b++) {
        const c = name.charCodeAt(w * 4 + b);
        word |= c << (8 * b);
        if (c >= 97 && c <= 122) mask |= 0x20 << (8 * b);
      }
      this.words[w] = word;
      this.masks[w] = mask;
    }
    this.tail = new Uint8Array(name.length - wordCount * 4);
    for (let i = 0; i < this.tail.length; i++) this.tail[i] = name.charCodeAt(wordCount * 4 + i);
    this.hash = hashGuestName(name.length, packFirst(name), packLast(name));
  }

  /**
   * True if guest bytes [ptr, ptr+size) spell this name, ASCII case-insensitively.
   * The caller has checked that the range lies inside memory.
   */
  matches(view: DataView, bytes: Uint8Array, ptr: number, size: number): boolean {
    if (size !== this.size) return false;
    const words = this.words;
    const masks = this.masks;
    const wordCount = words.length;
    for (let w = 0; w < wordCount; w++) {
      if ((view.getInt32(ptr + 4 * w, true) | masks[w]!) !== words[w]) return false;
    }
    const tail = this.tail;
    const tailStart = ptr + 4 * wordCount;
    for (let i = 0; i < tail.length; i++) {
      let c = bytes[tailStart + i]!;
      if (c >= 65 && c <= 90) c += 32;
      if (c !== tail[i]) return false;
    }
    return true;
  }
}

const FOLD = 0x20202020;

function packFirst(name: string): number {
  let word = 0;
  for (let b = 0; b < 4 && b < name.length; b++) word |= name.charCodeAt(b) << (8 * b);
  return word;
}

function packLast(name: string): number {
  if (name.length < 4) return packFirst(name);
  let word = 0;
  for (let b = 0; b < 4; b++) word |= name.charCodeAt(name.length - 4 + b) << (8 * b);
  return word;
}

/** Hash over the size and the first and last (overlapping) words, case-folded by OR-ing 0x20 into every byte. */
function hashGuestName(size: number, first: number, last: number): number {
  return Math.imul((first | FOLD) ^ Math.imul(last | FOLD, 0x9e3779b1) ^ size, 0x85ebca6b) >>> 0;
}

/** The hash of guest bytes [ptr, ptr+size) (range checked by the caller), equal to the hash of the name they spell. */
export function hashGuestBytes(view: DataView, bytes: Uint8Array, ptr: number, size: number): number {
  if (size >= 4) return hashGuestName(size, view.getInt32(ptr, true), view.getInt32(ptr + size - 4, true));
  let word = 0;
  for (let b = 0; b < size; b++) word |= bytes[ptr + b]! << (8 * b);
  return hashGuestName(size, word, word);
}

/**
 * Open-addressing table from name hash to the first entry of a map with that
 * name; built for one version of a map's names.
 */
export class GuestNameTable {
  /** Entry index + 1 per slot; 0 is empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly names: GuestHeaderName[];

  constructor(lowercaseNames: readonly string[]) {
    let capacity = 16;
    while (capacity < lowercaseNames.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.names = new Array<GuestHeaderName>(lowercaseNames.length);
    for (let i = 0; i < lowercaseNames.length; i++) {
      const name = guestHeaderName(lowercaseNames[i]!);
      this.names[i] = name;
      let slot = name.hash & this.mask;
      // A repeated name keeps its first entry: Envoy's `get` returns the first value.
      while (this.slots[slot] !== 0 && this.names[this.slots[slot]! - 1] !== name) slot = (slot + 1) & this.mask;
      if (this.slots[slot] === 0) this.slots[slot] = i + 1;
    }
  }

  /** Index of the first entry named like guest bytes [ptr, ptr+size) (ASCII case-insensitive), or -1. */
  find(view: DataView, bytes: Uint8Array, ptr: number, size: number): number {
    const hash = hashGuestBytes(view, bytes, ptr, size);
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      const name = this.names[entry - 1]!;
      if (name.hash === hash && name.matches(view, bytes, ptr, size)) return entry - 1;
    }
  }
}

/**
 * Prepared names shared by every map of the host. Bounded, because clients
 * choose header names: when full it starts over, which costs only re-preparing.
 */
const INTERNED_LIMIT = 4096;
const interned = new Map<string, GuestHeaderName>();

/** The prepared form of a lowercase (byte-string) header name. */
export function guestHeaderName(lowercaseName: string): GuestHeaderName {
  let prepared = interned.get(lowercaseName);
  if (prepared === undefined) {
    if (interned.size >= INTERNED_LIMIT) interned.clear();
    prepared = new GuestHeaderName(lowercaseName);
    interned.set(lowercaseName, prepared);
  }
  return prepared;
}
