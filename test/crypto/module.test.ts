import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ALGORITHM, Arena, type CryptoBuild, loadCryptoBuilds, VERIFY } from "./crypto-modules.js";

let builds: CryptoBuild[];
beforeAll(async () => {
  builds = await loadCryptoBuilds();
});

describe("crypto module", () => {
  it("is a standalone module: documented exports only, no proxy_* callbacks, no imports", async () => {
    for (const build of builds) {
      const module = await WebAssembly.compile(readFileSync(build.file));
      const exports = WebAssembly.Module.exports(module).map((entry) => entry.name).sort();
      expect(exports).toEqual([
        "_initialize", "alloc", "base64urlDecode", "base64urlEncode", "collect", "free", "hmac", "memory", "sha256", "sha384", "sha512", "verify",
      ]);
      expect(exports.filter((name) => name.startsWith("proxy_"))).toEqual([]);
      expect(WebAssembly.Module.imports(module)).toEqual([]);
    }
  });

  it("stays within 128 KB in both builds", () => {
    for (const build of builds) expect(build.size, build.name).toBeLessThanOrEqual(128 * 1024);
  });

  it("answers unknown algorithm ids with unsupported-algorithm", () => {
    const arena = new Arena(builds[0]!.exports);
    const key = arena.put(new Uint8Array(64));
    for (const algorithm of [0, 13, 255, 0xffffffff]) {
      expect(builds[0]!.exports.verify(algorithm, key, 64, key, 1, key, 32)).toBe(VERIFY.unsupported);
    }
  });

  it("keeps its heap flat over many verify calls (no managed allocation on the verify path)", () => {
    const exports = builds[0]!.exports;
    const arena = new Arena(exports);
    const key = arena.put(new Uint8Array(64).fill(7));
    const message = arena.put(new Uint8Array(100));
    const mac = arena.put(new Uint8Array(32));
    const pagesBefore = exports.memory.buffer.byteLength;
    for (let i = 0; i < 20_000; i++) exports.verify(ALGORITHM.HS256, key, 64, message, 100, mac, 32);
    expect(exports.memory.buffer.byteLength).toBe(pagesBefore);
    const probe = exports.alloc(16);
    exports.free(probe);
    expect(exports.alloc(16)).toBe(probe);
  });

  it("wires ES256, ES384 and EdDSA to assembly/crypto/ec/ with the documented key encodings", () => {
    const message = randomBytes(120);
    for (const build of builds) {
      const arena = new Arena(build.exports);
      const run = (algorithm: number, key: Uint8Array, signature: Uint8Array) => {
        arena.reset();
        return build.exports.verify(algorithm, arena.put(key), key.length, arena.put(message), message.length, arena.put(signature), signature.length);
      };
      for (const [curve, algorithm, hash] of [["P-256", ALGORITHM.ES256, "sha256"], ["P-384", ALGORITHM.ES384, "sha384"]] as const) {
        const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: curve });
        const jwk = publicKey.export({ format: "jwk" });
        const xy = Buffer.concat([Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
        const signature = sign(hash, message, { key: privateKey, dsaEncoding: "ieee-p1363" });
        expect(run(algorithm, xy, signature), `${build.name} ${curve} X||Y`).toBe(VERIFY.valid);
        expect(run(algorithm, Buffer.concat([Buffer.of(4), xy]), signature), `${curve} 0x04||X||Y`).toBe(VERIFY.valid);
        const flipped = Buffer.from(signature);
        flipped[7]! ^= 4;
        expect(run(algorithm, xy, flipped)).toBe(VERIFY.invalid);
        expect(run(algorithm, xy, sign(hash, message, { key: privateKey, dsaEncoding: "der" })), "DER signature").toBe(VERIFY.invalid);
        expect(run(algorithm, Buffer.concat([Buffer.of(2), xy]), signature), "0x02 prefix").toBe(VERIFY.keyMalformed);
        expect(run(algorithm, xy.subarray(1), signature), "short key").toBe(VERIFY.keyMalformed);
      }
      const { publicKey, privateKey } = generateKeyPairSync("ed25519");
      const x = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
      const signature = sign(null, message, privateKey);
      expect(run(ALGORITHM.EdDSA, x, signature), `${build.name} Ed25519`).toBe(VERIFY.valid);
      const flipped = Buffer.from(signature);
      flipped[40]! ^= 1;
      expect(run(ALGORITHM.EdDSA, x, flipped)).toBe(VERIFY.invalid);
      expect(run(ALGORITHM.EdDSA, x, signature.subarray(0, 63))).toBe(VERIFY.invalid);
      expect(run(ALGORITHM.EdDSA, x.subarray(0, 31), signature)).toBe(VERIFY.keyMalformed);
    }
  });
});
