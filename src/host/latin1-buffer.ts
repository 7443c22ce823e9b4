/**
 * Byte strings (byte-strings.ts) in and out of guest memory through Buffer's
 * latin1 binding, called directly. `buf.write(text, offset, length, "latin1")`
 * and `buf.toString("latin1", start, end)` validate their arguments and pick
 * the encoding in JS before reaching the same binding; on the 2-core CI
 * machines that wrapper cost 50-70 ns of a 140-220 ns call. Every caller here
 * has already checked the range.
 *
 * `latin1Write` / `latin1Slice` are the Buffer prototype methods Node's own
 * `write` / `toString` dispatch to (lib/buffer.js, since Node 6); they are not
 * in Node's typings, so their presence is checked once and the public methods
 * are used where they are missing.
 */

interface Latin1Binding {
  latin1Write(text: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
}

const prototype = Buffer.prototype as unknown as Partial<Latin1Binding>;
const hasBinding = typeof prototype.latin1Write === "function" && typeof prototype.latin1Slice === "function";

/** Writes the byte string `text` (every char code below 256) at `offset`; returns the end offset. */
export const writeLatin1: (buffer: Buffer, text: string, offset: number) => number = hasBinding
  ? (buffer, text, offset) => offset + (buffer as unknown as Latin1Binding).latin1Write(text, offset, text.length)
  : (buffer, text, offset) => offset + buffer.write(text, offset, text.length, "latin1");

/** Bytes [start, end) of `buffer` as a byte string. */
export const readLatin1: (buffer: Buffer, start: number, end: number) => string = hasBinding
  ? (buffer, start, end) => (buffer as unknown as Latin1Binding).latin1Slice(start, end)
  : (buffer, start, end) => buffer.toString("latin1", start, end);
