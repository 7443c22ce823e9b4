// Counter, Gauge and Histogram with tags encoded as `<tag>=.=<value>;.;` (module test/modules/sdk-metrics).
import { beforeEach, describe, expect, it } from "vitest";
import { ProxyHost, Status, extractTags, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

let host: ProxyHost;
let plugin: Plugin;

beforeEach(async () => {
  host = new ProxyHost();
  plugin = await host.startPlugin({ wasm: testModule("sdk-metrics") });
});

function run(method: string, path: string, body?: string, extra: Record<string, string> = {}) {
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders({ ":method": method, ":path": path, ":authority": "a", ...extra }, body === undefined);
  if (body !== undefined) http.callOnRequestBody(body, true);
  http.callOnResponseHeaders({ ":status": "200" });
  return http;
}

const rawNames = () => host.listMetrics().map((m) => m.statName).sort();

describe("metric names", () => {
  it("prefixes the base name with each tag in declaration order", () => {
    run("GET", "/api/users");
    expect(rawNames()).toEqual([
      "wasmcustom.kind=.=api;.;sdk_active_streams",
      "wasmcustom.method=.=GET;.;kind=.=api;.;sdk_requests_total",
      "wasmcustom.sdk_plain_total",
    ]);
  });

  it("gives the name tags Envoy's stats_tags regexes extract", () => {
    const http = run("POST", "/index.html");
    const raw = "method=.=POST;.;kind=.=web;.;sdk_requests_total";
    expect(http.getResponseHeader("x-name")).toBe(raw);
    expect(extractTags(raw)).toEqual({ name: "sdk_requests_total", tags: { method: "POST", kind: "web" } });
    // The regex Istio's bootstrap adds per extra stat tag.
    const istio = /(method=\.=(.*?);\.;)/.exec(`wasmcustom.${raw}`)!;
    expect(istio[2]).toBe("POST");
    expect(`wasmcustom.${raw}`.replace(istio[1]!, "")).toBe("wasmcustom.kind=.=web;.;sdk_requests_total");
  });
});

describe("counters", () => {
  it("count per tag combination", () => {
    run("GET", "/api/a");
    run("GET", "/api/b");
    const last = run("GET", "/web");
    run("POST", "/api/c");
    expect(host.getCounter("sdk_requests_total", { method: "GET", kind: "api" })).toBe(2n);
    expect(host.getCounter("sdk_requests_total", { method: "GET", kind: "web" })).toBe(1n);
    expect(host.getCounter("sdk_requests_total", { method: "POST", kind: "api" })).toBe(1n);
    expect(host.getCounter("sdk_plain_total")).toBe(8n);
    expect(last.getResponseHeader("x-requests")).toBe("1");
  });

  it("report the host's refusal of a zero increment", () => {
    const http = run("GET", "/", undefined, { "x-delta": "0" });
    expect(http.getRequestHeader("x-increment-status")).toBe(String(Status.BadArgument));
    expect(host.getCounter("sdk_plain_total")).toBe(2n);
  });
});

describe("gauges and histograms", () => {
  it("track active streams", () => {
    const first = run("GET", "/api/1");
    const second = run("GET", "/api/2");
    expect(second.getResponseHeader("x-active")).toBe("2");
    first.complete();
    expect(host.getGauge("sdk_active_streams", { kind: "api" })).toBe(1n);
    second.complete();
    expect(host.getGauge("sdk_active_streams", { kind: "api" })).toBe(0n);
  });

  it("record samples", () => {
    run("PUT", "/api/x", "12345");
    run("PUT", "/api/y", "1234567");
    expect(host.getHistogram("sdk_body_bytes", { method: "PUT" })?.samples).toEqual([5n, 7n]);
  });
});
