// Writes unrolled-nine-limbs.ts: field operations on 9 limbs of 29 bits
// (P-256, Ed25519's field and both groups' scalars) with every operand in a
// local. The generic loops in montgomery-field.ts spend most of their time on
// loads, stores and loop control; unrolled, V8 keeps the columns in registers.
// Run: node assembly/crypto/ec/generate-unrolled.mjs
import { writeFileSync } from "node:fs";

const N = 9;
const BITS = 29;
const lines = [];
const emit = (line = "") => lines.push(line);

/** P-256's p = 2^256 - 2^224 + 2^192 + 2^96 - 1 as signed powers of two. */
const P256_TERMS = [[+1, 256], [-1, 224], [+1, 192], [+1, 96], [-1, 0]];

function loads(name, ptr) {
  for (let i = 0; i < N; i++) emit(`  const ${name}${i} = load<i64>(${ptr}, ${i * 8});`);
}

/** The modulus (times `factor`) as 29-bit limb constants m0..m8. */
function modulusConstants(terms, factor = 1n) {
  let value = 0n;
  for (const [sign, bit] of terms) value += BigInt(sign) << BigInt(bit);
  value *= factor;
  for (let i = 0; i < N; i++) emit(`  const m${i}: i64 = 0x${((value >> BigInt(BITS * i)) & ((1n << BigInt(BITS)) - 1n)).toString(16)};`);
}

function productColumns(square) {
  if (square) for (let i = 0; i < N - 1; i++) emit(`  const t${i} = a${i} << 1;`);
  for (let col = 0; col < 2 * N - 1; col++) {
    const terms = [];
    for (let i = 0; i < N; i++) {
      const j = col - i;
      if (square) { if (j > i && j < N) terms.push(`t${i} * a${j}`); }
      else if (j >= 0 && j < N) terms.push(`a${i} * b${j}`);
    }
    if (square && col % 2 == 0) terms.push(`a${col / 2} * a${col / 2}`);
    emit(`  let c${col} = ${terms.join(" + ")};`);
  }
  emit(`  let c${2 * N - 1}: i64 = 0;`);
}

/** Montgomery rounds with q = c_i * k mod 2^29 and a modulus in m0..m8. */
function denseReduction() {
  emit("  let q: i64 = 0;");
  for (let i = 0; i < N; i++) {
    emit(`  q = (c${i} * k) & MASK;`);
    emit(`  c${i + 1} += ((c${i} + q * m0) >> 29) + q * m1;`);
    for (let j = 2; j < N; j++) emit(`  c${i + j} += q * m${j};`);
  }
}


/** Normalizes c9..c17 into r0..r8 and stores r - m unless that borrows. */
function normalizeAndStore() {
  for (let j = 0; j < N; j++) {
    const c = `c${N + j}`;
    emit(`  const r${j} = ${c} & MASK;`);
    if (j < N - 1) emit(`  c${N + j + 1} += ${c} >> 29;`);
  }
  conditionalSubtract("r");
}

/**
 * Product scanning with the sparse reduction interleaved: column i is
 * finished, reduced and forgotten before column i + 1 is summed, and the high
 * columns are stored as soon as they are complete. Fewer values are live at
 * once than with every column summed first, so fewer spill to the stack. The
 * result (below 2p for inputs below 2p) is stored without a final subtraction.
 */
function interleavedSparseProduct(square, terms) {
  interleavedProduct(square, (col) => sparseRound(col, terms));
}

/** Like {@link interleavedSparseProduct} with the dense Montgomery rounds of any modulus m0..m8, k. */
function interleavedDenseProduct(square) {
  interleavedProduct(square, denseRound);
}

