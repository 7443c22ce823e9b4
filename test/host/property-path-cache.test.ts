import { describe, expect, it } from "vitest";
import { GuestViews } from "../../src/host/guest-views.js";
import { PropertyPathCache } from "../../src/host/property-path-cache.js";

function place(memory: Uint8Array, at: number, text: string): number {
  const bytes = Buffer.from(text, "latin1");
  memory.set(bytes, at);
  return bytes.length;
}

describe("PropertyPathCache", () => {
  it("finds a remembered path at any address, aligned or not", () => {
    const guest = new GuestViews(new ArrayBuffer(4096));
    const memory = guest.bytes;
    const cache = new PropertyPathCache();
    const path = "connection\0uri_san_peer_certificate";
    const size = place(memory, 64, path);
    cache.remember(guest, 64, size, ["connection", "uri_san_peer_certificate"]);
    for (const at of [64, 128, 257, 1026, 3001]) {
      place(memory, at, path);
      expect(cache.find(guest, at, size), `at ${at}`).toEqual(["connection", "uri_san_peer_certificate"]);
    }
  });

  it("misses when any byte differs, including the last ones past the whole words", () => {
    const guest = new GuestViews(new ArrayBuffer(4096));
    const memory = guest.bytes;
    const cache = new PropertyPathCache();
    const size = place(memory, 0, "request\0url_path");
    cache.remember(guest, 0, size, ["request", "url_path"]);
    for (let i = 0; i < size; i++) {
      for (const at of [512, 1025]) {
        place(memory, at, "request\0url_path");
        memory[at + i] ^= 0x20;
        expect(cache.find(guest, at, size), `byte ${i} at ${at}`).toBeUndefined();
      }
    }
    const odd = place(memory, 2048, "xds\0node\0id");
    cache.remember(guest, 2048, odd, ["xds", "node", "id"]);
    memory[2048 + odd - 1] = 0x78;
    expect(cache.find(guest, 2048, odd)).toBeUndefined();
    expect(cache.find(guest, 0, size - 1)).toBeUndefined();
  });

  it("keeps working after the memory view is replaced (guest memory growth)", () => {
    const cache = new PropertyPathCache();
    const small = new GuestViews(new ArrayBuffer(1024));
    const size = place(small.bytes, 16, "response\0code");
    cache.remember(small, 16, size, ["response", "code"]);
    expect(cache.find(small, 16, size)).toEqual(["response", "code"]);
    const grown = new GuestViews(new ArrayBuffer(8192));
    place(grown.bytes, 4096, "response\0code");
    expect(cache.find(grown, 4096, size)).toEqual(["response", "code"]);
    place(grown.bytes, 16, "response\0flag");
    expect(cache.find(grown, 16, size)).toBeUndefined();
  });
});
