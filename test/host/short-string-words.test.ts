import { describe, expect, it } from "vitest";
import { LONGEST_REMEMBERED, packedString, writePackedString } from "../../src/host/short-string-words.js";
import { seededRandom } from "../support/seeded-random.js";

function byteString(size: number, seed: number): string {
  return String.fromCharCode(...Array.from({ length: size }, (_, i) => (i * 53 + seed * 7 + 1) & 0xff));
}

describe("short byte strings written from remembered words", () => {
  it("writes every size at every alignment exactly, and nothing outside the string", () => {
    for (let size = 0; size <= LONGEST_REMEMBERED; size++) {
      for (let offset = 0; offset < 4; offset++) {
        const value = byteString(size, offset);
        const bytes = new Uint8Array(64).fill(0xee);
        const at = 8 + offset;
        writePackedString(new DataView(bytes.buffer), bytes, packedString(value), size, at);
        expect(Buffer.from(bytes.subarray(at, at + size)).toString("latin1"), `size ${size} at ${at}`).toBe(value);
        expect(bytes.subarray(0, at).every((b) => b === 0xee), `before, size ${size} at ${at}`).toBe(true);
        expect(bytes.subarray(at + size).every((b) => b === 0xee), `after, size ${size} at ${at}`).toBe(true);
      }
    }
  });

  it("stays right for many different strings, past the point where the cache starts over", () => {
    const random = seededRandom(0x5157);
    const bytes = new Uint8Array(32);
    const view = new DataView(bytes.buffer);
    for (let n = 0; n < 10_000; n++) {
      const size = Math.floor(random() * (LONGEST_REMEMBERED + 1));
      const value = String.fromCharCode(...Array.from({ length: size }, () => Math.floor(random() * 256)));
      writePackedString(view, bytes, packedString(value), size, 3);
      expect(Buffer.from(bytes.subarray(3, 3 + size)).toString("latin1")).toBe(value);
    }
  });

  it("gives the same words for the same string", () => {
    expect(packedString(":authority")).toBe(packedString(":authority"));
  });
});
