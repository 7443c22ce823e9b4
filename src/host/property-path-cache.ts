/**
 * What the host derived from a property path a module passed as bytes — the
 * path split into segments for proxy_get_property, the filter-state key for
 * proxy_set_property — remembered by the path's bytes.
 *
 * Modules ask for the same few paths on every request (`xds\0node\0metadata\0...`,
 * `request\0url_path`), usually from static data. Building a JS string from guest
 * bytes and splitting it at NULs costs ~600 ns per call on the CI machines; a hit
 * here costs one hash and a compare. The cache is bounded: paths a module
 * builds dynamically stop being remembered once it is full.
 *
 * The compare goes four bytes at a time when the path is 4-byte aligned (AssemblyScript
 * and C allocators align buffers; guestBytesEqual).
 */
import { guestBytesEqual, type GuestViews } from "./guest-views.js";

const SLOTS = 256;
const MAX_ENTRIES = 1024;

class Entry<T> {
  /** The path's length; a plain field, as typed-array lengths are slower to read here. */
  readonly size: number;
  /** The first `size >>> 2` four-byte words of the path, in host byte order. */
  readonly words: Int32Array;
  readonly wordCount: number;

  constructor(readonly bytes: Uint8Array, readonly value: T) {
    this.size = bytes.length;
    this.wordCount = this.size >>> 2;
    this.words = new Int32Array(bytes.buffer, bytes.byteOffset, this.wordCount);
  }
}

export class PropertyPathCache<T = readonly string[]> {
  private readonly slots: (Entry<T>[] | undefined)[] = new Array(SLOTS);
  private entries = 0;

  private static slot(memory: Uint8Array, ptr: number, size: number): number {
    return size === 0 ? 0 : (size * 31 + memory[ptr]! * 7 + memory[ptr + size - 1]! + memory[ptr + (size >>> 1)]!) & (SLOTS - 1);
  }

  /** What was remembered for the path in guest bytes [ptr, ptr+size) (range checked by the caller), if seen before. */
  find(guest: GuestViews, ptr: number, size: number): T | undefined {
    const chain = this.slots[PropertyPathCache.slot(guest.bytes, ptr, size)];
    if (chain === undefined) return undefined;
    for (let c = 0; c < chain.length; c++) {
      const entry = chain[c]!;
      if (entry.size === size && guestBytesEqual(guest, ptr, size, entry.bytes, entry.words)) return entry.value;
    }
    return undefined;
  }

  remember(guest: GuestViews, ptr: number, size: number, value: T): void {
    if (this.entries >= MAX_ENTRIES) return;
    const slot = PropertyPathCache.slot(guest.bytes, ptr, size);
    // slice() copies into a buffer of its own, which starts on a word.
    (this.slots[slot] ??= []).push(new Entry(guest.bytes.slice(ptr, ptr + size), value));
    this.entries++;
  }
}