function interleavedProduct(square, round) {
  if (square) for (let i = 0; i < N - 1; i++) emit(`  const t${i} = a${i} << 1;`);
  for (let col = 0; col < 2 * N; col++) emit(`  let c${col}: i64 = 0;`);
  emit("  let q: i64 = 0;");
  for (let col = 0; col < 2 * N - 1; col++) {
    const products = [];
    for (let i = 0; i < N; i++) {
      const j = col - i;
      if (square) { if (j > i && j < N) products.push(`t${i} * a${j}`); }
      else if (j >= 0 && j < N) products.push(`a${i} * b${j}`);
    }
    if (square && col % 2 == 0) products.push(`a${col / 2} * a${col / 2}`);
    emit(`  c${col} += ${products.join(" + ")};`);
    if (col < N) round(col);
    else {
      emit(`  store<i64>(out, c${col} & MASK, ${(col - N) * 8});`);
      emit(`  c${col + 1} += c${col} >> 29;`);
    }
  }
  emit(`  store<i64>(out, c${2 * N - 1} & MASK, ${(N - 1) * 8});`);
}

/**
 * One Montgomery round for a modulus = -1 mod 2^29 that is a short sum of
 * powers of two: k = 1, and q * m is a few shifted additions.
 */
function sparseRound(col, terms) {
  emit(`  q = c${col} & MASK;`);
  // The -1 term cancels the low bits exactly: (c - q) >> 29 == c >> 29.
  emit(`  c${col + 1} += c${col} >> 29;`);
  for (const [sign, bit] of terms) {
    if (bit == 0) continue;
    const target = col + Math.floor(bit / BITS);
    const shift = bit % BITS;
    emit(`  c${target} ${sign > 0 ? "+=" : "-="} ${shift ? `q << ${shift}` : "q"};`);
  }
}

/** One Montgomery round with q = c_col * k mod 2^29 and a modulus in m0..m8. */
function denseRound(col) {
  emit(`  q = (c${col} * k) & MASK;`);
  emit(`  c${col + 1} += ((c${col} + q * m0) >> 29) + q * m1;`);
  for (let j = 2; j < N; j++) emit(`  c${col + j} += q * m${j};`);
}

/**
 * w0..w8 (normalized, below 2^261) minus t p with t = w >> 256: adds t (2^224 - 2^192 - 2^96 + 1)
 * to w mod 2^256. Bit 256 is bit 24 of limb 8; the folded terms land at limbs 7 (bit 21),
 * 6 (bit 18), 3 (bit 9) and 0.
 */
function foldAboveBit256AndStore() {
  emit("  const top = w8 >> 24;");
  const folded = { 0: "+ top", 3: "- (top << 9)", 6: "- (top << 18)", 7: "+ (top << 21)" };
  emit("  let e: i64 = 0;");
  for (let j = 0; j < N; j++) {
    const base = j == N - 1 ? `(w${j} & 0xffffff)` : `w${j}`;
    emit(`  e = ${base}${folded[j] ? " " + folded[j] : ""} + (e >> 29);`);
    emit(`  store<i64>(out, e & MASK, ${j * 8});`);
  }
}


function conditionalSubtract(r, comment = "Below 2m: subtract m once unless that borrows.") {
  emit(`  // ${comment}`);
  emit("  let d: i64 = 0;");
  for (let j = 0; j < N; j++) {
    emit(`  d = ${r}${j} - m${j} + (d >> 29);`);
    emit(`  const s${j} = d & MASK;`);
  }
  emit("  const keep = d < 0;");
  for (let j = 0; j < N; j++) emit(`  store<i64>(out, select<i64>(${r}${j}, s${j}, keep), ${j * 8});`);
}

