/**
 * The per-key factors {@link rsassaPkcs1v15Verify} compares in scaled form
 * with, for the last few RSA keys (n, e). With D = R^-(e-1) mod n (R the
 * Montgomery radix of n's limb count) a slot holds:
 * - D·R mod n, D in Montgomery form, from which the other two follow;
 * - P·D mod n for the EMSA-PKCS1-v1_5 encoding P with a zero hash (0x00 0x01,
 *   0xFF padding, 0x00, DigestInfo prefix): fixed for a key size and hash;
 * - D·2^(28·h) mod n, h the hash's length in limbs.
 * Deriving D costs about one verification, so a key gets a slot on first use
 * and its factors on the second, while it is still among the last SLOTS keys:
 * keys that come back soon pay once, keys seen once pay nothing.
 */
import { LIMB_BITS, LIMB_BUFFER_BYTES, LIMB_PADDING, limbsFromBytes } from "../bigint/limbs";
import { currentLimbCount, montgomeryMultiply, scaledPowerFactor, toMontgomeryForm } from "../bigint/montgomery";
import { bytesEqual } from "../bytes-equal";
import { digestLength, HashAlgorithm } from "../sha2";

const SLOTS: i32 = 4;
/** Keys with a longer exponent (no JWK in practice; e is 65537) are never given factors. */
const MAX_EXPONENT_BYTES: usize = 16;

// Slot layout.
const MODULUS_OFFSET: usize = 0;
const EXPONENT_OFFSET: usize = 512;
const MODULUS_LENGTH_OFFSET: usize = EXPONENT_OFFSET + MAX_EXPONENT_BYTES;
const EXPONENT_LENGTH_OFFSET: usize = MODULUS_LENGTH_OFFSET + 4;
const STATE_OFFSET: usize = EXPONENT_LENGTH_OFFSET + 4;
const LAST_USE_OFFSET: usize = STATE_OFFSET + 4;
/** The hash the padding factors were derived for, 0 for none. */
const PADDING_HASH_OFFSET: usize = LAST_USE_OFFSET + 4;
const FACTOR_MONTGOMERY_OFFSET: usize = (PADDING_HASH_OFFSET + 4 + 15) & ~15;
const SCALED_PADDING_OFFSET: usize = FACTOR_MONTGOMERY_OFFSET + <usize>LIMB_BUFFER_BYTES;
const SCALED_HASH_FACTOR_OFFSET: usize = SCALED_PADDING_OFFSET + <usize>LIMB_BUFFER_BYTES;
const SLOT_BYTES: usize = (SCALED_HASH_FACTOR_OFFSET + <usize>LIMB_BUFFER_BYTES + 15) & ~15;

const EMPTY: u32 = 0;
const SEEN: u32 = 1;
const DERIVED: u32 = 2;

const SLOT_MEMORY: usize = memory.data(<i32>SLOT_BYTES * SLOTS, 16);
const FACTOR: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const PADDING_BYTES: usize = memory.data(512);
const PADDING_LIMBS: usize = memory.data(LIMB_BUFFER_BYTES, 16);
const POWER_OF_TWO: usize = memory.data(LIMB_BUFFER_BYTES, 16);

let useClock: u32 = 0;

/** Limbs of a `hash` digest as an integer. */
export function hashLimbs(hash: HashAlgorithm): i32 {
  return (digestLength(hash) * 8 + <i32>LIMB_BITS - 1) / <i32>LIMB_BITS;
}

function slotAt(index: i32): usize {
  return SLOT_MEMORY + <usize>index * SLOT_BYTES;
}

function holdsKey(slot: usize, modulus: usize, modulusLength: usize, exponent: usize, exponentLength: usize): bool {
  return load<u32>(slot + STATE_OFFSET) != EMPTY
    && <usize>load<u32>(slot + MODULUS_LENGTH_OFFSET) == modulusLength
    && <usize>load<u32>(slot + EXPONENT_LENGTH_OFFSET) == exponentLength
    && bytesEqual(slot + EXPONENT_OFFSET, exponent, exponentLength)
    && bytesEqual(slot + MODULUS_OFFSET, modulus, modulusLength);
}

