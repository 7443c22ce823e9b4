import { describe, expect, it } from "vitest";
import { GuestMemory, parsePairs, serializePairs } from "../../src/host/memory.js";
import { WordAlignedBytes } from "../../src/host/word-aligned-bytes.js";

/** A guest memory whose allocator bumps a pointer and grows memory when needed, as a module's would. */
function bumpMemory(initialPages = 1): { memory: GuestMemory; raw: WebAssembly.Memory } {
  const raw = new WebAssembly.Memory({ initial: initialPages, maximum: 64 });
  let next = 1024;
  const allocate = (size: number) => {
    const ptr = next;
    next += (size + 15) & ~15;
    while (next > raw.buffer.byteLength) raw.grow(1);
    return ptr;
  };
  return { memory: new GuestMemory(raw, allocate), raw };
}

describe("GuestMemory.copyPairsToPointerSize", () => {
  it("writes exactly what serializePairs produces, long values included", () => {
    const { memory, raw } = bumpMemory();
    const long = "v".repeat(300) + "\xff";
    const pairs: [string, string][] = [[":path", "/a"], ["x-empty", ""], ["x-long", long], ["x-bytes", "\xe4\x00\x7f"]];
    expect(memory.copyPairsToPointerSize(pairs.map((p) => p[0]), pairs.map((p) => p[1]), 8, 12)).toBe(true);
    const view = new DataView(raw.buffer);
    const ptr = view.getUint32(8, true);
    const size = view.getUint32(12, true);
    const written = new Uint8Array(raw.buffer, ptr, size);
    expect(Buffer.from(written).equals(Buffer.from(serializePairs(pairs)))).toBe(true);
    expect(parsePairs(written)).toEqual(pairs);
  });

  it("survives the allocation growing memory (views are refreshed)", () => {
    const { memory, raw } = bumpMemory(1);
    const big = "x".repeat(70_000);
    expect(memory.copyPairsToPointerSize(["big"], [big], 8, 12)).toBe(true);
    const view = new DataView(raw.buffer);
    const written = new Uint8Array(raw.buffer, view.getUint32(8, true), view.getUint32(12, true));
    expect(parsePairs(written)).toEqual([["big", big]]);
  });

  it("refuses return slots outside memory", () => {
    const { memory } = bumpMemory();
    expect(memory.copyPairsToPointerSize(["a"], ["b"], 65_534, 8)).toBe(false);
  });
});

describe("GuestMemory.readBytes", () => {
  it("returns an independent copy for short and pooled sizes", () => {
    const { memory, raw } = bumpMemory();
    const u8 = new Uint8Array(raw.buffer);
    for (let i = 0; i < 600; i++) u8[2000 + i] = (i * 7) & 255;
    for (const size of [0, 1, 31, 32, 300, 600]) {
      const copy = memory.readBytes(2000, size);
      expect(Array.from(copy)).toEqual(Array.from(u8.subarray(2000, 2000 + size)));
      if (size > 0) {
        u8[2000] ^= 0xff;
        expect(copy[0]).toBe((0 * 7) & 255);
        u8[2000] ^= 0xff;
      }
    }
  });
});

describe("GuestMemory.copyCachedBytesToPointerSize", () => {
  /** A memory whose allocator returns blocks at a chosen misalignment, exactly `size` bytes apart. */
  function tightMemory(misalign: number): { memory: GuestMemory; raw: WebAssembly.Memory } {
    const raw = new WebAssembly.Memory({ initial: 1 });
    let next = 1024 + misalign;
    const allocate = (size: number) => {
      const ptr = next;
      next += size + 1;
      return ptr;
    };
    return { memory: new GuestMemory(raw, allocate), raw };
  }

  it("writes every size exactly, aligned or not, and nothing past the block", () => {
    for (const misalign of [0, 1, 2, 3]) {
      const { memory, raw } = tightMemory(misalign);
      const bytes = new Uint8Array(raw.buffer);
      bytes.fill(0xee, 1024, 8192);
      for (let size = 0; size <= 80; size++) {
        const value = String.fromCharCode(...Array.from({ length: size }, (_, i) => (i * 37 + size) & 0xff));
        expect(memory.copyCachedBytesToPointerSize(WordAlignedBytes.fromByteString(value), 8, 12)).toBe(true);
        const view = new DataView(raw.buffer);
        const ptr = view.getUint32(8, true);
        expect(view.getUint32(12, true)).toBe(size);
        expect(Buffer.from(bytes.subarray(ptr, ptr + size)).toString("latin1"), `misalign ${misalign} size ${size}`).toBe(value);
        expect(bytes[ptr + size], `byte after the block, size ${size}`).toBe(0xee);
      }
    }
  });

  it("writes into memory the allocation grew, through refreshed views", () => {
    const raw = new WebAssembly.Memory({ initial: 1 });
    const memory = new GuestMemory(raw, () => {
      raw.grow(1);
      return 65_536 + 64;
    });
    const guest = memory.guestViews();
    expect(memory.copyCachedBytesToPointerSize(WordAlignedBytes.fromByteString("after growth"), 8, 12)).toBe(true);
    expect(guest.bytes.length, "the views taken before are detached").toBe(0);
    expect(memory.guestViews().size).toBe(2 * 65_536);
    const view = new DataView(raw.buffer);
    expect(view.getUint32(8, true)).toBe(65_536 + 64);
    expect(Buffer.from(raw.buffer, 65_536 + 64, 12).toString("latin1")).toBe("after growth");
  });

  it("writes the pointer and size into unaligned return slots", () => {
    for (const [ptrSlot, sizeSlot] of [[9, 16], [8, 14], [5, 11]] as const) {
      const { memory, raw } = tightMemory(0);
      const view = new DataView(raw.buffer);
      expect(memory.copyCachedBytesToPointerSize(WordAlignedBytes.fromByteString("x-request"), ptrSlot, sizeSlot)).toBe(true);
      const ptr = view.getUint32(ptrSlot, true);
      expect(view.getUint32(sizeSlot, true)).toBe(9);
      expect(Buffer.from(raw.buffer, ptr, 9).toString("latin1"), `slots ${ptrSlot}/${sizeSlot}`).toBe("x-request");
    }
  });

  it("refuses return slots outside memory", () => {
    const { memory } = tightMemory(0);
    expect(memory.copyCachedBytesToPointerSize(WordAlignedBytes.fromByteString("abc"), 70_000, 12)).toBe(false);
  });
});

describe("WordAlignedBytes", () => {
  it("holds every byte of short and long byte strings, zero-padded to whole words", () => {
    for (const size of [0, 1, 5, 31, 32, 33, 700]) {
      const value = String.fromCharCode(...Array.from({ length: size }, (_, i) => (i * 101 + 7) & 0xff));
      const made = WordAlignedBytes.fromByteString(value);
      expect(Buffer.from(made.bytes).toString("latin1"), `size ${size}`).toBe(value);
      expect(made.words.length).toBe(Math.ceil(size / 4));
      expect(new Uint8Array(made.words.buffer).subarray(size).every((b) => b === 0)).toBe(true);
    }
  });
});
