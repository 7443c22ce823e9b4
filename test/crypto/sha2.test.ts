import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { Arena, type CryptoBuild, type HarnessExports, loadCryptoBuilds, loadHarness } from "./crypto-modules.js";

const HASHES = [
  { id: 1, name: "sha256", length: 32, block: 64 },
  { id: 2, name: "sha384", length: 48, block: 128 },
  { id: 3, name: "sha512", length: 64, block: 128 },
] as const;

let builds: CryptoBuild[];
let harness: HarnessExports;
beforeAll(async () => {
  builds = await loadCryptoBuilds();
  harness = await loadHarness();
});

function nodeDigest(name: string, data: Uint8Array): string {
  return createHash(name).update(data).digest("hex");
}

describe("crypto module sha256/sha384/sha512 exports", () => {
  it.each(HASHES)("$name matches node:crypto for every length 0..1000", ({ name, length }) => {
    for (const build of builds) {
      const arena = new Arena(build.exports);
      const hash = build.exports[name];
      for (let size = 0; size <= 1000; size++) {
        arena.reset();
        const data = randomBytes(size);
        const out = arena.reserve(length);
        hash(arena.put(data), size, out);
        expect(arena.read(out, length).toString("hex"), `${build.name} ${name} of ${size} bytes`).toBe(nodeDigest(name, data));
      }
    }
  });

  it("matches the FIPS 180-4 example digests of \"abc\"", () => {
    const arena = new Arena(builds[0]!.exports);
    const abc = arena.put(Buffer.from("abc"));
    const out = arena.reserve(64);
    builds[0]!.exports.sha256(abc, 3, out);
    expect(arena.read(out, 32).toString("hex")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    builds[0]!.exports.sha512(abc, 3, out);
    expect(arena.read(out, 64).toString("hex")).toBe(
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
  });

  it("hashes a 1 MB message", () => {
    const data = randomBytes(1 << 20);
    const arena = new Arena(builds[0]!.exports, 2 << 20);
    const out = arena.reserve(64);
    builds[0]!.exports.sha384(arena.put(data), data.length, out);
    expect(arena.read(out, 48).toString("hex")).toBe(nodeDigest("sha384", data));
  });
});

describe("streaming hashers", () => {
  it.each(HASHES)("$name gives the one-shot digest whatever the update sizes", ({ id, name, length, block }) => {
    const arena = new Arena(harness);
    const chunks = [1, 3, block - 1, block, block + 1, 2 * block + 5, 1000];
    for (let size = 0; size <= 3 * block + 2; size++) {
      for (const chunk of chunks) {
        arena.reset();
        const data = randomBytes(size);
        const out = arena.reserve(length);
        harness.hashChunked(id, arena.put(data), size, chunk, out);
        expect(arena.read(out, length).toString("hex"), `${name} of ${size} bytes in ${chunk}-byte updates`).toBe(nodeDigest(name, data));
      }
    }
  });

  it("reset between messages: the same hasher gives independent digests", () => {
    const arena = new Arena(harness);
    const first = randomBytes(200);
    const second = randomBytes(77);
    const out = arena.reserve(64);
    harness.hashChunked(3, arena.put(first), first.length, 50, out);
    harness.hashChunked(3, arena.put(second), second.length, 50, out);
    expect(arena.read(out, 64).toString("hex")).toBe(nodeDigest("sha512", second));
  });
});

describe("Uint8Array one-shot API (sha256/sha384/sha512 in assembly/crypto/sha2.ts)", () => {
  it.each(HASHES)("$name", ({ id, name, length, block }) => {
    const arena = new Arena(harness);
    for (const size of [0, 1, block - 9, block - 8, block, block + 1, 500]) {
      arena.reset();
      const data = randomBytes(size);
      const out = arena.reserve(length);
      harness.hashOneShot(id, arena.put(data), size, out);
      expect(arena.read(out, length).toString("hex")).toBe(nodeDigest(name, data));
      harness.collect();
    }
  });
});
