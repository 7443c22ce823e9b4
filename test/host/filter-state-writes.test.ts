import { describe, expect, it } from "vitest";
import { FilterStateWrites } from "../../src/host/filter-state-writes.js";
import { GuestMemory } from "../../src/host/memory.js";

function guestMemory(): { memory: GuestMemory; raw: WebAssembly.Memory } {
  const raw = new WebAssembly.Memory({ initial: 1 });
  let next = 4096;
  return { memory: new GuestMemory(raw, (size) => { const ptr = next; next += (size + 7) & ~7; return ptr; }), raw };
}

function place(raw: WebAssembly.Memory, at: number, text: string): number {
  return Buffer.from(raw.buffer).write(text, at, "latin1");
}

describe("FilterStateWrites", () => {
  it("keys a path as Envoy's filter state does and keeps the key per path", () => {
    const { memory, raw } = guestMemory();
    const writes = new FilterStateWrites();
    const size = place(raw, 64, "wasmixer.jwt.principal");
    const write = writes.forPath(memory, memory.guestViews(), 64, size);
    expect(write.key).toBe("wasm.wasmixer.jwt.principal");
    place(raw, 129, "wasmixer.jwt.principal");
    expect(writes.forPath(memory, memory.guestViews(), 129, size)).toBe(write);
  });

  it("stores the same array again for equal bytes, and a fresh copy when any byte differs", () => {
    for (const at of [256, 257, 258, 259]) {
      for (const text of ["iss/sub", "testing@secure.istio.io/testing@secure.istio.io", "x".repeat(201)]) {
        const { memory, raw } = guestMemory();
        const write = new FilterStateWrites().forPath(memory, memory.guestViews(), 0, place(raw, 0, "p"));
        const size = place(raw, at, text);
        write.take(memory, memory.guestViews(), at, size);
        const first = write.value;
        expect(Buffer.from(first).toString("latin1")).toBe(text);
        write.take(memory, memory.guestViews(), at, size);
        expect(write.value, `equal bytes at ${at}`).toBe(first);
        for (const changed of [0, size >> 1, size - 1]) {
          const bytes = new Uint8Array(raw.buffer);
          bytes[at + changed] ^= 1;
          write.take(memory, memory.guestViews(), at, size);
          expect(write.value, `byte ${changed} of ${size} at ${at}`).not.toBe(first);
          expect(Buffer.from(write.value).equals(Buffer.from(raw.buffer, at, size))).toBe(true);
          expect(Buffer.from(first).toString("latin1"), "the array stored before is left as it was").toBe(text);
          bytes[at + changed] ^= 1;
          write.take(memory, memory.guestViews(), at, size);
        }
        write.take(memory, memory.guestViews(), at, size - 1);
        expect(Buffer.from(write.value).toString("latin1")).toBe(text.slice(0, -1));
      }
    }
  });
});
