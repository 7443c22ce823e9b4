// Field operations, wNAF recoding and Jacobian point formulas of assembly/crypto/ec/
// against BigInt, on seeded random operands and edge values. The P-256 field keeps
// values below 2p (not fully reduced), so its results are checked for congruence and
// for that bound; the other fields must return exactly the reduced value.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { seededRandom } from "../support/seeded-random.js";
import { addPoints, G, inverse, mod, multiplyPoint, N, negate, P, randomBelow, type AffinePoint } from "./p256-reference.js";

interface ArithmeticExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  limbCount(field: number): number;
  fieldOperation(field: number, operation: number, out: number, a: number, b: number): void;
  fieldMulSmall(field: number, out: number, a: number, k: number): void;
  fieldIsZero(field: number, a: number): number;
  fieldEquals(field: number, a: number, b: number): number;
  wnaf(digits: number, scalar: number, width: number): number;
  pointDouble(out: number, p: number): void;
  pointAdd(out: number, p: number, q: number): void;
  pointAddAffine(out: number, p: number, q: number): void;
}

const P384 = BigInt("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff");
const LIMB_BITS = 29n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
const ADD = 0, SUB = 1, MUL = 2, SQR = 3, NEG = 4, CANONICAL = 5, INVERT = 6, SUB_TWICE = 7;

interface FieldCase {
  index: number;
  name: string;
  modulus: bigint;
  /** Inputs and outputs may lie in [0, 2m) instead of [0, m). */
  almostReduced: boolean;
}

const FIELDS: FieldCase[] = [
  { index: 0, name: "P-256 p (P-256 kernel)", modulus: P, almostReduced: true },
  { index: 1, name: "P-256 n (9-limb Montgomery)", modulus: N, almostReduced: false },
  { index: 2, name: "P-384 p (generic loops)", modulus: P384, almostReduced: false },
];

