/**
 * Access to a module's linear memory: bounds-checked reads, writes into
 * guest-allocated memory (`proxy_on_memory_allocate`, or `malloc`), and the
 * proxy-wasm serialized map format.
 *
 * The hot path (a header lookup) must not allocate, so views over the memory
 * are cached and rebuilt only when `memory.grow` detached the old buffer.
 */

import { copyOutOf } from "./byte-slab.js";
import { GuestViews } from "./guest-views.js";
import { readLatin1, writeLatin1 } from "./latin1-buffer.js";
import { LONGEST_REMEMBERED, packedString, writePackedString } from "./short-string-words.js";
import type { WordAlignedBytes } from "./word-aligned-bytes.js";

/** Thrown when the module's allocator returned 0 or an out-of-range pointer. */
export class GuestAllocationError extends Error {
  constructor(size: number) {
    super(`guest allocation of ${size} bytes failed`);
    this.name = "GuestAllocationError";
  }
}

// Byte strings cross between guest memory and JS through Buffer's latin1 conversions, except the
// shortest. Measured on the 2-core CI machines (Node 20): reading 12 / 40 / 200 bytes costs
// 170 / 270 / 230 ns with `toString("latin1")` and 300 / 680 / 3300 ns with a fromCharCode loop;
// writing them costs 320 / 385 / 170 ns with `write(..., "latin1")` and 210 / 560 / 2400 ns with a
// charCodeAt loop; short ones are written from remembered words (short-string-words.ts).
const SHORT_READ = 4;
const SHORT_WRITE = LONGEST_REMEMBERED;
/** Bytes up to this size are copied into guest memory by a loop rather than TypedArray#set (copyShortBytesToPointerSize). */
const SHORT_COPY = 16;
/** Cached bytes up to this size are written a word at a time (copyCachedBytesToPointerSize). */
const LARGEST_WORD_COPY = 64;

