// Differential tests of the Montgomery kernels (assembly/crypto/bigint/montgomery.ts) against
// BigInt, in both builds: the scalar one (u64 column sums) and the SIMD one (i64x2 lanes).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { seededRandom } from "../support/seeded-random.js";
import { modInverse, modPow } from "../support/bigint-math.js";

const HARNESS_ENTRY = "test/crypto/montgomery-harness/index.ts";
const LIMB_BITS = 28;

interface MontgomeryExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  setModulus(modulus: number, length: number, bits: number): number;
  multiply(a: number, b: number, out: number, length: number): void;
  power(base: number, exponent: number, exponentLength: number, out: number, length: number): void;
  scaledPower(base: number, exponent: number, exponentLength: number, out: number, length: number): void;
  scaledFactor(exponent: number, exponentLength: number, out: number, length: number): void;
  toMontgomery(x: number, out: number, length: number): void;
  add(a: number, b: number, out: number, length: number): void;
  multiplyShort(a: number, aLength: number, shortLimbs: number, b: number, out: number, length: number): void;
}

interface Build { name: string; exports: MontgomeryExports; scratch: number }

const SCRATCH_BYTES = 4 * 1024;
let builds: Build[];

beforeAll(async () => {
  builds = [];
  for (const [name, flags] of [["scalar", []], ["simd", ["--enable", "simd"]]] as const) {
    const compiled = await compileAssemblyScript(HARNESS_ENTRY, join("build", "test", `montgomery-harness-${name}.wasm`), [...flags]);
    const { instance } = await WebAssembly.instantiate(readFileSync(compiled.outFile), {});
    (instance.exports._initialize as () => void)();
    const exports = instance.exports as unknown as MontgomeryExports;
    builds.push({ name, exports, scratch: exports.alloc(SCRATCH_BYTES) });
  }
});

function toBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, "0"), "hex");
}

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
}



/** A uniformly random integer of exactly `bits` bits from the seeded generator. */
function randomBits(random: () => number, bits: number): bigint {
  let value = 0n;
  for (let i = 0; i < bits; i += 16) value = (value << 16n) | BigInt(Math.floor(random() * 0x10000));
  return value & ((1n << BigInt(bits)) - 1n);
}

function randomBelow(random: () => number, bound: bigint): bigint {
  return randomBits(random, bound.toString(2).length + 16) % bound;
}

