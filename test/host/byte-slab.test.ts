import { describe, expect, it } from "vitest";
import { copyOutOf } from "../../src/host/byte-slab.js";

describe("copyOutOf", () => {
  it("returns bytes that no later write to the source changes", () => {
    const source = new Uint8Array(256).map((_, i) => i);
    const copy = copyOutOf(source, 10, 250);
    source.fill(0);
    expect(Array.from(copy)).toEqual(Array.from({ length: 240 }, (_, i) => i + 10));
  });

  it("keeps every copy intact across many slabs", () => {
    const source = new Uint8Array(3000);
    const copies: [number, Uint8Array][] = [];
    for (let n = 0; n < 200; n++) {
      source.fill(n & 0xff);
      const size = 33 + ((n * 997) % 2900);
      copies.push([n & 0xff, copyOutOf(source, 0, size)]);
    }
    for (const [fill, copy] of copies) expect(copy.every((b) => b === fill)).toBe(true);
  });

  it("gives copies that do not overlap each other", () => {
    const a = copyOutOf(new Uint8Array(40).fill(1), 0, 40);
    const b = copyOutOf(new Uint8Array(40).fill(2), 0, 40);
    a.fill(9);
    expect(b.every((x) => x === 2)).toBe(true);
  });

  it("copies large values into their own memory", () => {
    const source = new Uint8Array(100_000).fill(7);
    const copy = copyOutOf(source, 5, 99_995);
    expect(copy.length).toBe(99_990);
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(99_990);
  });

  it("handles an empty range", () => {
    expect(copyOutOf(new Uint8Array(8), 4, 4).length).toBe(0);
  });
});

describe("copyOutOf with a word view of the source", () => {
  it("copies aligned and unaligned ranges of every small size exactly", () => {
    const memory = new ArrayBuffer(512);
    const bytes = new Uint8Array(memory);
    bytes.forEach((_, i) => { bytes[i] = (i * 7 + 3) & 0xff; });
    const words = new Uint32Array(memory);
    for (const start of [0, 4, 8, 1, 2, 3]) {
      for (let size = 0; size <= 80; size++) {
        const copy = copyOutOf(bytes, start, start + size, words);
        expect(Array.from(copy), `start ${start} size ${size}`).toEqual(Array.from(bytes.subarray(start, start + size)));
      }
    }
  });
});
