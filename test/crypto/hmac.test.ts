import { createHmac, randomBytes, randomInt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ALGORITHM, Arena, type CryptoBuild, loadCryptoBuilds, VERIFY } from "./crypto-modules.js";

const HASHES = [
  { id: 1, name: "sha256", length: 32, block: 64, jws: ALGORITHM.HS256 },
  { id: 2, name: "sha384", length: 48, block: 128, jws: ALGORITHM.HS384 },
  { id: 3, name: "sha512", length: 64, block: 128, jws: ALGORITHM.HS512 },
] as const;

let build: CryptoBuild;
beforeAll(async () => {
  build = (await loadCryptoBuilds())[0]!;
});

describe("hmac export", () => {
  it.each(HASHES)("HMAC-$name matches node:crypto for keys of 0..300 bytes (hashed above the block size)", ({ id, name, length, block }) => {
    const arena = new Arena(build.exports);
    const keySizes = [...Array(301).keys()];
    for (const keySize of keySizes) {
      arena.reset();
      const key = randomBytes(keySize);
      const message = randomBytes(keySize === block ? block : randomInt(0, 600));
      const out = arena.reserve(length);
      const written = build.exports.hmac(id, arena.put(key), key.length, arena.put(message), message.length, out);
      expect(written).toBe(length);
      expect(arena.read(out, length).toString("hex"), `key ${keySize} bytes`).toBe(createHmac(name, key).update(message).digest("hex"));
    }
  });

  it("matches RFC 4231 test case 2", () => {
    const arena = new Arena(build.exports);
    const key = Buffer.from("Jefe");
    const message = Buffer.from("what do ya want for nothing?");
    const out = arena.reserve(32);
    build.exports.hmac(1, arena.put(key), key.length, arena.put(message), message.length, out);
    expect(arena.read(out, 32).toString("hex")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("returns -1 for an unknown hash", () => {
    const arena = new Arena(build.exports);
    expect(build.exports.hmac(4, arena.put(Buffer.from("k")), 1, arena.put(Buffer.from("m")), 1, arena.reserve(64))).toBe(-1);
  });
});

describe("verify with HS256/HS384/HS512", () => {
  it.each(HASHES)("accepts node's MAC and rejects every altered one ($name)", ({ name, length, jws }) => {
    const arena = new Arena(build.exports);
    for (let round = 0; round < 50; round++) {
      arena.reset();
      const key = randomBytes(length + randomInt(0, 200));
      const message = randomBytes(randomInt(0, 2000));
      const mac = createHmac(name, key).update(message).digest();
      const k = arena.put(key);
      const m = arena.put(message);
      expect(build.exports.verify(jws, k, key.length, m, message.length, arena.put(mac), mac.length)).toBe(VERIFY.valid);
      const flipped = Buffer.from(mac);
      flipped[randomInt(0, length)]! ^= 1 << randomInt(0, 8);
      expect(build.exports.verify(jws, k, key.length, m, message.length, arena.put(flipped), mac.length)).toBe(VERIFY.invalid);
      // Truncated MACs and MACs with a byte appended are not accepted.
      expect(build.exports.verify(jws, k, key.length, m, message.length, arena.put(mac), mac.length - 1)).toBe(VERIFY.invalid);
      expect(build.exports.verify(jws, k, key.length, m, message.length, arena.put(Buffer.concat([mac, Buffer.of(0)])), mac.length + 1)).toBe(VERIFY.invalid);
      if (message.length > 0) {
        const changed = Buffer.from(message);
        changed[randomInt(0, message.length)]! ^= 0x80;
        expect(build.exports.verify(jws, k, key.length, arena.put(changed), message.length, arena.put(mac), mac.length)).toBe(VERIFY.invalid);
      }
    }
  });

  it("rejects secrets shorter than the hash output (RFC 7518 §3.2) with key-too-small", () => {
    const arena = new Arena(build.exports);
    for (const { name, length, jws } of HASHES) {
      const key = randomBytes(length - 1);
      const message = Buffer.from("payload");
      const mac = createHmac(name, key).update(message).digest();
      expect(build.exports.verify(jws, arena.put(key), key.length, arena.put(message), message.length, arena.put(mac), mac.length)).toBe(VERIFY.keyTooSmall);
    }
  });

  it("does not accept a MAC made with another hash", () => {
    const arena = new Arena(build.exports);
    const key = randomBytes(64);
    const message = Buffer.from("header.payload");
    const mac512 = createHmac("sha512", key).update(message).digest();
    // HS256 with the first 32 bytes of an HS512 MAC.
    expect(build.exports.verify(ALGORITHM.HS256, arena.put(key), 64, arena.put(message), message.length, arena.put(mac512), 32)).toBe(VERIFY.invalid);
  });
});
