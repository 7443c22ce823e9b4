import { describe, expect, it } from "vitest";
import { DEFAULT_HISTOGRAM_BUCKETS, MetricRegistry, MetricType } from "../../src/host/index.js";
import { compileStringMatcher, histogramBucketResolver } from "../../src/telemetry/histogram-buckets.js";

describe("histogramBucketResolver", () => {
  const resolve = histogramBucketResolver([
    { match: { prefix: "wasmcustom.reporter=.=destination;.;" }, buckets: [100, 1, 10] },
    { match: { safe_regex: { regex: ".*_bytes" } }, buckets: [1024] },
  ]);

  it("matches the full stat name, tags and namespace included, first setting wins, buckets sorted", () => {
    expect(resolve("wasmcustom.reporter=.=destination;.;istio_request_duration_milliseconds")).toEqual([1, 10, 100]);
    expect(resolve("wasmcustom.reporter=.=source;.;istio_request_bytes")).toEqual([1024]);
  });

  it("keeps Envoy's defaults when nothing matches; a safe_regex must match the whole name", () => {
    expect(resolve("wasmcustom.reporter=.=source;.;istio_request_duration_milliseconds")).toBe(DEFAULT_HISTOGRAM_BUCKETS);
    expect(resolve("wasmcustom.istio_request_bytes_x")).toBe(DEFAULT_HISTOGRAM_BUCKETS);
  });

  it("plugs into the host's metric registry", () => {
    const registry = new MetricRegistry(resolve);
    const { id } = registry.define(MetricType.Histogram, "reporter=.=destination;.;latency");
    registry.record(id, 5n);
    expect(registry.histogramSnapshot(registry.list()[0]).buckets).toEqual([{ le: 1, count: 0 }, { le: 10, count: 1 }, { le: 100, count: 1 }]);
  });

  it("rejects settings Envoy rejects", () => {
    expect(() => histogramBucketResolver([{ match: { exact: "x" }, buckets: [] }])).toThrow(/must not be empty/);
    expect(() => histogramBucketResolver([{ match: { exact: "x" }, buckets: [0] }])).toThrow(/above 0/);
    expect(() => histogramBucketResolver([{ match: { exact: "x" }, buckets: [1, 1] }])).toThrow(/unique/);
    expect(() => histogramBucketResolver([{ match: { exact: "x", prefix: "y" }, buckets: [1] }])).toThrow(/exactly one/);
  });

  it("supports every matcher kind", () => {
    expect(compileStringMatcher({ suffix: "_ms" })("a_ms")).toBe(true);
    expect(compileStringMatcher({ contains: "dur", ignore_case: true })("A_DURATION")).toBe(true);
    expect(compileStringMatcher({ exact: "a" })("ab")).toBe(false);
  });
});
