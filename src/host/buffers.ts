/**
 * A body or data buffer with Envoy's set semantics (envoy
 * source/extensions/common/wasm/context.cc `Buffer::copyFrom`):
 * - start = 0: drop the first `size` bytes, then prepend the data
 *   (size 0 prepends, size = length replaces the whole buffer);
 * - start >= length: append;
 * - anything else: BadArgument.
 * Read-only buffers (configuration, callout responses) reject writes with BadArgument.
 */
import { Status } from "./abi.js";

/**
 * The bytes of every empty buffer: writes replace `bytes` and never change an
 * array in place, so one zero-length array serves them all (a typed array
 * costs ~100 ns to create here, and every stream starts with two empty bodies).
 */
const NO_BYTES = new Uint8Array(0);

export class BodyBuffer {
  constructor(public bytes: Uint8Array = NO_BYTES, readonly readOnly = false) {}

  get length(): number {
    return this.bytes.length;
  }

  /**
   * The bytes a get_buffer_bytes(start, maxSize) returns (cpp-host exports.cc
   * `get_buffer_bytes`: the length is clamped so it does not overread).
   */
  slice(start: number, maxSize: number): Uint8Array {
    if (start >= this.bytes.length) return new Uint8Array(0);
    const end = Math.min(this.bytes.length, start + maxSize);
    return this.bytes.subarray(start, end);
  }

  copyFrom(start: number, size: number, data: Uint8Array): Status {
    if (this.readOnly) return Status.BadArgument;
    const current = this.bytes;
    if (start === 0) {
      const kept = current.subarray(Math.min(size, current.length));
      this.bytes = concatBytes(data, kept);
      return Status.Ok;
    }
    if (start >= current.length) {
      this.bytes = concatBytes(current, data);
      return Status.Ok;
    }
    return Status.BadArgument;
  }
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
