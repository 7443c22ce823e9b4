import { describe, expect, it } from "vitest";
import { PropertyPathCache } from "../../src/host/property-path-cache.js";

function place(memory: Uint8Array, at: number, text: string): number {
  const bytes = Buffer.from(text, "latin1");
  memory.set(bytes, at);
  return bytes.length;
}

describe("PropertyPathCache", () => {
  it("finds a remembered path at any address, aligned or not", () => {
    const memory = new Uint8Array(4096);
    const cache = new PropertyPathCache();
    const path = "connection\0uri_san_peer_certificate";
    const size = place(memory, 64, path);
    cache.remember(memory, 64, size, ["connection", "uri_san_peer_certificate"]);
    for (const at of [64, 128, 257, 1026, 3001]) {
      place(memory, at, path);
      expect(cache.find(memory, at, size), `at ${at}`).toEqual(["connection", "uri_san_peer_certificate"]);
    }
  });

  it("misses when any byte differs, including the last ones past the whole words", () => {
    const memory = new Uint8Array(4096);
    const cache = new PropertyPathCache();
    const size = place(memory, 0, "request\0url_path");
    cache.remember(memory, 0, size, ["request", "url_path"]);
    for (let i = 0; i < size; i++) {
      for (const at of [512, 1025]) {
        place(memory, at, "request\0url_path");
        memory[at + i] ^= 0x20;
        expect(cache.find(memory, at, size), `byte ${i} at ${at}`).toBeUndefined();
      }
    }
    const odd = place(memory, 2048, "xds\0node\0id");
    cache.remember(memory, 2048, odd, ["xds", "node", "id"]);
    memory[2048 + odd - 1] = 0x78;
    expect(cache.find(memory, 2048, odd)).toBeUndefined();
    expect(cache.find(memory, 0, size - 1)).toBeUndefined();
  });

  it("keeps working after the memory view is replaced (guest memory growth)", () => {
    const cache = new PropertyPathCache();
    const small = new Uint8Array(1024);
    const size = place(small, 16, "response\0code");
    cache.remember(small, 16, size, ["response", "code"]);
    expect(cache.find(small, 16, size)).toEqual(["response", "code"]);
    const grown = new Uint8Array(8192);
    place(grown, 4096, "response\0code");
    expect(cache.find(grown, 4096, size)).toEqual(["response", "code"]);
    place(grown, 16, "response\0flag");
    expect(cache.find(grown, 16, size)).toBeUndefined();
  });
});

describe("PropertyPathCache on a memory view that does not start on a word", () => {
  it("compares byte by byte", () => {
    const cache = new PropertyPathCache();
    const memory = new Uint8Array(new ArrayBuffer(1025), 1);
    const size = place(memory, 8, "plugin_root_id");
    cache.remember(memory, 8, size, ["plugin_root_id"]);
    expect(cache.find(memory, 8, size)).toEqual(["plugin_root_id"]);
    memory[8 + 3] = 0;
    expect(cache.find(memory, 8, size)).toBeUndefined();
  });
});
