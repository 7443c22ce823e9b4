import { afterEach, describe, expect, it } from "vitest";
import { MetricRegistry, MetricType } from "../../src/host/index.js";
import { startAdminServer, type AdminServer } from "../../src/telemetry/admin-server.js";

describe("startAdminServer", () => {
  let server: AdminServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function stats(): { listMetrics: () => ReturnType<MetricRegistry["list"]>; registry: MetricRegistry } {
    const registry = new MetricRegistry();
    return { registry, listMetrics: () => registry.list() };
  }

  it("serves /stats/prometheus, /stats and /ready on 127.0.0.1 with an ephemeral port", async () => {
    const source = stats();
    server = await startAdminServer({ stats: source });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    // Metrics defined after the server started must show: every scrape reads the registry anew.
    source.registry.increment(source.registry.define(MetricType.Counter, "reporter=.=source;.;istio_requests_total").id, 4n);

    const prometheus = await fetch(`${server.url}/stats/prometheus`);
    expect(prometheus.status).toBe(200);
    expect(prometheus.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await prometheus.text()).toContain('istio_requests_total{reporter="source"} 4');

    const plain = await fetch(`${server.url}/stats`);
    expect(await plain.text()).toBe("wasmcustom.reporter=.=source;.;istio_requests_total: 4\n");
    expect(await (await fetch(`${server.url}/stats?format=prometheus`)).text()).toContain("# TYPE istio_requests_total counter");

    const ready = await fetch(`${server.url}/ready`);
    expect([ready.status, await ready.text()]).toEqual([200, "LIVE\n"]);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/stats`, { method: "POST" })).status).toBe(405);
  });

  it("shows histogram quantiles in the plain listing", async () => {
    const source = stats();
    const id = source.registry.define(MetricType.Histogram, "latency").id;
    source.registry.define(MetricType.Histogram, "unused");
    for (const v of [10n, 20n, 30n]) source.registry.record(id, v);
    server = await startAdminServer({ stats: source });
    const text = await (await fetch(`${server.url}/stats`)).text();
    expect(text).toContain("wasmcustom.latency: P0(10,10) P25(15,15) P50(20,20)");
    expect(text).toContain("wasmcustom.unused: No recorded values");
  });
});
