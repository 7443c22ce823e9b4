import { describe, expect, it } from "vitest";
import { readLatin1, writeLatin1 } from "../../src/host/latin1-buffer.js";

const EVERY_BYTE = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

describe("latin1 buffer access", () => {
  it("writes every byte value as itself and returns the end offset", () => {
    const buffer = Buffer.alloc(300, 0xaa);
    expect(writeLatin1(buffer, EVERY_BYTE, 10)).toBe(266);
    expect(Array.from(buffer.subarray(10, 266))).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(buffer[9]).toBe(0xaa);
    expect(buffer[266]).toBe(0xaa);
  });

  it("reads bytes back as the same byte string", () => {
    const buffer = Buffer.alloc(300);
    writeLatin1(buffer, EVERY_BYTE, 3);
    expect(readLatin1(buffer, 3, 259)).toBe(EVERY_BYTE);
    expect(readLatin1(buffer, 5, 5)).toBe("");
  });

  it("works on a Buffer over Wasm memory", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const buffer = Buffer.from(memory.buffer);
    writeLatin1(buffer, "x-request-id", 100);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 100, 12))).toBe("x-request-id");
    expect(readLatin1(buffer, 100, 112)).toBe("x-request-id");
  });
});
