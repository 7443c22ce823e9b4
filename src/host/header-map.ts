/**
 * A header map with Envoy's semantics (envoy source/extensions/common/wasm/context.cc,
 * `Context::*HeaderMap*`): names are lowercased (ASCII) on every operation, `first`
 * returns only the first value of a repeated header, `add` appends, `replace`
 * removes every entry and adds one (`setCopy`), order is preserved.
 *
 * Names and values are byte strings (byte-strings.ts). Entries live in two
 * parallel arrays so that a lookup from guest memory compares bytes in place.
 */
import { asciiLowercase, byteStringFromText, textFromByteString } from "./byte-strings.js";
import { GuestNameTable } from "./guest-header-name.js";
import { headerNameFromText } from "./header-name-text.js";
import type { GuestViews } from "./guest-views.js";
import { WordAlignedBytes } from "./word-aligned-bytes.js";

/** What the public API accepts for a header map (UTF-8 text). */
export type HeadersInput = Record<string, string | string[]> | readonly (readonly [string, string])[];

/** Guest lookups a map answers by scanning before it builds its GuestNameTable. */
const SCANS_BEFORE_TABLE = 12;

/** Marks a value read once and not yet turned into bytes (repeatedValueBytes). */
const READ_ONCE = WordAlignedBytes.fromByteString("");

export class HeaderMap {
  private names: string[] = [];
  private values: string[] = [];
  /**
   * Lookup table for guest lookups (guest-header-name.ts), built once a map
   * has seen a few lookups and dropped on every change: preparing a map's
   * names costs about as much as ten scans, and most filters look up only a
   * handful of headers per map.
   */
  private guestNames: GuestNameTable | undefined;
  private scansSinceChange = 0;
  /** Values as bytes, filled lazily for guest writes and dropped on every change. */
  private valueBytes: (WordAlignedBytes | undefined)[] = [];

  /** Builds a map from public API input; names are lowercased. */
  static fromInput(input: HeadersInput | undefined): HeaderMap {
    const map = new HeaderMap();
    if (!input) return map;
    // Called once per stream callback: plain loops, no intermediate entry list.
    if (Array.isArray(input)) {
      const list = input as readonly (readonly [string, string])[];
      for (let i = 0; i < list.length; i++) map.pushEntry(list[i]![0], list[i]![1]);
      return map;
    }
    const record = input as Record<string, string | string[]>;
    for (const name in record) {
      const value = record[name]!;
      if (Array.isArray(value)) for (const one of value) map.pushEntry(name, one);
      else map.pushEntry(name, value);
    }
    return map;
  }

  private pushEntry(name: string, value: string): void {
    this.names.push(headerNameFromText(name));
    this.values.push(byteStringFromText(value));
  }

  /**
   * A copy with `leading` entries (names already lowercase) first, then every
   * entry whose name `keep` accepts, in order; nothing is lowercased again.
   */
  withLeading(leading: readonly (readonly [string, string])[], keep: (name: string) => boolean): HeaderMap {
    const out = new HeaderMap();
    for (const [name, value] of leading) {
      out.names.push(name);
      out.values.push(value);
    }
    for (let i = 0; i < this.names.length; i++) {
      if (!keep(this.names[i]!)) continue;
      out.names.push(this.names[i]!);
      out.values.push(this.values[i]!);
    }
    return out;
  }

  /** Builds a map from byte-string pairs. */
  static fromPairs(pairs: readonly (readonly [string, string])[]): HeaderMap {
    const map = new HeaderMap();
    for (const [k, v] of pairs) map.add(k, v);
    return map;
  }

  get size(): number {
    return this.names.length;
  }

  /** Envoy's `HeaderMap::byteSize()`: the sum of name and value lengths. */
  byteSize(): number {
    let total = 0;
    for (let i = 0; i < this.names.length; i++) total += this.names[i]!.length + this.values[i]!.length;
    return total;
  }

  /** First value of `name`, or undefined. */
  first(name: string): string | undefined {
    return this.firstOfLowercase(asciiLowercase(name));
  }

  /** `first` for a name known to be lowercase already (the host's own literals): no lowercasing pass. */
  firstOfLowercase(lowercaseName: string): string | undefined {
    const i = this.names.indexOf(lowercaseName);
    return i < 0 ? undefined : this.values[i];
  }

  /** Every value of `name`, in order. */
  all(name: string): string[] {
    const key = asciiLowercase(name);
    const out: string[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.names[i] === key) out.push(this.values[i]!);
    return out;
  }

  has(name: string): boolean {
    return this.names.indexOf(asciiLowercase(name)) >= 0;
  }

