/**
 * Bytes the host hands to guests again and again (a header value read more
 * than once), kept so that a short one is written to guest memory a 32-bit
 * word at a time: on the 2-core CI machines `TypedArray#set` of 36 bytes cost
 * ~49 ns and nine word stores ~22 ns, most of a header get's copy.
 */
import { writeLatin1 } from "./latin1-buffer.js";

const SHORT_STRING = 32;

export class WordAlignedBytes {
  /** The bytes, at the start of a buffer padded to whole words. */
  readonly bytes: Uint8Array;
  /** `bytes.length`, as a plain field for the hot path. */
  readonly size: number;
  /** Every word of that buffer: the last one is zero-padded past the bytes. */
  readonly words: Uint32Array;

  private constructor(size: number) {
    const buffer = new ArrayBuffer((size + 3) & ~3);
    this.bytes = new Uint8Array(buffer, 0, size);
    this.size = size;
    this.words = new Uint32Array(buffer);
  }

  /** The bytes of a byte string (byte-strings.ts). */
  static fromByteString(value: string): WordAlignedBytes {
    const made = new WordAlignedBytes(value.length);
    // A char loop costs a few ns a byte here; past a few dozen bytes one Buffer binding call is cheaper.
    if (value.length > SHORT_STRING) {
      writeLatin1(Buffer.from(made.bytes.buffer, 0, value.length), value, 0);
    } else {
      const bytes = made.bytes;
      for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
    }
    return made;
  }
}