/** Copies bytes into the build's scratch area at `slot` (512-byte slots). */
function put(build: Build, slot: number, bytes: Uint8Array): number {
  const ptr = build.scratch + slot * 512;
  new Uint8Array(build.exports.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
}

function read(build: Build, slot: number, length: number): bigint {
  return toBigInt(new Uint8Array(build.exports.memory.buffer, build.scratch + slot * 512, length));
}

interface Modulus { n: bigint; bits: number; length: number; limbs: number; rInverse: bigint }

function useModulus(build: Build, n: bigint): Modulus {
  const bits = n.toString(2).length;
  const length = Math.ceil(bits / 8);
  const limbs = build.exports.setModulus(put(build, 0, toBytes(n, length)), length, bits);
  expect(limbs).toBe(Math.floor(bits / LIMB_BITS) + 1);
  return { n, bits, length, limbs, rInverse: modInverse(1n << BigInt(LIMB_BITS * limbs), n) };
}

function montgomeryProduct(build: Build, modulus: Modulus, a: bigint, b: bigint): bigint {
  const aPtr = put(build, 1, toBytes(a, modulus.length));
  // The same pointer twice takes the squaring path.
  const bPtr = a === b ? aPtr : put(build, 2, toBytes(b, modulus.length));
  build.exports.multiply(aPtr, bPtr, build.scratch + 3 * 512, modulus.length);
  return read(build, 3, modulus.length);
}

function expectProduct(build: Build, modulus: Modulus, a: bigint, b: bigint, label: string): void {
  const expected = (a * b * modulus.rInverse) % modulus.n;
  expect(montgomeryProduct(build, modulus, a, b), `${build.name} ${label}`).toBe(expected);
}

// Sizes around even and odd limb counts (74, 75, 110, 147 limbs): the kernels pair columns.
const SIZES = [2048, 2072, 2077, 3072, 4095, 4096];

function moduliOf(bits: number, random: () => number): bigint[] {
  const top = 1n << BigInt(bits - 1);
  return [
    randomBits(random, bits) | top | 1n,
    (1n << BigInt(bits)) - 1n,
    top + 1n,
    // Large limbs everywhere but a small lowest one: extreme quotient digits.
    ((1n << BigInt(bits)) - 1n) ^ ((1n << 27n) - 2n),
  ];
}

function edgeOperands(n: bigint): bigint[] {
  return [0n, 1n, 2n, n - 1n, n - 2n, n >> 1n, (1n << BigInt(n.toString(2).length - 1)) - 1n];
}

describe.each(SIZES)("Montgomery kernels, %i-bit moduli", (bits) => {
  it("a·b·R^-1 mod n for random and edge operands, both builds", () => {
    for (const build of builds) {
      const random = seededRandom(bits);
      for (const n of moduliOf(bits, random)) {
        const modulus = useModulus(build, n);
        const operands = [...edgeOperands(n), ...Array.from({ length: 6 }, () => randomBelow(random, n))];
        for (const a of operands) {
          for (const b of operands) {
            if (a !== b) expectProduct(build, modulus, a, b, `a=${a.toString(16).slice(0, 8)} b=${b.toString(16).slice(0, 8)}`);
          }
        }
      }
    }
  });

  it("the squaring path (a·a·R^-1) for random and edge operands, both builds", () => {
    for (const build of builds) {
      const random = seededRandom(bits + 1);
      for (const n of moduliOf(bits, random)) {
        const modulus = useModulus(build, n);
        const operands = [...edgeOperands(n), ...Array.from({ length: 24 }, () => randomBelow(random, n))];
        for (const a of operands) expectProduct(build, modulus, a, a, `square of ${a.toString(16).slice(0, 8)}`);
      }
    }
  });

  it("repeated squaring stays exact (each output feeds the next input)", () => {
    for (const build of builds) {
      const random = seededRandom(bits + 2);
      const modulus = useModulus(build, moduliOf(bits, random)[0]!);
      let expected = randomBelow(random, modulus.n);
      let actual = expected;
      for (let i = 0; i < 40; i++) {
        expected = (expected * expected * modulus.rInverse) % modulus.n;
        actual = montgomeryProduct(build, modulus, actual, actual);
        expect(actual, `${build.name} squaring ${i}`).toBe(expected);
      }
    }
  });

  it("base^e mod n for e = 65537, 3, 1, even exponents and a long random one, both builds", () => {
    for (const build of builds) {
      const random = seededRandom(bits + 3);
      for (const n of moduliOf(bits, random)) {
        const modulus = useModulus(build, n);
        // 1 and the even ones end without the multiplication that leaves the Montgomery domain.
        const exponents = [65537n, 3n, 1n, 2n, 65536n, randomBits(random, 160) | 1n, (randomBits(random, 100) | (1n << 99n)) & ~1n];
        const bases = [0n, 1n, n - 1n, ...Array.from({ length: 3 }, () => randomBelow(random, n))];
        for (const e of exponents) {
          const exponentBytes = toBytes(e, Math.ceil(e.toString(16).length / 2));
          for (const base of bases) {
            const basePtr = put(build, 1, toBytes(base, modulus.length));
            const exponentPtr = put(build, 2, exponentBytes);
            build.exports.power(basePtr, exponentPtr, exponentBytes.length, build.scratch + 3 * 512, modulus.length);
            expect(read(build, 3, modulus.length), `${build.name} ${base.toString(16).slice(0, 8)}^${e}`).toBe(modPow(base, e, n));
          }
        }
      }
    }
  });
});

describe.each(SIZES)("Operations around the kernels, %i-bit moduli", (bits) => {
  const exponentsOf = (random: () => number) => [65537n, 3n, randomBits(random, 160) | 1n];
  const bytesOf = (e: bigint) => toBytes(e, Math.ceil(e.toString(16).length / 2));

  it("scaled power base^e·R^-(e-1) and its factor R^-(e-1), both builds", () => {
    for (const build of builds) {
      const random = seededRandom(bits + 4);
      for (const n of moduliOf(bits, random)) {
        const modulus = useModulus(build, n);
        const r = 1n << BigInt(LIMB_BITS * modulus.limbs);
        for (const e of exponentsOf(random)) {
          const exponentPtr = put(build, 2, bytesOf(e));
          const factor = modPow(modulus.rInverse, e - 1n, n);
          build.exports.scaledFactor(exponentPtr, bytesOf(e).length, build.scratch + 3 * 512, modulus.length);
          expect(read(build, 3, modulus.length), `${build.name} R^-(${e}-1)`).toBe(factor);
          expect((factor * modPow(r, e - 1n, n)) % n).toBe(1n);
          for (const base of [0n, 1n, 2n, n - 1n, ...Array.from({ length: 3 }, () => randomBelow(random, n))]) {
            build.exports.scaledPower(put(build, 1, toBytes(base, modulus.length)), exponentPtr, bytesOf(e).length, build.scratch + 3 * 512, modulus.length);
            expect(read(build, 3, modulus.length), `${build.name} scaled ${base.toString(16).slice(0, 8)}^${e}`).toBe((modPow(base, e, n) * factor) % n);
          }
        }
      }
    }
  });

  it("a·b·2^(-28·s) mod n for a short a of s limbs, both builds", () => {
    for (const build of builds) {
      const random = seededRandom(bits + 5);
      for (const n of moduliOf(bits, random)) {
        const modulus = useModulus(build, n);
        for (const s of [1, 2, 10, 14, 19, 24]) {
          const shortBound = 1n << BigInt(LIMB_BITS * s);
          const aLength = Math.ceil((LIMB_BITS * s) / 8);
          const shortInverse = modInverse(shortBound % n, n);
          const shorts = [0n, 1n, shortBound - 1n, randomBelow(random, shortBound), randomBelow(random, shortBound)];
          for (const a of shorts) {
            for (const b of [0n, 1n, n - 1n, randomBelow(random, n)]) {
              build.exports.multiplyShort(put(build, 1, toBytes(a, aLength)), aLength, s, put(build, 2, toBytes(b, modulus.length)), build.scratch + 3 * 512, modulus.length);
              expect(read(build, 3, modulus.length), `${build.name} s=${s} a=${a.toString(16).slice(0, 8)} b=${b.toString(16).slice(0, 8)}`)
                .toBe((a * b * shortInverse) % n);
            }
          }
        }
      }
    }
  });

  it("the Montgomery form x·R and a + b mod n, both builds", () => {
    for (const build of builds) {
      const random = seededRandom(bits + 6);
      for (const n of moduliOf(bits, random)) {
        const modulus = useModulus(build, n);
        const r = 1n << BigInt(LIMB_BITS * modulus.limbs);
        const operands = [...edgeOperands(n), randomBelow(random, n), randomBelow(random, n)];
        for (const x of operands) {
          build.exports.toMontgomery(put(build, 1, toBytes(x, modulus.length)), build.scratch + 3 * 512, modulus.length);
          expect(read(build, 3, modulus.length), `${build.name} ${x.toString(16).slice(0, 8)}·R`).toBe((x * r) % n);
          for (const y of operands) {
            build.exports.add(put(build, 1, toBytes(x, modulus.length)), put(build, 2, toBytes(y, modulus.length)), build.scratch + 3 * 512, modulus.length);
            expect(read(build, 3, modulus.length), `${build.name} ${x.toString(16).slice(0, 8)} + ${y.toString(16).slice(0, 8)}`).toBe((x + y) % n);
          }
        }
      }
    }
  });
});

describe("Montgomery kernels across modulus changes", () => {
  it("switching between sizes resets the padding the kernels over-read", () => {
    for (const build of builds) {
      const random = seededRandom(7);
      for (const bits of [4096, 2048, 3072, 2072, 4096, 2049]) {
        const modulus = useModulus(build, moduliOf(bits, random)[0]!);
        for (let i = 0; i < 4; i++) {
          const a = randomBelow(random, modulus.n);
          const b = randomBelow(random, modulus.n);
          expectProduct(build, modulus, a, b, `${bits}-bit product ${i}`);
          expectProduct(build, modulus, a, a, `${bits}-bit square ${i}`);
        }
      }
    }
  });
});
