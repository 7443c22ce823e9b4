import { describe, expect, it } from "vitest";
import { istioBootstrapStatsTags, TagExtractor, translateEnvoyRegex } from "../../src/telemetry/stats-tags.js";

describe("TagExtractor", () => {
  it("cuts group 1 out of the full name and takes group 2 as the value (Istio extra stat tags)", () => {
    const extractor = new TagExtractor(istioBootstrapStatsTags(["reporter", "source_workload"]));
    const { name, tags } = extractor.extract("wasmcustom.reporter=.=destination;.;source_workload=.=productpage-v1;.;istio_requests_total");
    expect(name).toBe("wasmcustom.istio_requests_total");
    expect(tags).toEqual({ reporter: "destination", source_workload: "productpage-v1" });
  });

  it("leaves tags without a rule in the name", () => {
    const extractor = new TagExtractor(istioBootstrapStatsTags(["reporter"]));
    const { name, tags } = extractor.extract("wasmcustom.reporter=.=source;.;custom=.=x;.;my_total");
    expect(name).toBe("wasmcustom.custom=.=x;.;my_total");
    expect(tags).toEqual({ reporter: "source" });
  });

  it("keeps empty tag values", () => {
    const extractor = new TagExtractor(istioBootstrapStatsTags(["source_version"]));
    expect(extractor.extract("wasmcustom.source_version=.=;.;x").tags).toEqual({ source_version: "" });
  });

  it("runs Envoy's POSIX-class rules from Istio's bootstrap", () => {
    const extractor = new TagExtractor(istioBootstrapStatsTags([]));
    expect(extractor.extract("http.10.1.2.3_8080.downstream_rq_total")).toEqual({
      name: "http.downstream_rq_total",
      tags: { http_conn_manager_prefix: "10.1.2.3_8080" },
    });
    expect(extractor.extract("cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_200")).toEqual({
      name: "cluster.upstream_rq",
      tags: { cluster_name: "outbound|9080||reviews.default.svc.cluster.local", response_code: "200" },
    });
  });

  it("uses group 1 as the value when the regex has one group, and supports fixed values", () => {
    const extractor = new TagExtractor([{ tag_name: "shard", regex: "\\.shard_(\\d+)" }, { tag_name: "mesh", fixed_value: "m1" }]);
    expect(extractor.extract("a.shard_7.b")).toEqual({ name: "a.shard_.b", tags: { shard: "7", mesh: "m1" } });
  });

  it("rejects an invalid regex naming the tag", () => {
    expect(() => new TagExtractor([{ tag_name: "bad", regex: "(" }])).toThrow(/stats tag "bad"/);
  });

  it("translates POSIX bracket classes", () => {
    expect(translateEnvoyRegex("[_.[:digit:]]*")).toBe("[_.0-9]*");
  });
});