  add(name: string, value: string): void {
    this.invalidate();
    this.names.push(asciiLowercase(name));
    this.values.push(value);
  }

  replace(name: string, value: string): void {
    const key = asciiLowercase(name);
    this.removeLowercased(key);
    this.invalidate();
    this.names.push(key);
    this.values.push(value);
  }

  remove(name: string): void {
    this.removeLowercased(asciiLowercase(name));
  }

  /** Removes every entry named like entry `index` (`remove` for a name found with indexOfGuestName). */
  removeNameOf(index: number): void {
    this.removeLowercased(this.names[index]!);
  }

  /** Puts `name: value` in front (used for `:status` and request pseudo-headers). */
  prepend(name: string, value: string): void {
    this.invalidate();
    this.names.unshift(asciiLowercase(name));
    this.values.unshift(value);
  }

  private removeLowercased(key: string): void {
    this.invalidate();
    let write = 0;
    for (let read = 0; read < this.names.length; read++) {
      if (this.names[read] === key) continue;
      this.names[write] = this.names[read]!;
      this.values[write] = this.values[read]!;
      write++;
    }
    // Shrinking with pop() stays in optimized code; assigning `length` calls into the runtime (~100 ns here).
    while (this.names.length > write) {
      this.names.pop();
      this.values.pop();
    }
  }

  /** Replaces every entry (Envoy `setHeaderMapPairs`: remove all, then add each). */
  setPairs(pairs: readonly (readonly [string, string])[]): void {
    this.invalidate();
    this.names = [];
    this.values = [];
    for (const [k, v] of pairs) this.add(k, v);
  }

  /** Entries as byte-string pairs, in order. */
  pairs(): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 0; i < this.names.length; i++) out.push([this.names[i]!, this.values[i]!]);
    return out;
  }

  /** Names of the entries, in order (byte strings); read-only view for serializing. */
  get entryNames(): readonly string[] {
    return this.names;
  }

  /** Values of the entries, in order (byte strings); read-only view for serializing. */
  get entryValues(): readonly string[] {
    return this.values;
  }

  /** Entries as UTF-8 text pairs (public API). */
  textPairs(): [string, string][] {
    return this.pairs().map(([k, v]) => [textFromByteString(k), textFromByteString(v)]);
  }

  /**
   * Index of the first entry whose name equals guest bytes [ptr, ptr+size),
   * compared ASCII-case-insensitively, without building a string; -1 if none.
   * The caller checked that the range lies inside the guest memory.
   */
  indexOfGuestName(guest: GuestViews, ptr: number, size: number): number {
    // Inlined into the header host functions: the table lookup is the common case, the rest is out of line
    // (see GuestMemory.copyCachedBytesToPointerSize).
    if (this.guestNames !== undefined) return this.guestNames.find(guest, ptr, size);
    return this.scanForGuestName(guest, ptr, size);
  }

  private scanForGuestName(guest: GuestViews, ptr: number, size: number): number {
    if (++this.scansSinceChange > SCANS_BEFORE_TABLE) return (this.guestNames = new GuestNameTable(this.names)).find(guest, ptr, size);
    const bytes = guest.bytes;
    const names = this.names;
    outer: for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name.length !== size) continue;
      for (let j = 0; j < size; j++) {
        let c = bytes[ptr + j]!;
        if (c >= 65 && c <= 90) c += 32;
        if (c !== name.charCodeAt(j)) continue outer;
      }
      return i;
    }
    return -1;
  }

  private invalidate(): void {
    this.guestNames = undefined;
    this.scansSinceChange = 0;
    if (this.valueBytes.length) this.valueBytes = [];
  }

  /**
   * The value of entry `index` as bytes when it has been read before (cached
   * until the map changes); undefined on the first read, when writing the
   * string straight into guest memory is cheaper than building bytes that may
   * never be used again (Buffer.from costs ~300 ns, a copy from cached bytes
   * ~20-40 ns).
   */
  repeatedValueBytes(index: number): WordAlignedBytes | undefined {
    const bytes = this.valueBytes[index];
    return bytes !== undefined && bytes !== READ_ONCE ? bytes : this.valueBytesOnRead(index);
  }

  private valueBytesOnRead(index: number): WordAlignedBytes | undefined {
    if (this.valueBytes[index] === undefined) {
      this.valueBytes[index] = READ_ONCE;
      return undefined;
    }
    const made = WordAlignedBytes.fromByteString(this.values[index]!);
    this.valueBytes[index] = made;
    return made;
  }

  valueAt(index: number): string {
    return this.values[index]!;
  }

  clone(): HeaderMap {
    const copy = new HeaderMap();
    copy.names = this.names.slice();
    copy.values = this.values.slice();
    return copy;
  }
}
