// Test-only exports over assembly/crypto/ec/: field operations, wNAF recoding and
// Jacobian point formulas on raw limbs, for differential tests against BigInt.
// JS writes 29-bit limbs (one u64 word each) into memory from `alloc`.
import { P256 } from "../../../assembly/crypto/ec/ecdsa";
import { MontgomeryField } from "../../../assembly/crypto/ec/montgomery-field";
import { WeierstrassCurve } from "../../../assembly/crypto/ec/weierstrass-curve";
import { computeWnaf } from "../../../assembly/crypto/ec/wnaf";

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const curve = new WeierstrassCurve(P256);

// 0: P-256's p (the P-256 kernel, values below 2p); 1: P-256's n (9-limb Montgomery);
// 2: P-384's p (the generic loops).
const fields: MontgomeryField[] = [
  curve.field,
  curve.scalars,
  new MontgomeryField("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
];

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function limbCount(field: i32): i32 {
  return fields[field].limbs;
}

/** 0 add, 1 sub, 2 mul, 3 sqr (b ignored), 4 neg (b ignored), 5 canonical (b ignored), 6 invert (b ignored), 7 a - 2b. */
export function fieldOperation(field: i32, operation: i32, out: usize, a: usize, b: usize): void {
  const f = fields[field];
  if (operation == 0) f.add(out, a, b);
  else if (operation == 1) f.sub(out, a, b);
  else if (operation == 2) f.mul(out, a, b);
  else if (operation == 3) f.sqr(out, a);
  else if (operation == 4) f.neg(out, a);
  else if (operation == 5) f.canonical(out, a);
  else if (operation == 6) f.invert(out, a);
  else if (operation == 7) f.subTwice(out, a, b);
}

export function fieldMulSmall(field: i32, out: usize, a: usize, k: i32): void {
  fields[field].mulSmall(out, a, k);
}

export function fieldIsZero(field: i32, a: usize): bool {
  return fields[field].isZero(a);
}

export function fieldEquals(field: i32, a: usize, b: usize): bool {
  return fields[field].equals(a, b);
}

/** wNAF digits of a 9-limb scalar; returns their count. */
export function wnaf(digits: usize, scalar: usize, width: i32): i32 {
  return computeWnaf(digits, scalar, 9, width);
}

/** P-256 Jacobian points: 3 consecutive 9-limb Montgomery-form elements; affine: 2. */
export function pointDouble(out: usize, p: usize): void {
  curve.double(out, p);
}

export function pointAdd(out: usize, p: usize, q: usize): void {
  curve.add(out, p, q);
}

export function pointAddAffine(out: usize, p: usize, q: usize): void {
  curve.addAffine(out, p, q);
}
