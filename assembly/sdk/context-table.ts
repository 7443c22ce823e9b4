/**
 * The live contexts of a module, by context id.
 *
 * Hosts hand out context ids from a per-VM counter (Envoy through
 * proxy-wasm-cpp-host's WasmBase::allocContextId in src/wasm.cc, and the Node
 * host alike), so the ids alive at any moment are mostly a window of consecutive
 * integers. The table is therefore direct-mapped on the id's low bits: a
 * power-of-two array where id lives at slot `id & mask`. A lookup is one slot
 * read and one id compare, where `Map<u32, ...>` hashes the key and walks a
 * bucket chain that keeps deleted entries until its next rehash (that was
 * about half of a no-op filter's per-stream cost).
 *
 * An id whose slot is taken (a long-lived context such as the root or a
 * websocket stream, exactly `capacity` ids older) goes to an overflow map,
 * which lookups consult only while it is not empty. When many contexts
 * overflow, the window of live ids has outgrown the array and it doubles;
 * when few contexts remain it halves again. Probing schemes were not used:
 * with consecutive ids they form one long run, and removing its oldest entry
 * means scanning the whole run.
 */
import { Context } from "./context";

// Slot reads and writes go through load/store: -Oz keeps StaticArray's
// accessors as calls, and these run several times per callback. Plain stores
// are enough because the minimal runtime has no write barrier (gc-policy.ts).
// @ts-ignore: decorator
@inline function contextAt(slots: StaticArray<Context | null>, slot: u32): Context | null {
  return changetype<Context | null>(load<usize>(changetype<usize>(slots) + (<usize>slot << alignof<usize>())));
}

// @ts-ignore: decorator
@inline function idAt(ids: StaticArray<u32>, slot: u32): u32 {
  return load<u32>(changetype<usize>(ids) + (<usize>slot << 2));
}

// @ts-ignore: decorator
@inline function storeAt(ids: StaticArray<u32>, slots: StaticArray<Context | null>, slot: u32, id: u32, context: Context | null): void {
  store<u32>(changetype<usize>(ids) + (<usize>slot << 2), id);
  store<usize>(changetype<usize>(slots) + (<usize>slot << alignof<usize>()), changetype<usize>(context));
}

/** Slots of a new table and the smallest it shrinks to. */
const MIN_CAPACITY: i32 = 128;

export class ContextTable {
  private ids: StaticArray<u32> = new StaticArray<u32>(MIN_CAPACITY);
  /** null marks a free slot, so every u32 (0 included) is a valid id. */
  private slots: StaticArray<Context | null> = new StaticArray<Context | null>(MIN_CAPACITY);
  private mask: u32 = <u32>MIN_CAPACITY - 1;
  private inSlots: i32 = 0;
  private overflow: Map<u32, Context> = new Map<u32, Context>();

  /** How many contexts the table holds. */
  get size(): i32 { return this.inSlots + this.overflow.size; }

  /** Length of the direct-mapped array (a power of two). */
  get capacity(): i32 { return this.slots.length; }

  /** How many contexts live outside the direct-mapped array. */
  get overflowSize(): i32 { return this.overflow.size; }

  /** The context stored under `id`, or null. */
  find(id: u32): Context | null {
    const slot = id & this.mask;
    const context = contextAt(this.slots, slot);
    if (context !== null && idAt(this.ids, slot) == id) return context;
    const overflow = this.overflow;
    return overflow.size != 0 && overflow.has(id) ? overflow.get(id) : null;
  }

  /** Stores `context` under `id`, replacing what was there. */
  set(id: u32, context: Context): void {
    const slot = id & this.mask;
    const occupant = contextAt(this.slots, slot);
    const overflow = this.overflow;
    if (occupant === null ? overflow.size == 0 || !overflow.has(id) : idAt(this.ids, slot) == id) {
      if (occupant === null) this.inSlots++;
      storeAt(this.ids, this.slots, slot, id, context);
      return;
    }
    overflow.set(id, context);
    // Grow once an eighth of the array's worth of contexts overflowed, unless
    // the table is mostly empty: then the ids collide by pattern, not number.
    const capacity = this.slots.length;
    if (overflow.size > capacity >> 3 && this.size > capacity >> 2) this.resize(capacity << 1);
  }

  /** Removes the context stored under `id`; false when there was none. */
  delete(id: u32): bool {
    const slot = id & this.mask;
    if (contextAt(this.slots, slot) !== null && idAt(this.ids, slot) == id) {
      storeAt(this.ids, this.slots, slot, 0, null);
      this.inSlots--;
    } else if (this.overflow.size == 0 || !this.overflow.delete(id)) {
      return false;
    }
    // Shrink only far below where growth starts, so a steady load never flips between sizes.
    const capacity = this.slots.length;
    if (capacity > MIN_CAPACITY && this.size < capacity >> 4) this.resize(capacity >> 1);
    return true;
  }

  /** Redistributes the array's contexts; overflowed ones stay where they are (still found there). */
  private resize(capacity: i32): void {
    const oldIds = this.ids;
    const oldSlots = this.slots;
    const ids = new StaticArray<u32>(capacity);
    const slots = new StaticArray<Context | null>(capacity);
    const mask = <u32>capacity - 1;
    let inSlots = 0;
    for (let slot: u32 = 0, n = <u32>oldSlots.length; slot < n; slot++) {
      const context = contextAt(oldSlots, slot);
      if (context === null) continue;
      const id = idAt(oldIds, slot);
      const newSlot = id & mask;
      if (contextAt(slots, newSlot) === null) {
        storeAt(ids, slots, newSlot, id, context);
        inSlots++;
      } else {
        this.overflow.set(id, context);
      }
    }
    this.ids = ids;
    this.slots = slots;
    this.mask = mask;
    this.inSlots = inSlots;
  }
}