/**
 * The factors of the key (n, e) for `hash`, or 0 when the key has none yet
 * (it is then recorded as seen). n must be the current modulus, both without
 * leading zero bytes; `encoded` is the k-byte EMSA-PKCS1-v1_5 encoding of some
 * message under `hash` (its padding part is what the padding factor needs).
 */
export function scaledFactorsFor(
  modulus: usize, modulusLength: usize, exponent: usize, exponentLength: usize, hash: HashAlgorithm, encoded: usize, k: usize,
): usize {
  if (exponentLength > MAX_EXPONENT_BYTES) return 0;
  useClock++;
  let slot: usize = 0;
  let oldest = slotAt(0);
  for (let i = 0; i < SLOTS; i++) {
    const candidate = slotAt(i);
    if (holdsKey(candidate, modulus, modulusLength, exponent, exponentLength)) {
      slot = candidate;
      break;
    }
    if (load<u32>(candidate + LAST_USE_OFFSET) < load<u32>(oldest + LAST_USE_OFFSET)) oldest = candidate;
  }
  if (slot == 0) {
    memory.copy(oldest + MODULUS_OFFSET, modulus, modulusLength);
    memory.copy(oldest + EXPONENT_OFFSET, exponent, exponentLength);
    store<u32>(oldest + MODULUS_LENGTH_OFFSET, <u32>modulusLength);
    store<u32>(oldest + EXPONENT_LENGTH_OFFSET, <u32>exponentLength);
    store<u32>(oldest + STATE_OFFSET, SEEN);
    store<u32>(oldest + LAST_USE_OFFSET, useClock);
    return 0;
  }
  store<u32>(slot + LAST_USE_OFFSET, useClock);
  if (load<u32>(slot + STATE_OFFSET) != DERIVED) {
    scaledPowerFactor(exponent, exponentLength, FACTOR);
    toMontgomeryForm(FACTOR, slot + FACTOR_MONTGOMERY_OFFSET);
    store<u32>(slot + PADDING_HASH_OFFSET, 0);
    store<u32>(slot + STATE_OFFSET, DERIVED);
  }
  if (load<u32>(slot + PADDING_HASH_OFFSET) != <u32>hash) {
    const count = currentLimbCount();
    const hashLength = <usize>digestLength(hash);
    // P is below 2^(8k-15) <= n/2^7: the product's operands are below n as it requires.
    memory.copy(PADDING_BYTES, encoded, k - hashLength);
    memory.fill(PADDING_BYTES + k - hashLength, 0, hashLength);
    limbsFromBytes(PADDING_BYTES, k, PADDING_LIMBS, count);
    montgomeryMultiply(PADDING_LIMBS, slot + FACTOR_MONTGOMERY_OFFSET, slot + SCALED_PADDING_OFFSET);
    memory.fill(POWER_OF_TWO, 0, <usize>(count + LIMB_PADDING) << 2);
    store<u32>(POWER_OF_TWO + (<usize>hashLimbs(hash) << 2), 1);
    montgomeryMultiply(POWER_OF_TWO, slot + FACTOR_MONTGOMERY_OFFSET, slot + SCALED_HASH_FACTOR_OFFSET);
    store<u32>(slot + PADDING_HASH_OFFSET, <u32>hash);
  }
  return slot;
}

/** P·D mod n of a slot from {@link scaledFactorsFor}. */
export function scaledPaddingOf(slot: usize): usize {
  return slot + SCALED_PADDING_OFFSET;
}

/** D·2^(28·h) mod n of a slot from {@link scaledFactorsFor}. */
export function scaledHashFactorOf(slot: usize): usize {
  return slot + SCALED_HASH_FACTOR_OFFSET;
}
