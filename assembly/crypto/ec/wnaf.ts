import { LIMB_BITS, LIMB_MASK } from "./montgomery-field";

/**
 * Width-w non-adjacent form of a scalar: signed odd digits below 2^(w-1) in
 * absolute value, at least w-1 zeros between non-zero digits. Scalar
 * multiplication then needs only the odd multiples P, 3P, ..., (2^(w-1)-1)P
 * and about one addition every w+1 doublings.
 *
 * `scalar`: plain 29-bit limbs (`limbs` of them). `digits`: receives one i8 per
 * bit position, least significant first; needs limbs * 29 + 1 bytes. `work`:
 * limbs + 1 u64 words of scratch. Returns the number of digits written.
 */
export function computeWnaf(digits: usize, scalar: usize, limbs: i32, width: i32, work: usize): i32 {
  const bytes = <usize>limbs << 3;
  memory.copy(work, scalar, bytes);
  store<u64>(work + bytes, 0);
  const window = 1 << width;
  const half = window >> 1;
  let length = 0;
  while (!isZero(work, limbs + 1)) {
    let digit = 0;
    const low = load<u64>(work);
    if ((low & 1) != 0) {
      digit = <i32>(low & <u64>(window - 1));
      if (digit >= half) digit -= window;
      // Subtracting the digit clears the low w bits, which is what forces the zeros that follow.
      if (digit > 0) store<u64>(work, low - <u64>digit);
      else addSmall(work, limbs + 1, <u64>(-digit));
    }
    store<i8>(digits + <usize>length, <i8>digit);
    length++;
    shiftRightOne(work, limbs + 1);
  }
  return length;
}

function isZero(a: usize, words: i32): bool {
  for (let i = 0; i < words; i++) if (load<u64>(a + (<usize>i << 3)) != 0) return false;
  return true;
}

function addSmall(a: usize, words: i32, value: u64): void {
  let carry = value;
  for (let i = 0; i < words && carry != 0; i++) {
    const ptr = a + (<usize>i << 3);
    const sum = load<u64>(ptr) + carry;
    store<u64>(ptr, sum & LIMB_MASK);
    carry = sum >> LIMB_BITS;
  }
}

function shiftRightOne(a: usize, words: i32): void {
  for (let i = 0; i < words; i++) {
    const ptr = a + (<usize>i << 3);
    const next = i + 1 < words ? load<u64>(ptr + 8) : 0;
    store<u64>(ptr, (load<u64>(ptr) >> 1) | ((next & 1) << (LIMB_BITS - 1)));
  }
}
