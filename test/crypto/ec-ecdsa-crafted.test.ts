// ES256 verification (assembly/crypto/ec/ecdsa.ts) on signatures built with BigInt
// arithmetic to reach cases random signatures practically never hit: x(R) in [n, p)
// (the r + n comparison), R = u1 G + u2 Q at infinity, and keys G and -G, whose
// table entries coincide with the generator's.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { seededRandom } from "../support/seeded-random.js";
import { addPoints, G, inverse, isOnCurve, liftX, mod, multiplyPoint, N, negate, P, randomBelow, type AffinePoint } from "./p256-reference.js";

interface EcdsaExports {
  memory: WebAssembly.Memory;
  inputBuffer(): number;
  verify(curve: number, x: number, xLength: number, y: number, yLength: number, digest: number, digestLength: number, signature: number, signatureLength: number): number;
}

let wasm: EcdsaExports;
beforeAll(async () => {
  const compiled = await compileAssemblyScript("test/modules/ec-ecdsa/index.ts", "build/test/ec-ecdsa-crafted.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(compiled.outFile), {});
  (instance.exports._initialize as () => void)();
  wasm = instance.exports as unknown as EcdsaExports;
});

function bytes32(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, "0"), "hex"));
}

function verify(key: AffinePoint, digest: bigint, r: bigint, s: bigint): boolean {
  const memory = new Uint8Array(wasm.memory.buffer, wasm.inputBuffer(), 160);
  memory.set(bytes32(key.x), 0);
  memory.set(bytes32(key.y), 32);
  memory.set(bytes32(digest), 64);
  memory.set(bytes32(r), 96);
  memory.set(bytes32(s), 128);
  return wasm.verify(256, 0, 32, 32, 32, 64, 32, 96, 64) === 1;
}

/** The key for which (r, s) signs `digest` with u1 G + u2 Q = target: Q = u2^-1 (target - u1 G). */
function keyReaching(target: AffinePoint | null, digest: bigint, r: bigint, s: bigint): AffinePoint {
  const w = inverse(s, N);
  const u1 = mod(digest * w, N);
  const u2 = mod(r * w, N);
  const key = multiplyPoint(inverse(u2, N), addPoints(target, negate(multiplyPoint(u1, G))));
  if (key === null || !isOnCurve(key)) throw new Error("degenerate key");
  return key;
}

describe("ES256 verification of crafted signatures", () => {
  const random = seededRandom(0xecd5a);

  it("accepts r = x(R) - n when x(R) lies in [n, p), and rejects neighbours", () => {
    let found = 0;
    for (let x = N; found < 6 && x < P; x += 1n + randomBelow(1n << 100n, random)) {
      const point = liftX(x);
      if (point === null) continue;
      found++;
      const r = x - N;
      const digest = randomBelow(1n << 256n, random);
      const s = 1n + randomBelow(N - 1n, random);
      for (const target of [point, negate(point)!]) {
        const key = keyReaching(target, digest, r, s);
        expect(verify(key, digest, r, s)).toBe(true);
        expect(verify(key, digest, r + 1n, s)).toBe(false);
        expect(verify(key, digest ^ 1n, r, s)).toBe(false);
      }
    }
    expect(found).toBe(6);
  });

  it("accepts r = x(R) when r + n < p as well, without mistaking it for x(R) - n", () => {
    for (let i = 0; i < 6; i++) {
      let point: AffinePoint | null = null;
      let x = 0n;
      while (point === null) {
        x = 1n + randomBelow(P - N - 1n, random);
        point = liftX(x);
      }
      const digest = randomBelow(1n << 256n, random);
      const s = 1n + randomBelow(N - 1n, random);
      const key = keyReaching(point, digest, x, s);
      expect(verify(key, digest, x, s)).toBe(true);
      // x(R) + n is a valid field element here; a signature naming it is out of range for r.
      expect(verify(key, digest, x + N, s)).toBe(false);
    }
  });

  it("rejects signatures whose u1 G + u2 Q is the point at infinity", () => {
    for (let i = 0; i < 6; i++) {
      const digest = randomBelow(1n << 256n, random);
      const r = 1n + randomBelow(N - 1n, random);
      const s = 1n + randomBelow(N - 1n, random);
      const key = keyReaching(null, digest, r, s);
      expect(verify(key, digest, r, s)).toBe(false);
    }
  });

  it("verifies signatures by the keys G and -G (private keys 1 and n - 1)", () => {
    for (const d of [1n, N - 1n]) {
      const key = multiplyPoint(d, G)!;
      for (let i = 0; i < 8; i++) {
        const digest = randomBelow(1n << 256n, random);
        const k = 1n + randomBelow(N - 1n, random);
        const r = mod(multiplyPoint(k, G)!.x, N);
        const s = mod(inverse(k, N) * (mod(digest, N) + r * d), N);
        expect(verify(key, digest, r, s)).toBe(true);
        expect(verify(key, digest, r, mod(s + 1n, N) || 1n)).toBe(false);
        // digest = r makes u1 = u2: the sum is u1 (1 + d) G, infinity for -G and 2 u1 G for G.
        const u1 = mod(r * inverse(s, N), N);
        const sum = multiplyPoint(mod(u1 * (1n + d), N), G);
        expect(verify(key, r, r, s)).toBe(sum !== null && mod(sum.x, N) === r);
      }
    }
  });

  it("reduces a digest of n or more modulo n", () => {
    for (const digest of [N, N + 1n, (1n << 256n) - 1n]) {
      const d = 1n + randomBelow(N - 1n, random);
      const key = multiplyPoint(d, G)!;
      const k = 1n + randomBelow(N - 1n, random);
      const r = mod(multiplyPoint(k, G)!.x, N);
      const s = mod(inverse(k, N) * (mod(digest, N) + r * d), N);
      expect(verify(key, digest, r, s)).toBe(true);
      expect(verify(key, digest - N, r, s)).toBe(true);
      expect(verify(key, digest - 1n, r, s)).toBe(false);
    }
  });
});
