import { performance } from "node:perf_hooks";

/** One line of the benchmark table: our side next to a baseline measured in the same run. */
export interface BenchRow {
  benchmark: string;
  "median ns/op": number;
  "baseline ns/op": number;
  ratio: string;
  baseline: string;
}

/** Median over `rounds` of the mean time (ns) of `inner` calls of fn. */
export function medianNs(rounds: number, inner: number, fn: () => void): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < inner; i++) fn();
    samples.push(((performance.now() - start) * 1e6) / inner);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export function row(benchmark: string, ns: number, baselineNs: number, baseline: string): BenchRow {
  const round = (n: number) => Math.round(n * 10) / 10;
  return { benchmark, "median ns/op": round(ns), "baseline ns/op": round(baselineNs), ratio: `${(ns / baselineNs).toFixed(1)}x`, baseline };
}
