import { LIMB_BITS } from "./montgomery-field";

/**
 * Width-w non-adjacent form of a scalar: signed odd digits below 2^(w-1) in
 * absolute value, at least w-1 zeros between non-zero digits. Scalar
 * multiplication then needs only the odd multiples P, 3P, ..., (2^(w-1)-1)P
 * and about one addition every w+1 doublings.
 *
 * `scalar`: plain 29-bit limbs (`limbs` of them). `digits`: receives one i8 per
 * bit position, least significant first; needs limbs * 29 + 8 bytes (w <= 8).
 * Returns the number of digits up to the last non-zero one.
 */
export function computeWnaf(digits: usize, scalar: usize, limbs: i32, width: i32): i32 {
  const totalBits = limbs * LIMB_BITS;
  memory.fill(digits, 0, <usize>totalBits + 8);
  const window = 1 << width;
  const half = window >> 1;
  let carry = 0;
  let length = 0;
  let i = 0;
  // Reads w bits at a time instead of shifting the whole scalar once per digit.
  while (i < totalBits || carry != 0) {
    const value = windowBits(scalar, limbs, i, width) + carry;
    // An even low bit (0, or 1 plus the carry) yields a zero digit and leaves the carry as it is.
    if ((value & 1) == 0) {
      i++;
      continue;
    }
    // value is odd, so at most 2^w - 1; a digit of value - 2^w carries 2^w into position i + w.
    let digit = value;
    carry = 0;
    if (digit >= half) {
      digit -= window;
      carry = 1;
    }
    store<i8>(digits + <usize>i, <i8>digit);
    length = i + 1;
    i += width;
  }
  return length;
}

/** Bits i .. i + width - 1 of the scalar (zeros past its last limb). */
function windowBits(scalar: usize, limbs: i32, i: i32, width: i32): i32 {
  const index = i / LIMB_BITS;
  const shift = i % LIMB_BITS;
  if (index >= limbs) return 0;
  let bits = load<u64>(scalar + (<usize>index << 3)) >> <u64>shift;
  if (shift + width > LIMB_BITS && index + 1 < limbs) bits |= load<u64>(scalar + (<usize>(index + 1) << 3)) << <u64>(LIMB_BITS - shift);
  return <i32>(bits & <u64>((1 << width) - 1));
}
