/**
 * The views over one guest memory buffer that in-place reads use, built
 * together and replaced together when `memory.grow` detaches the buffer.
 * Code that compares guest bytes reads whole words through `words` when the
 * address is 4-byte aligned (Wasm is little-endian, as are the hosts Node runs
 * on) and falls back to `view` otherwise.
 */
export class GuestViews {
  readonly bytes: Uint8Array;
  /** Every whole 32-bit word of the buffer, signed so that reads stay small integers in V8. */
  readonly words: Int32Array;
  readonly view: DataView;
  /**
   * The buffer's size in bytes, as a plain field: a typed array's `length`
   * checks whether its buffer was detached, which made each read several
   * dependent loads and a header get ~10% slower with five of them.
   */
  readonly size: number;

  constructor(buffer: ArrayBuffer) {
    this.size = buffer.byteLength;
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    this.view = new DataView(buffer);
  }
}
