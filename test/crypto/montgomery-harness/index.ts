// Test-only exports over assembly/crypto/bigint/: Montgomery multiplication, squaring
// and modular power on big-endian byte strings, for differential tests against BigInt.
import { LIMB_BUFFER_BYTES, limbsFromBytes, limbsToBytes } from "../../../assembly/crypto/bigint/limbs";
import {
  addModulo, currentLimbCount, modularPower, montgomeryMultiply, multiplyShortOperand, scaledModularPower, scaledPowerFactor,
  toMontgomeryForm, useModulus,
} from "../../../assembly/crypto/bigint/montgomery";

@global function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const A: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const B: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const OUT: usize = memory.data(LIMB_BUFFER_BYTES, 16);

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** Makes the odd `length`-byte big-endian modulus current; returns its limb count L (R = 2^(28·L)). */
export function setModulus(modulus: usize, length: usize, bits: i32): i32 {
  useModulus(modulus, length, bits);
  return currentLimbCount();
}

/** out = a·b·R^-1 mod n (a, b below n, all `length` big-endian bytes); a == b takes the squaring path. */
export function multiply(a: usize, b: usize, out: usize, length: usize): void {
  const count = currentLimbCount();
  limbsFromBytes(a, length, A, count);
  if (a == b) {
    montgomeryMultiply(A, A, OUT);
  } else {
    limbsFromBytes(b, length, B, count);
    montgomeryMultiply(A, B, OUT);
  }
  limbsToBytes(OUT, count, out, length);
}

/** out = base^exponent mod n, everything big-endian bytes (base: `length` bytes below n). */
export function power(base: usize, exponent: usize, exponentLength: usize, out: usize, length: usize): void {
  const count = currentLimbCount();
  limbsFromBytes(base, length, A, count);
  modularPower(A, exponent, exponentLength, OUT);
  limbsToBytes(OUT, count, out, length);
}

/** out = base^e·R^-(e-1) mod n (base: `length` bytes below n). */
export function scaledPower(base: usize, exponent: usize, exponentLength: usize, out: usize, length: usize): void {
  const count = currentLimbCount();
  limbsFromBytes(base, length, A, count);
  scaledModularPower(A, exponent, exponentLength, OUT);
  limbsToBytes(OUT, count, out, length);
}

/** out = R^-(e-1) mod n. */
export function scaledFactor(exponent: usize, exponentLength: usize, out: usize, length: usize): void {
  scaledPowerFactor(exponent, exponentLength, OUT);
  limbsToBytes(OUT, currentLimbCount(), out, length);
}

/** out = x·R mod n. */
export function toMontgomery(x: usize, out: usize, length: usize): void {
  const count = currentLimbCount();
  limbsFromBytes(x, length, A, count);
  toMontgomeryForm(A, OUT);
  limbsToBytes(OUT, count, out, length);
}

/** out = a + b mod n (a, b below n). */
export function add(a: usize, b: usize, out: usize, length: usize): void {
  const count = currentLimbCount();
  limbsFromBytes(a, length, A, count);
  limbsFromBytes(b, length, B, count);
  addModulo(A, B, OUT);
  limbsToBytes(OUT, count, out, length);
}

/** out = a·b·2^(-28·shortLimbs) mod n, a given as `aLength` bytes below 2^(28·shortLimbs), b as `length` bytes below n. */
export function multiplyShort(a: usize, aLength: usize, shortLimbs: i32, b: usize, out: usize, length: usize): void {
  const count = currentLimbCount();
  limbsFromBytes(a, aLength, A, shortLimbs);
  limbsFromBytes(b, length, B, count);
  multiplyShortOperand(A, shortLimbs, B, OUT);
  limbsToBytes(OUT, count, out, length);
}
