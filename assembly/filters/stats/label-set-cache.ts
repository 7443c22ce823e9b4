/**
 * Host metric ids by label set. A workload reports the same few label sets
 * over and over, so the ids every metric of the plugin got for one set of
 * label values (the 25 standard labels and the configured expressions' texts)
 * are kept together, the way istio_stats.cc caches its metric handles keyed
 * by the tag values: a repeated set costs one hash over the values and a
 * comparison, with no tagged name to build and no define_metric.
 * The cache starts over when it holds `limit` sets, so label values without
 * bound (a path as a dimension) cannot grow it forever; a set seen again then
 * finds its ids by name (tagged-metric-name.ts) and no metric is defined twice.
 */

/** The ids one label set has per metric plan slot; 0 = not resolved yet. */
export class LabelSet {
  /** Next entry of the same bucket. */
  next: LabelSet | null = null;
  readonly ids: StaticArray<u32>;

  constructor(readonly hash: u32, readonly labels: string[], readonly expressions: string[] | null, planCount: i32) {
    this.ids = new StaticArray<u32>(planCount);
  }
}

const INITIAL_BUCKETS: i32 = 64;
const DEFAULT_LIMIT: i32 = 4096;

export class LabelSetCache {
  private buckets: StaticArray<LabelSet | null> = new StaticArray<LabelSet | null>(INITIAL_BUCKETS);
  private count: i32 = 0;
  private last: LabelSet | null = null;

  /** `planCount`: how many metric plans (ids) each label set holds; `limit`: sets kept at most. */
  constructor(readonly planCount: i32, readonly limit: i32 = DEFAULT_LIMIT) {}

  /** Number of distinct label sets seen. */
  get size(): i32 { return this.count; }

  /** The entry for these values, added (with copies of the arrays) on first sight. */
  find(labels: string[], expressions: string[] | null): LabelSet {
    // Most streams repeat the previous stream's label set.
    const last = this.last;
    if (last !== null && sameValues(last.labels, labels) && sameOptionalValues(last.expressions, expressions)) return last;
    const found = this.lookup(labels, expressions);
    this.last = found;
    return found;
  }

  private lookup(labels: string[], expressions: string[] | null): LabelSet {
    const hash = hashLabelSet(labels, expressions);
    let buckets = this.buckets;
    let candidate: LabelSet | null = unchecked(buckets[hash & <u32>(buckets.length - 1)]);
    while (candidate !== null) {
      if (candidate.hash == hash && sameValues(candidate.labels, labels) && sameOptionalValues(candidate.expressions, expressions)) return candidate;
      candidate = candidate.next;
    }
    if (this.count >= this.limit) buckets = this.clear();
    else if (this.count >= buckets.length) buckets = this.grow();
    const entry = new LabelSet(hash, labels.slice(0), expressions === null ? null : expressions.slice(0), this.planCount);
    const bucket = hash & <u32>(buckets.length - 1);
    entry.next = unchecked(buckets[bucket]);
    unchecked(buckets[bucket] = entry);
    this.count++;
    return entry;
  }

  private clear(): StaticArray<LabelSet | null> {
    const buckets = new StaticArray<LabelSet | null>(INITIAL_BUCKETS);
    this.buckets = buckets;
    this.count = 0;
    this.last = null;
    return buckets;
  }

  private grow(): StaticArray<LabelSet | null> {
    const old = this.buckets;
    const buckets = new StaticArray<LabelSet | null>(old.length << 1);
    const mask = <u32>(buckets.length - 1);
    for (let i = 0, n = old.length; i < n; i++) {
      let entry: LabelSet | null = unchecked(old[i]);
      while (entry !== null) {
        const next = entry.next;
        const bucket = entry.hash & mask;
        entry.next = unchecked(buckets[bucket]);
        unchecked(buckets[bucket] = entry);
        entry = next;
      }
    }
    this.buckets = buckets;
    return buckets;
  }
}

function sameValues(a: string[], b: string[]): bool {
  const n = a.length;
  if (n != b.length) return false;
  for (let i = 0; i < n; i++) {
    const x = unchecked(a[i]);
    const y = unchecked(b[i]);
    // Repeated label sets mostly hold the very same strings: skip the call for those.
    if (changetype<usize>(x) != changetype<usize>(y) && x != y) return false;
  }
  return true;
}

function sameOptionalValues(a: string[] | null, b: string[] | null): bool {
  if (a === null || b === null) return a === b;
  return sameValues(a, b);
}

/** 32-bit multiplicative hash over the UTF-16 units of every value, the length of each separating them. */
export function hashLabelSet(labels: string[], expressions: string[] | null): u32 {
  let hash = hashValues(0x811C9DC5, labels);
  return expressions === null ? hash : hashValues(hash ^ 0xA5A5, expressions);
}

function hashValues(seed: u32, values: string[]): u32 {
  let hash = seed;
  for (let i = 0, n = values.length; i < n; i++) {
    const value = unchecked(values[i]);
    const bytes = <usize>value.length << 1;
    hash = mix(hash, <u32>bytes);
    const start = changetype<usize>(value);
    const words = start + (bytes & ~<usize>3);
    let at = start;
    for (; at < words; at += 4) hash = mix(hash, load<u32>(at));
    if (at < start + bytes) hash = mix(hash, <u32>load<u16>(at));
  }
  return hash ^ (hash >> 16);
}

// @ts-ignore: decorator
@inline function mix(hash: u32, word: u32): u32 {
  return rotl<u32>((hash ^ word) * 0x9E3779B1, 13);
}
