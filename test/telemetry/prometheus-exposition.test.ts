import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { MetricRegistry, MetricType } from "../../src/host/index.js";
import { histogramBucketResolver } from "../../src/telemetry/histogram-buckets.js";
import { PrometheusExposition } from "../../src/telemetry/prometheus-exposition.js";
import { istioBootstrapStatsTags } from "../../src/telemetry/stats-tags.js";

const REQUESTS = "reporter=.=destination;.;response_code=.=200;.;istio_requests_total";

function promtoolAvailable(): boolean {
  try {
    execFileSync("promtool", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("PrometheusExposition", () => {
  it("renders counters with the tags Istio's bootstrap extracts", async () => {
    const registry = new MetricRegistry();
    const ok = registry.define(MetricType.Counter, REQUESTS).id;
    const failed = registry.define(MetricType.Counter, "reporter=.=destination;.;response_code=.=503;.;istio_requests_total").id;
    registry.increment(ok, 3n);
    registry.increment(failed, 1n);
    const text = await new PrometheusExposition().render(registry.list());
    expect(text).toContain("# TYPE istio_requests_total counter");
    expect(text).toContain('istio_requests_total{reporter="destination",response_code="200"} 3');
    expect(text).toContain('istio_requests_total{reporter="destination",response_code="503"} 1');
    expect(text).not.toContain("envoy_");
  });

  it("keeps unextracted tags in the (sanitized) name when the tag has no stats_tags rule", async () => {
    const registry = new MetricRegistry();
    registry.increment(registry.define(MetricType.Counter, REQUESTS).id, 1n);
    const text = await new PrometheusExposition({ statsTags: istioBootstrapStatsTags(["reporter"]) }).render(registry.list());
    expect(text).toContain('response_code___200___istio_requests_total{reporter="destination"} 1');
  });

  it("renders gauges and skips names that would start with a digit", async () => {
    const registry = new MetricRegistry();
    registry.record(registry.define(MetricType.Gauge, "active_streams").id, 7n);
    registry.record(registry.define(MetricType.Gauge, "1bad").id, 1n);
    const text = await new PrometheusExposition().render(registry.list());
    expect(text).toContain("# TYPE active_streams gauge\nactive_streams 7");
    expect(text).not.toContain("1bad");
  });

  it("renders histograms as cumulative buckets with the per-stat bucket settings, sum and count", async () => {
    const registry = new MetricRegistry(histogramBucketResolver([{ match: { prefix: "wasmcustom.reporter=.=destination" }, buckets: [10, 100] }]));
    const id = registry.define(MetricType.Histogram, "reporter=.=destination;.;istio_request_duration_milliseconds").id;
    for (const value of [5n, 50n, 60n, 500n]) registry.record(id, value);
    const text = await new PrometheusExposition().render(registry.list());
    expect(text).toContain('istio_request_duration_milliseconds_bucket{le="10",reporter="destination"} 1');
    expect(text).toContain('istio_request_duration_milliseconds_bucket{le="100",reporter="destination"} 3');
    expect(text).toContain('istio_request_duration_milliseconds_bucket{le="+Inf",reporter="destination"} 4');
    expect(text).toContain('istio_request_duration_milliseconds_sum{reporter="destination"} 615');
    expect(text).toContain('istio_request_duration_milliseconds_count{reporter="destination"} 4');
  });

  it("uses Envoy's default buckets and shows histograms without samples", async () => {
    const registry = new MetricRegistry();
    registry.define(MetricType.Histogram, "reporter=.=source;.;istio_request_bytes");
    const text = await new PrometheusExposition().render(registry.list());
    expect(text).toContain('istio_request_bytes_bucket{le="0.5",reporter="source"} 0');
    expect(text).toContain('istio_request_bytes_bucket{le="3600000",reporter="source"} 0');
    expect(text).toContain('istio_request_bytes_count{reporter="source"} 0');
  });

  it("leaves out a stat whose name already belongs to a family of another type", async () => {
    const registry = new MetricRegistry();
    registry.increment(registry.define(MetricType.Counter, "reporter=.=source;.;clash").id, 2n);
    registry.record(registry.define(MetricType.Gauge, "reporter=.=destination;.;clash").id, 9n);
    const text = await new PrometheusExposition().render(registry.list());
    expect(text.match(/# TYPE clash /g)).toHaveLength(1);
    expect(text).toContain('clash{reporter="source"} 2');
    expect(text).not.toContain('clash{reporter="destination"}');
  });

  it.skipIf(!promtoolAvailable())("produces output promtool accepts", async () => {
    const registry = new MetricRegistry();
    registry.increment(registry.define(MetricType.Counter, REQUESTS).id, 2n);
    registry.record(registry.define(MetricType.Histogram, "reporter=.=source;.;istio_request_bytes").id, 12n);
    registry.record(registry.define(MetricType.Gauge, "reporter=.=source;.;active_connections").id, 3n);
    const text = await new PrometheusExposition().render(registry.list());
    // promtool exits non-zero on parse errors and on lint problems (hence no "milliseconds" metric here).
    const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });
});
