/**
 * Header maps at the byte level, for per-request hot paths: the serialized
 * pairs are read where the host wrote them (the handoff arena, see
 * host-handoff.ts) instead of being copied and decoded into strings, and
 * names and values are passed to the host straight from module memory.
 * Nothing here allocates on the managed heap.
 */
import * as abi from "./abi";
import { MapType, Status } from "./abi";
import { RETURN_POINTER, RETURN_SIZE, resetReturnSlots } from "./memory";
import { releaseFromHost } from "./host-handoff";

/**
 * One map's pairs as the host serialized them (spec "Serialization of maps":
 * a u32 count, a u32 name size and a u32 value size per pair, then each name
 * and value followed by a NUL), walked entry by entry. The block is borrowed:
 * it stays valid until {@link release}, so the module must release it before
 * the callback returns and must not keep pointers into it.
 */
export class BorrowedHeaderPairs {
  private block: usize = 0;
  private blockSize: usize = 0;
  private count: usize = 0;
  private index: usize = 0;
  private sizes: usize = 0;
  private data: usize = 0;

  /** Name of the current entry (after {@link next} returned true). */
  namePointer: usize = 0;
  nameLength: usize = 0;
  /** Value of the current entry. */
  valuePointer: usize = 0;
  valueLength: usize = 0;

  /** Borrows the pairs of `map`, releasing any previous borrow; false when the host has no such map. */
  borrow(map: MapType): bool {
    this.release();
    resetReturnSlots();
    if (abi.proxy_get_header_map_pairs(map, RETURN_POINTER, RETURN_SIZE) != Status.Ok) return false;
    this.block = load<usize>(RETURN_POINTER);
    this.blockSize = this.block == 0 ? 0 : load<usize>(RETURN_SIZE);
    this.count = 0;
    // An empty map comes back as an empty block; a truncated header counts as no entries, as decodePairs does.
    if (this.blockSize >= 4) {
      const count = <usize>load<u32>(this.block);
      if (<u64>4 + <u64>8 * <u64>count <= <u64>this.blockSize) this.count = count;
    }
    this.rewind();
    return true;
  }

  /** Starts the walk over from the first entry. */
  rewind(): void {
    this.index = 0;
    this.sizes = this.block + 4;
    this.data = this.block + 4 + 8 * this.count;
    this.namePointer = this.nameLength = this.valuePointer = this.valueLength = 0;
  }

  /** Moves to the next entry; false past the last one (or at a truncated entry). */
  next(): bool {
    if (this.index >= this.count) return false;
    const nameLength = <usize>load<u32>(this.sizes);
    const valueLength = <usize>load<u32>(this.sizes, 4);
    const end = this.block + this.blockSize;
    if (<u64>this.data + <u64>nameLength + <u64>valueLength + 2 > <u64>end) {
      this.index = this.count;
      return false;
    }
    this.namePointer = this.data;
    this.nameLength = nameLength;
    this.valuePointer = this.data + nameLength + 1;
    this.valueLength = valueLength;
    this.data += nameLength + valueLength + 2;
    this.sizes += 8;
    this.index++;
    return true;
  }

  /** Gives the block back; pointers into it are invalid afterwards. */
  release(): void {
    if (this.block != 0) releaseFromHost(this.block);
    this.block = 0;
    this.blockSize = 0;
    this.count = 0;
    this.rewind();
  }
}

/** proxy_remove_header_map_value with a name already in module memory. */
export function removeHeaderBytes(map: MapType, name: usize, nameLength: usize): Status {
  return <Status>abi.proxy_remove_header_map_value(map, name, nameLength);
}

/** proxy_replace_header_map_value with a name and value already in module memory. */
export function replaceHeaderBytes(map: MapType, name: usize, nameLength: usize, value: usize, valueLength: usize): Status {
  return <Status>abi.proxy_replace_header_map_value(map, name, nameLength, value, valueLength);
}
