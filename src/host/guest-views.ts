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

  constructor(buffer: ArrayBuffer) {
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    this.view = new DataView(buffer);
  }
}