emit("// Generated by generate-unrolled.mjs in this folder; do not edit by hand.");
emit("// Elements are 9 little-endian limbs of 29 bits below an odd m < 2^260;");
emit("// products are Montgomery products a * b / 2^261 mod m like MontgomeryField.mul.");
emit("// Columns are signed so the sparse reductions may subtract; every bound stays");
emit("// below 2^63 (at most 18 products of 2^59 per column). The P-256 functions and");
emit("// the Lazy ones take and return values below 2m instead of fully reduced ones.");
emit();
emit("const MASK: i64 = 0x1fffffff;");
emit();
emit("/** Montgomery product for any 9-limb modulus m with k = -m^-1 mod 2^29. `out` may alias `a` or `b`. */");
emit("export function montgomeryMultiply9(out: usize, a: usize, b: usize, m: usize, k: i64): void {");
loads("a", "a"); loads("b", "b"); loads("m", "m");
productColumns(false); denseReduction(); normalizeAndStore();
emit("}");
emit();
emit("/** Montgomery square for any 9-limb modulus; see {@link montgomeryMultiply9}. */");
emit("export function montgomerySquare9(out: usize, a: usize, m: usize, k: i64): void {");
loads("a", "a"); loads("m", "m");
productColumns(true); denseReduction(); normalizeAndStore();
emit("}");
emit();
emit("/**");
emit(" * {@link montgomeryMultiply9} for inputs below 2m, storing the result (below");
emit(" * ab / 2^261 + m < 1.125 m for m < 2^256) without the final subtraction.");
emit(" */");
emit("export function montgomeryMultiply9Lazy(out: usize, a: usize, b: usize, m: usize, k: i64): void {");
loads("a", "a"); loads("b", "b"); loads("m", "m");
interleavedDenseProduct(false);
emit("}");
emit();
emit("/** {@link montgomerySquare9} for inputs below 2m; see {@link montgomeryMultiply9Lazy}. */");
emit("export function montgomerySquare9Lazy(out: usize, a: usize, m: usize, k: i64): void {");
loads("a", "a"); loads("m", "m");
interleavedDenseProduct(true);
emit("}");
emit();
emit("/**");
emit(" * Montgomery product modulo P-256's p of almost-reduced inputs (below 2p). The");
emit(" * result, below ab / 2^261 + p < 1.125 p, is stored without the final subtraction.");
emit(" */");
emit("export function p256Multiply(out: usize, a: usize, b: usize): void {");
loads("a", "a"); loads("b", "b");
interleavedSparseProduct(false, P256_TERMS);
emit("}");
emit();
emit("/** Montgomery square modulo P-256's p; see {@link p256Multiply}. */");
emit("export function p256Square(out: usize, a: usize): void {");
loads("a", "a");
interleavedSparseProduct(true, P256_TERMS);
emit("}");
emit();
emit("/** out = a + b mod m. */");
emit("export function add9(out: usize, a: usize, b: usize, m: usize): void {");
loads("a", "a"); loads("b", "b"); loads("m", "m");
emit("  let c: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  c = a${j} + b${j} + (c >> 29);`);
  emit(`  const r${j} = c & MASK;`);
}
conditionalSubtract("r");
emit("}");
emit();
emit("/** out = a - b mod m. */");
emit("export function subtract9(out: usize, a: usize, b: usize, m: usize): void {");
loads("a", "a"); loads("b", "b"); loads("m", "m");
emit("  let d: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  d = a${j} - b${j} + (d >> 29);`);
  emit(`  const r${j} = d & MASK;`);
}
emit("  const borrowed = d < 0;");
emit("  let c: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  c = r${j} + m${j} + (c >> 29);`);
  emit(`  store<i64>(out, select<i64>(c & MASK, r${j}, borrowed), ${j * 8});`);
}
emit("}");