let wasm: ArithmeticExports;
let scratch: number[];
beforeAll(async () => {
  const compiled = await compileAssemblyScript("test/crypto/ec-arithmetic-harness/index.ts", "build/test/ec-arithmetic.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(compiled.outFile), {});
  (instance.exports._initialize as () => void)();
  wasm = instance.exports as unknown as ArithmeticExports;
  scratch = Array.from({ length: 4 }, () => wasm.alloc(3 * 14 * 8));
});

function writeLimbs(ptr: number, value: bigint, count: number): void {
  const words = new BigUint64Array(wasm.memory.buffer, ptr, count);
  for (let i = 0; i < count; i++) words[i] = (value >> (LIMB_BITS * BigInt(i))) & LIMB_MASK;
  expect(value >> (LIMB_BITS * BigInt(count))).toBe(0n);
}

/** Reads limbs, checking each is normalized (29 bits), which the next operation relies on. */
function readLimbs(ptr: number, count: number): bigint {
  const words = new BigUint64Array(wasm.memory.buffer, ptr, count);
  let value = 0n;
  for (let i = count - 1; i >= 0; i--) {
    expect(words[i]! <= LIMB_MASK).toBe(true);
    value = (value << LIMB_BITS) | words[i]!;
  }
  return value;
}

function montgomeryFactor(field: FieldCase): bigint {
  return 1n << (LIMB_BITS * BigInt(wasm.limbCount(field.index)));
}

function edgeValues(field: FieldCase): bigint[] {
  const m = field.modulus;
  const values = [0n, 1n, 2n, m - 1n, m - 2n, (m + 1n) / 2n, mod(montgomeryFactor(field), m)];
  if (field.almostReduced) values.push(m, m + 1n, 2n * m - 1n, 2n * m - 2n, (1n << 256n) - 1n, 1n << 256n);
  return values;
}

function operands(field: FieldCase, random: () => number, count: number): bigint[] {
  const limit = field.almostReduced ? 2n * field.modulus : field.modulus;
  const values = edgeValues(field);
  while (values.length < count) values.push(randomBelow(limit, random));
  return values;
}

function expectResult(field: FieldCase, actual: bigint, expected: bigint): void {
  const m = field.modulus;
  if (field.almostReduced) {
    expect(actual < 2n * m).toBe(true);
    expect(mod(actual, m)).toBe(mod(expected, m));
  } else {
    expect(actual).toBe(mod(expected, m));
  }
}

describe.each(FIELDS)("field arithmetic modulo $name", (field) => {
  const m = field.modulus;
  const [a, b, out] = [0, 1, 2].map((i) => () => scratch[i]!);
  const limbs = () => wasm.limbCount(field.index);

  function run(operation: number, x: bigint, y: bigint): bigint {
    writeLimbs(a(), x, limbs());
    writeLimbs(b(), y, limbs());
    wasm.fieldOperation(field.index, operation, out(), a(), b());
    return readLimbs(out(), limbs());
  }

  it("adds, subtracts (once and twice), negates, multiplies and squares like BigInt (Montgomery products: a b / R)", () => {
    const random = seededRandom(0x3256 + field.index);
    const values = operands(field, random, 60);
    const rInverse = inverse(montgomeryFactor(field), m);
    for (const x of values) {
      for (const y of values.slice(0, 24)) {
        expectResult(field, run(ADD, x, y), x + y);
        expectResult(field, run(SUB, x, y), x - y);
        expectResult(field, run(SUB_TWICE, x, y), x - 2n * y);
        expectResult(field, run(MUL, x, y), x * y * rInverse);
      }
      expectResult(field, run(SQR, x, 0n), x * x * rInverse);
      expectResult(field, run(NEG, x, 0n), -x);
    }
  });

  it("multiplies by the small constants 1 to 8", () => {
    const random = seededRandom(0x5a11 + field.index);
    for (const x of operands(field, random, 40)) {
      for (let k = 1; k <= 8; k++) {
        writeLimbs(a(), x, limbs());
        wasm.fieldMulSmall(field.index, out(), a(), k);
        expectResult(field, readLimbs(out(), limbs()), BigInt(k) * x);
        // In place, as the point formulas use it.
        wasm.fieldMulSmall(field.index, a(), a(), k);
        expectResult(field, readLimbs(a(), limbs()), BigInt(k) * x);
      }
    }
  });

  it("reduces to the canonical value, and compares by congruence", () => {
    const random = seededRandom(0xc0de + field.index);
    for (const x of operands(field, random, 40)) {
      expect(run(CANONICAL, x, 0n)).toBe(mod(x, m));
      writeLimbs(a(), x, limbs());
      expect(wasm.fieldIsZero(field.index, a()) === 1).toBe(mod(x, m) === 0n);
      const other = mod(x + 1n, m);
      for (const y of field.almostReduced ? [mod(x, m), mod(x, m) + m, other, other + m] : [x, other]) {
        writeLimbs(b(), y, limbs());
        expect(wasm.fieldEquals(field.index, a(), b()) === 1).toBe(mod(x - y, m) === 0n);
      }
    }
  });

  it("inverts (Montgomery form: R^2 / a)", () => {
    const random = seededRandom(0x1ae7 + field.index);
    const r = montgomeryFactor(field);
    for (const x of operands(field, random, 12).filter((v) => mod(v, m) !== 0n)) {
      expectResult(field, run(INVERT, x, 0n), r * r * inverse(mod(x, m), m));
    }
  });
});

describe("wNAF recoding", () => {
  it("yields odd digits below 2^(w-1), w-1 zeros after each, summing to the scalar", () => {
    const random = seededRandom(0x3a7f);
    const scalars = [0n, 1n, 2n, 3n, N - 1n, N, P - 1n, (1n << 256n) - 1n, 1n << 255n, (1n << 255n) - 1n, BigInt("0x" + "5".repeat(64))];
    for (let i = 0; i < 60; i++) scalars.push(randomBelow(1n << 256n, random));
    const scalar = scratch[0]!;
    const digits = scratch[1]!;
    for (const k of scalars) {
      for (let width = 2; width <= 8; width++) {
        writeLimbs(scalar, k, 9);
        const length = wasm.wnaf(digits, scalar, width);
        const recoded = new Int8Array(wasm.memory.buffer, digits, 9 * 29 + 8);
        let sum = 0n;
        let zerosNeeded = 0;
        for (let i = 0; i < recoded.length; i++) {
          const digit = recoded[i]!;
          if (i >= length) {
            expect(digit).toBe(0);
            continue;
          }
          if (digit !== 0) {
            expect(zerosNeeded).toBe(0);
            expect(Math.abs(digit) % 2).toBe(1);
            expect(Math.abs(digit) < 1 << (width - 1)).toBe(true);
            zerosNeeded = width - 1;
          } else if (zerosNeeded > 0) zerosNeeded--;
          sum += BigInt(digit) << BigInt(i);
        }
        expect(sum).toBe(k);
        expect(length === 0 || recoded[length - 1] !== 0).toBe(true);
      }
    }
  });
});

describe("P-256 Jacobian point formulas", () => {
  const elementBytes = 9 * 8;
  const R = 1n << 261n;
  const random = seededRandom(0x9017);

  /** Writes a point as Jacobian Montgomery-form limbs with a random Z; null writes Z = 0. Sometimes adds p (still below 2p). */
  function writeJacobian(ptr: number, point: AffinePoint | null): void {
    const z = point === null ? 0n : 1n + randomBelow(P - 1n, random);
    const coordinates = point === null
      ? [randomBelow(P, random), randomBelow(P, random), 0n]
      : [point.x * z * z, point.y * z * z * z, z];
    coordinates.forEach((value, i) => {
      let limbs = mod(value * R, P);
      if (random() < 0.25 && limbs + P < 1n << 257n) limbs += P;
      writeLimbs(ptr + i * elementBytes, limbs, 9);
    });
  }

  function writeAffine(ptr: number, point: AffinePoint): void {
    writeLimbs(ptr, mod(point.x * R, P), 9);
    writeLimbs(ptr + elementBytes, mod(point.y * R, P), 9);
  }

  function readJacobian(ptr: number): AffinePoint | null {
    const rInverse = inverse(R, P);
    const [x, y, z] = [0, 1, 2].map((i) => {
      const value = readLimbs(ptr + i * elementBytes, 9);
      expect(value < 2n * P).toBe(true);
      return mod(value * rInverse, P);
    });
    if (z === 0n) return null;
    const zInverse = inverse(z!, P);
    return { x: mod(x! * zInverse * zInverse, P), y: mod(y! * zInverse * zInverse * zInverse, P) };
  }

  const points: (AffinePoint | null)[] = [G, negate(G), multiplyPoint(2n, G), multiplyPoint(N - 1n, G)];
  for (let i = 0; i < 10; i++) points.push(multiplyPoint(1n + randomBelow(N - 1n, random), G));

  it("doubles, including the point at infinity, in place and not", () => {
    const [p, out] = [scratch[0]!, scratch[1]!];
    for (const point of [...points, null]) {
      writeJacobian(p, point);
      wasm.pointDouble(out, p);
      expect(readJacobian(out)).toEqual(addPoints(point, point));
      wasm.pointDouble(p, p);
      expect(readJacobian(p)).toEqual(addPoints(point, point));
    }
  });

  it("adds Jacobian points, including P + P, P + (-P) and the point at infinity on either side", () => {
    const [p, q, out] = [scratch[0]!, scratch[1]!, scratch[2]!];
    const pairs: [AffinePoint | null, AffinePoint | null][] = [];
    for (const a of points) {
      pairs.push([a, a], [a, negate(a)], [a, null], [null, a]);
      for (const b of points.slice(0, 5)) pairs.push([a, b]);
    }
    pairs.push([null, null]);
    for (const [a, b] of pairs) {
      writeJacobian(p, a);
      writeJacobian(q, b);
      wasm.pointAdd(out, p, q);
      expect(readJacobian(out)).toEqual(addPoints(a, b));
      wasm.pointAdd(p, p, q);
      expect(readJacobian(p)).toEqual(addPoints(a, b));
    }
  });

  it("adds an affine point, including P + P, P + (-P) and the point at infinity as the Jacobian side", () => {
    const [p, q, out] = [scratch[0]!, scratch[1]!, scratch[2]!];
    for (const b of points) {
      if (b === null) throw new Error("the sample points are finite");
      const cases: (AffinePoint | null)[] = [b, negate(b), null, ...points.slice(0, 5)];
      for (const a of cases) {
        writeJacobian(p, a);
        writeAffine(q, b);
        wasm.pointAddAffine(out, p, q);
        expect(readJacobian(out)).toEqual(addPoints(a, b));
        wasm.pointAddAffine(p, p, q);
        expect(readJacobian(p)).toEqual(addPoints(a, b));
      }
    }
  });
});
