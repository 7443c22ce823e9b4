/**
 * Copies of guest bytes the host keeps (filter-state values, bodies handed in
 * pieces, cached header values), carved from shared 64 KB slabs.
 *
 * A copy must outlive the guest memory it came from, so every kept value needs
 * its own bytes. A fresh `Uint8Array(n)` allocates a backing store per copy
 * (~2 us for 200 bytes on the 2-core CI machines) and `Buffer.allocUnsafe`
 * goes through Node's argument checks and the FastBuffer subclass (~0.4 us);
 * a plain view on a slab costs one object (~0.2 us). A slab is released by
 * the garbage collector once no view of it is left, as Node's Buffer pool is.
 */
const SLAB_SIZE = 64 * 1024;
/** Copies above this size get their own store: one long-lived value must not pin a whole slab. */
const LARGEST_SLAB_COPY = 4 * 1024;

/** Up to this size an aligned copy moves words in a loop: cheaper than creating a source view for `set`. */
const LARGEST_WORD_LOOP_COPY = 64;

let slab = new ArrayBuffer(SLAB_SIZE);
let slabBytes = new Uint8Array(slab);
let slabWords = new Uint32Array(slab);
let used = 0;

/**
 * A copy of `source[start, end)` that shares no memory with `source`.
 * `sourceWords`, when given, must view the same memory as `source`, from the same start.
 */
export function copyOutOf(source: Uint8Array, start: number, end: number, sourceWords?: Uint32Array): Uint8Array {
  const size = end - start;
  if (size > LARGEST_SLAB_COPY) return source.slice(start, end);
  if (used + size > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabBytes = new Uint8Array(slab);
    slabWords = new Uint32Array(slab);
    used = 0;
  }
  const offset = used;
  // Eight-byte steps keep every copy word-aligned.
  used = (used + size + 7) & ~7;
  if (sourceWords !== undefined && size <= LARGEST_WORD_LOOP_COPY && (start & 3) === 0) {
    const words = size >>> 2;
    const from = start >>> 2;
    const to = offset >>> 2;
    for (let w = 0; w < words; w++) slabWords[to + w] = sourceWords[from + w]!;
    for (let i = words << 2; i < size; i++) slabBytes[offset + i] = source[start + i]!;
  } else {
    slabBytes.set(source.subarray(start, end), offset);
  }
  return new Uint8Array(slab, offset, size);
}
