import { describe, expect, it } from "vitest";
import { prometheusLabelName, prometheusMetricName, sanitizeName } from "../../src/telemetry/prometheus-names.js";

describe("prometheusMetricName", () => {
  it("strips the registered wasmcustom namespace without adding envoy_", () => {
    expect(prometheusMetricName("wasmcustom.istio_requests_total")).toBe("istio_requests_total");
  });
  it("prefixes other stats with envoy_ and sanitizes them", () => {
    expect(prometheusMetricName("cluster.upstream_rq")).toBe("envoy_cluster_upstream_rq");
    expect(prometheusMetricName("wasmcustomer.x")).toBe("envoy_wasmcustomer_x");
  });
  it("drops a custom-namespace metric starting with a digit", () => {
    expect(prometheusMetricName("wasmcustom.9lives")).toBeUndefined();
  });
  it("sanitizes invalid characters to _", () => {
    expect(sanitizeName("a.b-c=d;e")).toBe("a_b_c_d_e");
    expect(prometheusMetricName("wasmcustom.my-metric.count")).toBe("my_metric_count");
  });
  it("refuses label names that cannot start a Prometheus label", () => {
    expect(prometheusLabelName("source.app")).toBe("source_app");
    expect(prometheusLabelName("1tag")).toBeUndefined();
  });
});