export class GuestMemory {
  /** Cached byte view; length 0 means the buffer was detached by memory.grow. */
  private u8: Uint8Array;
  /** Aligned 32-bit view for return slots (Wasm is little-endian, as are the hosts Node runs on). */
  private u32: Uint32Array;
  private view: DataView;
  private nodeBuffer: Buffer;
  private views: GuestViews;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly allocateInGuest: (size: number) => number,
  ) {
    this.views = new GuestViews(memory.buffer);
    this.u8 = this.views.bytes;
    this.u32 = new Uint32Array(memory.buffer);
    this.view = this.views.view;
    this.nodeBuffer = Buffer.from(memory.buffer);
  }

  /** The current byte view (refreshed after growth). */
  bytes(): Uint8Array {
    // memory.grow detaches the old buffer (length 0). `.length` is inlined by
    // TurboFan; `.byteLength` costs ~35 ns per read in Node 20; comparing `.buffer`
    // objects would cost ~200 ns per call in V8.
    if (this.u8.length === 0) this.refresh();
    return this.u8;
  }

  /** The current views for in-place reads (refreshed after growth). */
  guestViews(): GuestViews {
    if (this.u8.length === 0) this.refresh();
    return this.views;
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    this.views = new GuestViews(buffer);
    this.u8 = this.views.bytes;
    this.u32 = new Uint32Array(buffer);
    this.view = this.views.view;
    this.nodeBuffer = Buffer.from(buffer);
  }

  private fresh(): void {
    if (this.u8.length === 0) this.refresh();
  }

  /** True if [ptr, ptr+size) lies inside memory. */
  inBounds(ptr: number, size: number): boolean {
    this.fresh();
    return ptr >= 0 && size >= 0 && ptr + size <= this.u8.length;
  }

  /**
   * Copy of guest bytes. Caller checks bounds. Below 32 bytes a loop into a
   * fresh array is cheapest; longer copies come from shared slabs (byte-slab.ts).
   */
  readBytes(ptr: number, size: number): Uint8Array {
    this.fresh();
    if (size < 32) {
      const u8 = this.u8;
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = u8[ptr + i]!;
      return out;
    }
    return copyOutOf(this.u8, ptr, ptr + size, this.u32);
  }

  /** Guest bytes as a byte string (see byte-strings.ts). Caller checks bounds. */
  readByteString(ptr: number, size: number): string {
    this.fresh();
    if (size <= SHORT_READ) {
      const u8 = this.u8;
      let s = "";
      for (let i = 0; i < size; i++) s += String.fromCharCode(u8[ptr + i]!);
      return s;
    }
    return readLatin1(this.nodeBuffer, ptr, ptr + size);
  }

  /** Guest bytes decoded as UTF-8 (log messages). Caller checks bounds. */
  readUtf8(ptr: number, size: number): string {
    this.fresh();
    return this.nodeBuffer.toString("utf8", ptr, ptr + size);
  }

  readU32(ptr: number): number {
    this.fresh();
    return this.view.getUint32(ptr, true);
  }

  /** Writes a u32 LE; false if out of bounds (InvalidMemoryAccess). */
  writeU32(ptr: number, value: number): boolean {
    this.fresh();
    if (ptr < 0 || ptr + 4 > this.u8.length) return false;
    this.view.setUint32(ptr, value >>> 0, true);
    return true;
  }

  /** Writes a u64 LE; false if out of bounds. */
  writeU64(ptr: number, value: bigint): boolean {
    this.fresh();
    if (ptr < 0 || ptr + 8 > this.u8.length) return false;
    // setBigUint64 already reduces modulo 2^64 (ToBigUint64).
    this.view.setBigUint64(ptr, value, true);
    return true;
  }

  /** Writes raw bytes at ptr; false if out of bounds. */
  writeBytes(ptr: number, bytes: Uint8Array): boolean {
    this.fresh();
    if (ptr < 0 || ptr + bytes.length > this.u8.length) return false;
    this.u8.set(bytes, ptr);
    return true;
  }

  /** Allocates `size` bytes in the guest; throws GuestAllocationError on failure. */
  allocate(size: number): number {
    // Inlined into the header-get host function (see copyCachedBytesToPointerSize): growth, a null pointer
    // (valid only for 0 bytes) and failures go out of line.
    const ptr = this.allocateInGuest(size) >>> 0;
    if (this.u8.length === 0 || ptr === 0 || ptr + size > this.views.size) return this.checkAllocation(ptr, size);
    return ptr;
  }

  private checkAllocation(ptr: number, size: number): number {
    this.fresh();
    if ((ptr === 0 && size > 0) || ptr + size > this.views.size) throw new GuestAllocationError(size);
    return ptr;
  }

  /**
   * Copies `data` into fresh guest memory and stores its pointer and size at
   * `ptrPtr`/`sizePtr` (cpp-host `WasmBase::copyToPointerSize`). Empty data
   * still gets an allocation, as in cpp-host. False if the return slots are
   * out of bounds.
   */
  copyToPointerSize(data: Uint8Array, ptrPtr: number, sizePtr: number): boolean {
    if (!this.inBounds(ptrPtr, 4) || !this.inBounds(sizePtr, 4)) return false;
    const size = data.length;
    const ptr = this.allocate(size);
    this.u8.set(data, ptr);
    this.view.setUint32(ptrPtr, ptr, true);
    this.view.setUint32(sizePtr, size, true);
    return true;
  }

  /**
   * The header-get hot path: like copyToPointerSize, writing the pointer and
   * size bytewise (into `allocated` when the caller has allocated already).
   * Measured on the 2-core CI machines (36-byte value): a TypedArray.set from
   * cached bytes costs ~48 ns, a charCode loop ~185 ns, Buffer#latin1Write
   * ~130 ns, TextEncoder.encodeInto ~210 ns.
   */
  copyShortBytesToPointerSize(data: Uint8Array, ptrPtr: number, sizePtr: number, allocated?: number): boolean {
    if (this.u8.length === 0) this.refresh();
    const limit = this.u8.length;
    if (ptrPtr + 4 > limit || sizePtr + 4 > limit) return false;
    const size = data.length;
    const ptr = allocated ?? this.allocate(size);
    const u8 = this.u8;
    // TypedArray#set is a builtin call (~48 ns); a property value (8-byte numbers, short strings) is a few stores.
    if (size <= SHORT_COPY) for (let i = 0; i < size; i++) u8[ptr + i] = data[i]!;
    else u8.set(data, ptr);
    this.writeU32Pair(ptrPtr, ptr, sizePtr, size);
    return true;
  }

  /**
   * copyShortBytesToPointerSize of cached bytes: short ones go a word at a
   * time when the guest's block and the return slots are word-aligned
   * (allocators align to 8 or 16). Only the block's `size` bytes are written:
   * the tail comes from the last word.
   *
   * This runs inlined into the header-get host function, so everything rare
   * (long values, unaligned addresses, growth) is a call out of line: TurboFan
   * inlines a bounded amount of bytecode per function, and when this method
   * did not fit, a header get cost ~40 ns more.
   */
  copyCachedBytesToPointerSize(cached: WordAlignedBytes, ptrPtr: number, sizePtr: number): boolean {
    // Allocate, then check the return slots against the memory as the allocation left it (the order of cpp-host's
    // `copyToPointerSize`): one detachment check instead of one before and one after the allocation.
    const size = cached.size;
    const ptr = this.allocate(size);
    const limit = this.views.size;
    if (size > LARGEST_WORD_COPY || ((ptr | ptrPtr | sizePtr) & 3) !== 0 || ptrPtr + 4 > limit || sizePtr + 4 > limit) {
      return this.copyShortBytesToPointerSize(cached.bytes, ptrPtr, sizePtr, ptr);
    }
    const memoryWords = this.u32;
    const words = cached.words;
    const first = ptr >>> 2;
    const fullWords = size >>> 2;
    for (let w = 0; w < fullWords; w++) memoryWords[first + w] = words[w]!;
    if ((size & 3) !== 0) this.writeLastBytes(words[fullWords]!, ptr + (fullWords << 2), size & 3);
    memoryWords[ptrPtr >>> 2] = ptr;
    memoryWords[sizePtr >>> 2] = size;
    return true;
  }

  /** The first `count` (< 4) bytes of a little-endian word at `at`. */
  private writeLastBytes(word: number, at: number, count: number): void {
    const u8 = this.u8;
    for (let b = 0; b < count; b++) u8[at + b] = word >>> (b << 3);
  }

  /**
   * copyToPointerSize of the serialized map format (serializePairs) of
   * names[i]: values[i], written straight into guest memory: filters fetch
   * whole header maps on every request, and building the bytes in JS first
   * costs a second copy and a Uint8Array per call.
   */
  copyPairsToPointerSize(names: readonly string[], values: readonly string[], ptrPtr: number, sizePtr: number): boolean {
    if (!this.inBounds(ptrPtr, 4) || !this.inBounds(sizePtr, 4)) return false;
    const count = names.length;
    let size = 4 + count * 8;
    for (let i = 0; i < count; i++) size += names[i]!.length + values[i]!.length + 2;
    const ptr = this.allocate(size);
    // Allocators hand out aligned blocks; the word view then writes the size table without DataView calls.
    if ((ptr & 3) === 0) {
      const u32 = this.u32;
      let word = ptr >>> 2;
      u32[word++] = count;
      for (let i = 0; i < count; i++) {
        u32[word++] = names[i]!.length;
        u32[word++] = values[i]!.length;
      }
    } else {
      const view = this.view;
      view.setUint32(ptr, count, true);
      for (let i = 0; i < count; i++) {
        view.setUint32(ptr + 4 + i * 8, names[i]!.length, true);
        view.setUint32(ptr + 8 + i * 8, values[i]!.length, true);
      }
    }
    const u8 = this.u8;
    let data = ptr + 4 + count * 8;
    for (let i = 0; i < count; i++) {
      data = this.writeByteStringAt(names[i]!, data);
      u8[data++] = 0;
      data = this.writeByteStringAt(values[i]!, data);
      u8[data++] = 0;
    }
    this.writeU32Pair(ptrPtr, ptr, sizePtr, size);
    return true;
  }

  /** Stores a returned pointer and size (both slots checked in bounds by the caller). */
  private writeU32Pair(ptrPtr: number, ptr: number, sizePtr: number, size: number): void {
    if (((ptrPtr | sizePtr) & 3) === 0) {
      this.u32[ptrPtr >>> 2] = ptr;
      this.u32[sizePtr >>> 2] = size;
    } else {
      this.view.setUint32(ptrPtr, ptr, true);
      this.view.setUint32(sizePtr, size, true);
    }
  }

  /** Writes a byte string at ptr (in bounds, checked by the caller); returns the end. */
  private writeByteStringAt(value: string, ptr: number): number {
    const size = value.length;
    if (size > SHORT_WRITE) return writeLatin1(this.nodeBuffer, value, ptr);
    writePackedString(this.view, this.u8, packedString(value), size, ptr);
    return ptr + size;
  }

  /** Same as copyToPointerSize for a byte string, without an intermediate array. */
  copyByteStringToPointerSize(value: string, ptrPtr: number, sizePtr: number): boolean {
    this.fresh();
    const limit = this.u8.length;
    if (ptrPtr < 0 || ptrPtr + 4 > limit || sizePtr < 0 || sizePtr + 4 > limit) return false;
    const size = value.length;
    const ptr = this.allocate(size);
    this.writeByteStringAt(value, ptr);
    this.writeU32Pair(ptrPtr, ptr, sizePtr, size);
    return true;
  }

  /** Reads a serialized map; undefined if it is malformed (cpp-host `toPairs` gives an empty list). */
  readPairs(ptr: number, size: number): [string, string][] | undefined {
    if (!this.inBounds(ptr, size)) return undefined;
    return parsePairs(this.bytes().subarray(ptr, ptr + size));
  }
}

