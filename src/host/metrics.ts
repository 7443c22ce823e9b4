/**
 * The metrics registry of a host, with Envoy's rules (envoy
 * source/extensions/common/wasm/context.cc `defineMetric`, `incrementMetric`,
 * `recordMetric`, `getMetric`):
 * - a defined metric is the stat `wasmcustom.<name>`; the same type and name map to the same stat;
 * - increment: counter needs delta > 0, gauge adds (or subtracts), histogram is BadArgument;
 * - record: counter adds, gauge sets, histogram records the value;
 * - get: histogram is BadArgument;
 * - an unknown metric id is NotFound.
 * Values are kept as u64 (bigint), like Envoy's stats.
 */
import { MetricType, Status } from "./abi.js";

/** Envoy's default histogram bucket bounds (source/common/stats/histogram_impl.cc `defaultBuckets`). */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/** The namespace Envoy puts in front of every metric a Wasm module defines. */
export const WASM_STAT_PREFIX = "wasmcustom.";

/**
 * Tags embedded in a name as `<tag>=.=<value>;.;` (the C++ SDK's
 * `MetricBase::prefixWithFields`, cut out by Istio's bootstrap regex `(<tag>=\.=(.*?);\.;)`).
 */
const EMBEDDED_TAG = /([A-Za-z_][A-Za-z0-9_]*)=\.=(.*?);\.;/g;

export interface Metric {
  /** Registry-wide id (what the module gets back from proxy_define_metric). */
  readonly id: number;
  readonly type: MetricType;
  /** The name as the module defined it, e.g. `reporter=.=dst;.;my_total`. */
  readonly definedName: string;
  /** The Envoy stat name, `wasmcustom.` + definedName. */
  readonly statName: string;
  /** The tag-extracted name without the `wasmcustom.` namespace, e.g. `my_total`. */
  readonly name: string;
  /** Extracted tags, in the order they appear, e.g. `{ reporter: "dst" }`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Counter/gauge value. */
  value: bigint;
  /** Histogram samples, in recording order. */
  readonly samples: bigint[];
  /** Histogram bucket upper bounds. */
  readonly buckets: readonly number[];
}

/** A histogram snapshot in the cumulative-bucket form Prometheus uses. */
export interface HistogramSnapshot {
  count: number;
  sum: number;
  buckets: { le: number; count: number }[];
}

/** Splits a stat name into its tag-extracted name and tags. */
export function extractTags(definedName: string): { name: string; tags: Record<string, string> } {
  const tags: Record<string, string> = {};
  const name = definedName.replace(EMBEDDED_TAG, (_whole, tag: string, value: string) => {
    tags[tag] = value;
    return "";
  });
  return { name, tags };
}

// Envoy keeps the metric type in the low bits of the id (context.cc `kMetricTypeMask`).
const TYPE_BITS = 2;

export class MetricRegistry {
  private readonly byId = new Map<number, Metric>();
  private readonly byKey = new Map<string, Metric>();
  private nextSequence = 1;

  constructor(private readonly bucketsFor: (statName: string) => readonly number[] = () => DEFAULT_HISTOGRAM_BUCKETS) {}

  /** proxy_define_metric. Returns the id or a Status (BadArgument for an unknown type). */
  define(type: number, definedName: string): { status: Status; id: number } {
    if (type !== MetricType.Counter && type !== MetricType.Gauge && type !== MetricType.Histogram) {
      return { status: Status.BadArgument, id: 0 };
    }
    const key = `${type}:${definedName}`;
    const existing = this.byKey.get(key);
    if (existing) return { status: Status.Ok, id: existing.id };
    const id = (this.nextSequence++ << TYPE_BITS) | type;
    const statName = WASM_STAT_PREFIX + definedName;
    const { name, tags } = extractTags(definedName);
    const metric: Metric = {
      id, type, definedName, statName, name, tags, value: 0n, samples: [],
      buckets: type === MetricType.Histogram ? this.bucketsFor(statName) : [],
    };
    this.byId.set(id, metric);
    this.byKey.set(key, metric);
    return { status: Status.Ok, id };
  }

  increment(id: number, delta: bigint): Status {
    const metric = this.byId.get(id);
    if (!metric) return Status.NotFound;
    switch (metric.type) {
      case MetricType.Counter:
        if (delta <= 0n) return Status.BadArgument;
        metric.value = BigInt.asUintN(64, metric.value + delta);
        return Status.Ok;
      case MetricType.Gauge:
        metric.value = BigInt.asUintN(64, metric.value + delta);
        return Status.Ok;
      default:
        return Status.BadArgument;
    }
  }

  record(id: number, value: bigint): Status {
    const metric = this.byId.get(id);
    if (!metric) return Status.NotFound;
    const v = BigInt.asUintN(64, value);
    switch (metric.type) {
      case MetricType.Counter:
        metric.value = BigInt.asUintN(64, metric.value + v);
        return Status.Ok;
      case MetricType.Gauge:
        metric.value = v;
        return Status.Ok;
      default:
        metric.samples.push(v);
        return Status.Ok;
    }
  }

  get(id: number): { status: Status; value: bigint } {
    const metric = this.byId.get(id);
    if (!metric) return { status: Status.NotFound, value: 0n };
    if (metric.type === MetricType.Histogram) return { status: Status.BadArgument, value: 0n };
    return { status: Status.Ok, value: metric.value };
  }

  /** Every metric, in definition order. */
  list(): Metric[] {
    return [...this.byId.values()];
  }

  /**
   * Finds a metric by the module's defined name, its stat name, or its
   * tag-extracted name (then `tags`, if given, must match exactly).
   */
  find(type: MetricType, name: string, tags?: Record<string, string>): Metric | undefined {
    for (const metric of this.byId.values()) {
      if (metric.type !== type) continue;
      if (metric.definedName === name || metric.statName === name) return metric;
      if (metric.name === name && (!tags || sameTags(metric.tags, tags))) return metric;
    }
    return undefined;
  }

  /** Cumulative bucket counts of a histogram. */
  histogramSnapshot(metric: Metric): HistogramSnapshot {
    const values = metric.samples.map(Number);
    return {
      count: values.length,
      sum: values.reduce((a, b) => a + b, 0),
      buckets: metric.buckets.map((le) => ({ le, count: values.filter((v) => v <= le).length })),
    };
  }
}

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k) => a[k] === b[k]);
}
