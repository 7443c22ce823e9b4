import { describe, expect, it } from "vitest";
import { MetricType, Status } from "../../src/host/abi.js";
import { DEFAULT_HISTOGRAM_BUCKETS, extractTags, MetricRegistry } from "../../src/host/metrics.js";

describe("MetricRegistry (Envoy rules)", () => {
  it("counter: increment must be > 0, record adds, same name gives the same id", () => {
    const r = new MetricRegistry();
    const { id } = r.define(MetricType.Counter, "c");
    expect(r.define(MetricType.Counter, "c").id).toBe(id);
    expect(r.increment(id, 0n)).toBe(Status.BadArgument);
    expect(r.increment(id, -2n)).toBe(Status.BadArgument);
    expect(r.increment(id, 3n)).toBe(Status.Ok);
    expect(r.record(id, 4n)).toBe(Status.Ok);
    expect(r.get(id)).toEqual({ status: Status.Ok, value: 7n });
  });

  it("gauge: increment adds or subtracts, record sets", () => {
    const r = new MetricRegistry();
    const { id } = r.define(MetricType.Gauge, "g");
    r.record(id, 10n);
    r.increment(id, -4n);
    expect(r.get(id).value).toBe(6n);
  });

  it("histogram: increment and get are BadArgument, record keeps samples with Envoy's default buckets", () => {
    const r = new MetricRegistry();
    const { id } = r.define(MetricType.Histogram, "h");
    expect(r.increment(id, 1n)).toBe(Status.BadArgument);
    expect(r.get(id).status).toBe(Status.BadArgument);
    r.record(id, 3n);
    r.record(id, 30n);
    const metric = r.list()[0]!;
    expect(metric.buckets).toEqual(DEFAULT_HISTOGRAM_BUCKETS);
    const snap = r.histogramSnapshot(metric);
    expect(snap.count).toBe(2);
    expect(snap.sum).toBe(33);
    expect(snap.buckets.find((b) => b.le === 5)!.count).toBe(1);
    expect(snap.buckets.find((b) => b.le === 50)!.count).toBe(2);
  });

  it("unknown ids are NotFound and unknown types BadArgument", () => {
    const r = new MetricRegistry();
    expect(r.increment(12345, 1n)).toBe(Status.NotFound);
    expect(r.define(9, "x").status).toBe(Status.BadArgument);
  });

  it("extracts embedded tags and finds metrics by extracted name + tags", () => {
    expect(extractTags("reporter=.=dst;.;source=.=a.b;.;my_total")).toEqual({ name: "my_total", tags: { reporter: "dst", source: "a.b" } });
    const r = new MetricRegistry();
    const { id } = r.define(MetricType.Counter, "reporter=.=dst;.;my_total");
    r.define(MetricType.Counter, "reporter=.=src;.;my_total");
    r.increment(id, 5n);
    const m = r.find(MetricType.Counter, "my_total", { reporter: "dst" })!;
    expect(m.value).toBe(5n);
    expect(m.statName).toBe("wasmcustom.reporter=.=dst;.;my_total");
    expect(r.find(MetricType.Counter, "my_total", { reporter: "src" })!.value).toBe(0n);
    expect(r.find(MetricType.Counter, "wasmcustom.reporter=.=dst;.;my_total")!.id).toBe(id);
  });
});
