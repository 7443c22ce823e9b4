import { wasi_random_get } from "../../sdk/abi";

// xorshift64* state; seeded once from the host's WASI random_get.
let state: u64 = 0;

function seed(): void {
  const buffer = memory.data(8);
  store<u64>(buffer, 0);
  wasi_random_get(buffer, 8);
  state = load<u64>(buffer);
  // A host without entropy leaves zeros, which would lock xorshift at 0.
  if (state == 0) state = 0x9E3779B97F4A7C15;
}

/** A uniformly distributed double in [0, 1). */
export function randomUnit(): f64 {
  if (state == 0) seed();
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  const value = state * 0x2545F4914F6CDD1D;
  return <f64>(value >> 11) / 9007199254740992.0;
}
