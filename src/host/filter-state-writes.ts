/**
 * What proxy_set_property remembers per property path (by the path's bytes,
 * PropertyPathCache): the filter-state key Envoy would store it under
 * (`wasm.<path>`, properties.ts) and the last value written there.
 *
 * Filters write the same values on every request — the jwt filter replays the
 * principal and claims of a token it has verified before — so when the guest's
 * bytes equal the last value, that array is stored again instead of a fresh
 * copy: comparing 200 bytes a word at a time costs about half of copying them
 * into a new array here, and it took ~10% off a jwt cache hit. Filter-state
 * values are read-only (the host copies them out to guests and never writes
 * them), so streams sharing one array cannot tell.
 */
import { guestBytesEqual, type GuestViews } from "./guest-views.js";
import type { GuestMemory } from "./memory.js";
import { filterStateKey } from "./properties.js";
import { PropertyPathCache } from "./property-path-cache.js";

/** One property path's filter-state key and the last value written under it. */
export class FilterStateWrite {
  value: Uint8Array = new Uint8Array(0);
  /** The words of `value` when it starts on a word, for the compare; else undefined. */
  private words: Int32Array | undefined = undefined;

  constructor(readonly key: string) {}

  /** Makes `value` the bytes at [ptr, ptr+size) of guest memory (range checked by the caller), copying only if they changed. */
  take(memory: GuestMemory, guest: GuestViews, ptr: number, size: number): void {
    if (this.value.length === size && guestBytesEqual(guest, ptr, size, this.value, this.words)) return;
    const value = memory.readBytes(ptr, size);
    this.value = value;
    this.words = (value.byteOffset & 3) === 0 ? new Int32Array(value.buffer, value.byteOffset, size >>> 2) : undefined;
  }
}

/** The FilterStateWrite of every property path a module of one VM has set. */
export class FilterStateWrites {
  private readonly byPath = new PropertyPathCache<FilterStateWrite>();

  /** The write for the path at guest bytes [ptr, ptr+size) (range checked by the caller). */
  forPath(memory: GuestMemory, guest: GuestViews, ptr: number, size: number): FilterStateWrite {
    let write = this.byPath.find(guest, ptr, size);
    if (write === undefined) {
      write = new FilterStateWrite(filterStateKey(memory.readByteString(ptr, size)));
      this.byPath.remember(guest, ptr, size, write);
    }
    return write;
  }
}
