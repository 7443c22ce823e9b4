/**
 * Moving bytes across the ABI boundary.
 *
 * The host returns data by calling `proxy_on_memory_allocate` and writing the
 * pointer and size into two slots the module passes in. Those slots live in a
 * static region so no allocation is needed per call; the SDK copies what the
 * host handed over into a managed object and releases the raw block at once
 * (host-handoff.ts).
 */

import { releaseFromHost } from "./host-handoff";

// Two pointer-sized slots plus one u64 (times, metric values, integer returns).
const RETURN_SLOTS: usize = memory.data(16);

/** Slot the host writes a returned pointer (or a u32 value) into. */
export const RETURN_POINTER: usize = RETURN_SLOTS;
/** Slot the host writes a returned size into. */
export const RETURN_SIZE: usize = RETURN_SLOTS + 4;
/** 8-byte slot for u64 results. */
export const RETURN_U64: usize = RETURN_SLOTS + 8;

/** Copies the block the host returned into a new ArrayBuffer and frees the block. */
export function takeReturnedBytes(): ArrayBuffer {
  const pointer = load<usize>(RETURN_POINTER);
  const size = load<usize>(RETURN_SIZE);
  if (pointer == 0) return new ArrayBuffer(0);
  const copy = new ArrayBuffer(<i32>size);
  memory.copy(changetype<usize>(copy), pointer, size);
  releaseFromHost(pointer);
  return copy;
}

/** Decodes the block the host returned as UTF-8 and frees the block. */
export function takeReturnedString(): string {
  const pointer = load<usize>(RETURN_POINTER);
  const size = load<usize>(RETURN_SIZE);
  if (pointer == 0) return "";
  const text = String.UTF8.decodeUnsafe(pointer, size);
  releaseFromHost(pointer);
  return text;
}

/** Clears the return slots so a host that returns nothing is seen as returning an empty block. */
export function resetReturnSlots(): void {
  store<usize>(RETURN_POINTER, 0);
  store<usize>(RETURN_SIZE, 0);
}

/** UTF-8 bytes of `text`, without a terminator. */
export function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}