emit();
emit("/** out = a + b mod P-256's p; inputs and output below 2p. */");
emit("export function p256Add(out: usize, a: usize, b: usize): void {");
loads("a", "a"); loads("b", "b"); modulusConstants(P256_TERMS, 2n);
emit("  let c: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  c = a${j} + b${j} + (c >> 29);`);
  emit(`  const r${j} = c & MASK;`);
}
conditionalSubtract("r", "Below 4p: subtract 2p once unless that borrows.");
emit("}");
emit();
emit("/** out = a - b mod P-256's p; inputs and output below 2p. */");
emit("export function p256Subtract(out: usize, a: usize, b: usize): void {");
loads("a", "a"); loads("b", "b"); modulusConstants(P256_TERMS, 2n);
emit("  let d: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  d = a${j} - b${j} + (d >> 29);`);
  emit(`  const r${j} = d & MASK;`);
}
emit("  // Above -2p: add 2p back if that borrowed.");
emit("  const borrowed = d < 0;");
emit("  let c: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  c = r${j} + m${j} + (c >> 29);`);
  emit(`  store<i64>(out, select<i64>(c & MASK, r${j}, borrowed), ${j * 8});`);
}
emit("}");
emit();
emit("/**");
emit(" * out = k * a mod P-256's p for 1 <= k <= 8, a below 2p. k * a < 2^260, and");
emit(" * with t = k * a >> 256 (at most 15), k * a - t * p = (k * a mod 2^256) + t * (2^224 - 2^192 - 2^96 + 1)");
emit(" * lies in [0, 2^256 + 2^228), below 2p, so no subtraction follows.");
emit(" */");
emit("export function p256MultiplySmall(out: usize, a: usize, k: i64): void {");
loads("a", "a");
emit("  let c: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  c = a${j} * k + (c >> 29);`);
  emit(`  const w${j} = c & MASK;`);
}
foldAboveBit256AndStore();
emit("}");
emit();
emit("/**");
emit(" * out = a - 2b mod P-256's p, inputs below 2p: a + 4p - 2b lies in (0, 6p), and");
emit(" * folding the bits above 256 as in {@link p256MultiplySmall} leaves it below 2p.");
emit(" */");
emit("export function p256SubtractTwice(out: usize, a: usize, b: usize): void {");
loads("a", "a"); loads("b", "b"); modulusConstants(P256_TERMS, 4n);
emit("  let c: i64 = 0;");
for (let j = 0; j < N; j++) {
  emit(`  c = a${j} + m${j} - (b${j} << 1) + (c >> 29);`);
  emit(`  const w${j} = c & MASK;`);
}
foldAboveBit256AndStore();
emit("}");
emit();
/** Loads the value at `ptr` (below 2p) and declares its canonical limbs (minus p unless that borrows) as <prefix>0..8. */
function canonicalLocals(ptr, prefix) {
  loads(`${prefix}a`, ptr);
  emit("  d = 0;");
  for (let j = 0; j < N; j++) {
    emit(`  d = ${prefix}a${j} - m${j} + (d >> 29);`);
    emit(`  const ${prefix}s${j} = d & MASK;`);
  }
  emit(`  const ${prefix}keep = d < 0;`);
  for (let j = 0; j < N; j++) emit(`  const ${prefix}${j} = select<i64>(${prefix}a${j}, ${prefix}s${j}, ${prefix}keep);`);
}
emit("/** out = a mod P-256's p for a below 2p: the canonical value. */");
emit("export function p256Canonical(out: usize, a: usize): void {");
modulusConstants(P256_TERMS);
emit("  let d: i64 = 0;");
canonicalLocals("a", "x");
for (let j = 0; j < N; j++) emit(`  store<i64>(out, x${j}, ${j * 8});`);
emit("}");
emit();
emit("/** Whether a (below 2p) is 0 mod P-256's p, i.e. 0 or p. */");
emit("export function p256IsZero(a: usize): bool {");
modulusConstants(P256_TERMS);
loads("a", "a");
emit(`  const zero = (${Array.from({ length: N }, (_, j) => `a${j}`).join(" | ")}) == 0;`);
emit(`  return zero || (${Array.from({ length: N }, (_, j) => `(a${j} ^ m${j})`).join(" | ")}) == 0;`);
emit("}");
emit();
emit("/** Whether a and b (both below 2p) are congruent mod P-256's p. */");
emit("export function p256Equals(a: usize, b: usize): bool {");
modulusConstants(P256_TERMS);
emit("  let d: i64 = 0;");
canonicalLocals("a", "x");
canonicalLocals("b", "y");
emit(`  return (${Array.from({ length: N }, (_, j) => `(x${j} ^ y${j})`).join(" | ")}) == 0;`);
emit("}");

writeFileSync(new URL("./unrolled-nine-limbs.ts", import.meta.url), lines.join("\n") + "\n");