/**
 * Serialized map format of the spec: u32 count, then count (u32 key size,
 * u32 value size) pairs, then each key and value followed by a NUL byte.
 * Keys and values are byte strings.
 */
export function serializePairs(pairs: readonly (readonly [string, string])[]): Uint8Array {
  let size = 4 + pairs.length * 8;
  for (const [k, v] of pairs) size += k.length + v.length + 2;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length, true);
  let header = 4;
  let data = 4 + pairs.length * 8;
  for (const [k, v] of pairs) {
    view.setUint32(header, k.length, true);
    view.setUint32(header + 4, v.length, true);
    header += 8;
    for (let i = 0; i < k.length; i++) out[data++] = k.charCodeAt(i);
    out[data++] = 0;
    for (let i = 0; i < v.length; i++) out[data++] = v.charCodeAt(i);
    out[data++] = 0;
  }
  return out;
}

/** Parses the serialized map format; undefined if sizes run past the end. Empty input is an empty map. */
export function parsePairs(bytes: Uint8Array): [string, string][] | undefined {
  if (bytes.length < 4) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = view.getUint32(0, true);
  if (4 + count * 8 > bytes.length) return undefined;
  const pairs: [string, string][] = [];
  let data = 4 + count * 8;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < count; i++) {
    const keySize = view.getUint32(4 + i * 8, true);
    const valueSize = view.getUint32(8 + i * 8, true);
    if (data + keySize + valueSize + 2 > bytes.length + 1) return undefined;
    const key = buf.toString("latin1", data, data + keySize);
    data += keySize + 1;
    const value = buf.toString("latin1", data, Math.min(data + valueSize, bytes.length));
    data += valueSize + 1;
    pairs.push([key, value]);
  }
  return pairs;
}
