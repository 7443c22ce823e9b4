/**
 * Property paths a module asks for, already split into segments.
 *
 * Modules ask for the same few paths on every request (`xds\0node\0metadata\0...`,
 * `request\0url_path`), usually from static data. Building a JS string from guest
 * bytes and splitting it at NULs costs ~600 ns per call on the CI machines; a hit
 * here costs one hash and a byte compare. The cache is bounded: paths a module
 * builds dynamically stop being remembered once it is full.
 */
const SLOTS = 256;
const MAX_ENTRIES = 1024;

interface Entry {
  readonly bytes: Uint8Array;
  readonly parts: readonly string[];
}

export class PropertyPathCache {
  private readonly slots: (Entry[] | undefined)[] = new Array(SLOTS);
  private entries = 0;

  private static slot(memory: Uint8Array, ptr: number, size: number): number {
    return size === 0 ? 0 : (size * 31 + memory[ptr]! * 7 + memory[ptr + size - 1]! + memory[ptr + (size >>> 1)]!) & (SLOTS - 1);
  }

  /** The segments of the path in guest bytes [ptr, ptr+size), if seen before. */
  find(memory: Uint8Array, ptr: number, size: number): readonly string[] | undefined {
    const chain = this.slots[PropertyPathCache.slot(memory, ptr, size)];
    if (chain === undefined) return undefined;
    outer: for (const entry of chain) {
      const bytes = entry.bytes;
      if (bytes.length !== size) continue;
      for (let i = 0; i < size; i++) if (memory[ptr + i] !== bytes[i]) continue outer;
      return entry.parts;
    }
    return undefined;
  }

  remember(memory: Uint8Array, ptr: number, size: number, parts: readonly string[]): void {
    if (this.entries >= MAX_ENTRIES) return;
    const slot = PropertyPathCache.slot(memory, ptr, size);
    (this.slots[slot] ??= []).push({ bytes: memory.slice(ptr, ptr + size), parts });
    this.entries++;
  }
}
