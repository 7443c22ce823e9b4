/**
 * Memory the host writes results into (`proxy_on_memory_allocate`).
 *
 * The SDK copies every block the host hands over into a managed object and
 * releases it straight away (memory.ts), so at most a few blocks are ever
 * outstanding. They come from a static bump arena that rewinds whenever none
 * is outstanding: a header lookup then costs no allocator work at all, where a
 * TLSF alloc + free round trip costs ~75 ns per host call in V8 (measured on
 * the 2-core CI machines). Blocks that do not fit (large bodies) come from the
 * heap as before.
 */

const ARENA_SIZE: usize = 16 * 1024;
const ARENA: usize = memory.data(<i32>ARENA_SIZE, 16);

let arenaUsed: usize = 0;
let arenaOutstanding: u32 = 0;

/** Called by the host (through proxy_on_memory_allocate) for a block it will fill. */
export function allocateForHost(size: usize): usize {
  const rounded = (size + 15) & ~<usize>15;
  if (rounded <= ARENA_SIZE - arenaUsed) {
    const pointer = ARENA + arenaUsed;
    arenaUsed += rounded;
    arenaOutstanding++;
    return pointer;
  }
  return heap.alloc(size);
}

/** Gives back a block the host returned, once its content has been copied. */
export function releaseFromHost(pointer: usize): void {
  if (pointer >= ARENA && pointer < ARENA + ARENA_SIZE) {
    if (--arenaOutstanding == 0) arenaUsed = 0;
  } else {
    heap.free(pointer);
  }
}
