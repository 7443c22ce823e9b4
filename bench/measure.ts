import { performance } from "node:perf_hooks";

/** One line of the benchmark table: our side next to a baseline measured in the same run. */
export interface BenchRow {
  benchmark: string;
  "median ns/op": number;
  "baseline ns/op": number;
  ratio: string;
  baseline: string;
}

function meanNs(inner: number, fn: () => void): number {
  const start = performance.now();
  for (let i = 0; i < inner; i++) fn();
  return ((performance.now() - start) * 1e6) / inner;
}

function median(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Runs every variant in turn for at least `durationMs`. V8 first runs a module's functions as baseline code and
 * compiles hot ones with TurboFan in the background; on the 2-core CI machines a filter's cache hit settled only
 * after ~200 ms of requests (18.8 us -> 4.8 -> 2.2 -> ~2 us), later than a fixed count of a few thousand calls.
 */
export function warmUp(durationMs: number, variants: (() => void)[]): void {
  const end = performance.now() + durationMs;
  while (performance.now() < end) for (let i = 0; i < 50; i++) for (const variant of variants) variant();
}

/** How long the benchmarks warm up each measured set of variants: several times what the slowest needed. */
export const WARM_UP_MS = 1000;

/** Median over `rounds` of the mean time (ns) of `inner` calls of fn. */
export function medianNs(rounds: number, inner: number, fn: () => void): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) samples.push(meanNs(inner, fn));
  return median(samples);
}

/**
 * Median ns per call of each of `variants`, timed in alternation (`inner` calls of one, then of the next, for
 * `rounds` rounds), so a burst of load on a shared machine hits every variant alike and differences stay meaningful.
 */
export function interleavedMediansNs(rounds: number, inner: number, variants: (() => void)[]): number[] {
  const samples = variants.map((): number[] => []);
  for (let r = 0; r < rounds; r++) variants.forEach((variant, v) => samples[v]!.push(meanNs(inner, variant)));
  return samples.map(median);
}

/**
 * What `withWork` costs above `baseline`, per call: both are timed in alternation and the median is taken over
 * the rounds' differences, so a slow phase of the machine lands on both sides of each difference.
 */
export function medianDifferenceNs(rounds: number, inner: number, withWork: () => void, baseline: () => void): number {
  const differences: number[] = [];
  for (let r = 0; r < rounds; r++) differences.push(meanNs(inner, withWork) - meanNs(inner, baseline));
  return median(differences);
}

export function row(benchmark: string, ns: number, baselineNs: number, baseline: string): BenchRow {
  const round = (n: number) => Math.round(n * 10) / 10;
  return { benchmark, "median ns/op": round(ns), "baseline ns/op": round(baselineNs), ratio: `${(ns / baselineNs).toFixed(1)}x`, baseline };
}

/** What one side costs above a baseline over a set of rounds, and how long the baseline took in them. */
export interface DifferenceInRounds {
  differenceNs: number;
  baselineNs: number;
  rounds: number;
}

/**
 * `withWork` above `baseline` (per call, both timed in each round as in medianDifferenceNs) over `durationMs`,
 * split by how fast the machine ran: each round first times `probe` alone, and the rounds are ranked by it. The
 * result is the median difference over the quarter of rounds with the fastest probe and over the quarter with the
 * slowest. Seconds of rounds span the speeds this machine switches between every few seconds (README,
 * Performance), where one median over all rounds depends on the mix of the moment. The probe is timed apart from
 * both measured sides on purpose: ranking rounds by the baseline's own time would pick the rounds where the
 * baseline happened to run fast and so bias the difference up (and down in the slow quarter).
 */
export function differenceByMachineSpeedNs(
  durationMs: number, inner: number, withWork: () => void, baseline: () => void, probe: () => void,
): { fastest: DifferenceInRounds; slowest: DifferenceInRounds; rounds: number } {
  const rounds: { probeNs: number; baselineNs: number; differenceNs: number }[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const probeNs = meanNs(inner >> 2, probe);
    const baselineNs = meanNs(inner, baseline);
    const withWorkNs = meanNs(inner, withWork);
    rounds.push({ probeNs, baselineNs, differenceNs: withWorkNs - baselineNs });
  }
  rounds.sort((a, b) => a.probeNs - b.probeNs);
  const quarter = Math.max(1, Math.floor(rounds.length / 4));
  const summary = (part: typeof rounds): DifferenceInRounds => ({
    differenceNs: median(part.map((r) => r.differenceNs)),
    baselineNs: median(part.map((r) => r.baselineNs)),
    rounds: part.length,
  });
  return { fastest: summary(rounds.slice(0, quarter)), slowest: summary(rounds.slice(rounds.length - quarter)), rounds: rounds.length };
}
