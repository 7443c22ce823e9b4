// A real Prometheus scrapes the host's admin server while requests go through a stats filter in the host.
// Needs the `prometheus` binary (.ci/run installs it); outside CI the test is skipped when it is missing.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { ProxyHost, type Plugin } from "../../src/host/index.js";
import { startAdminServer, type AdminServer } from "../../src/telemetry/admin-server.js";

const PROMETHEUS = "prometheus";
const hasPrometheus = spawnSync(PROMETHEUS, ["--version"], { stdio: "ignore" }).status === 0;
if (!hasPrometheus && process.env.CI) {
  throw new Error("prometheus is not installed but CI is set: .ci/run must install it (apt-get install -y prometheus)");
}
if (!hasPrometheus) console.warn("prometheus-e2e: skipped, the `prometheus` binary is not on PATH (apt-get install -y prometheus)");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value, or fails after `timeoutMs` with the last observation. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

describe.skipIf(!hasPrometheus)("Prometheus scrapes the host's /stats/prometheus", () => {
  let workDir: string;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let prometheusLog = "";
  let admin: AdminServer;
  let host: ProxyHost;
  let plugin: Plugin;

  async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== "success") throw new Error(`query ${promql} failed: ${JSON.stringify(body)}`);
    return body.data.result;
  }

  async function scalar(promql: string): Promise<number | undefined> {
    const result = await query(promql);
    return result.length === 1 ? Number(result[0].value[1]) : undefined;
  }

  // The request takes `durationMs` on the host's manual clock; the stats filter measures it.
  function request(status: number, durationMs: number): void {
    const stream = plugin.newHttpContext();
    stream.callOnRequestHeaders({ ":method": "GET", ":path": "/reviews", ":authority": "reviews.default.svc.cluster.local:9080" }, true);
    host.advanceTime(durationMs);
    stream.callOnResponseHeaders({ ":status": String(status) }, true);
    stream.complete();
  }

  beforeAll(async () => {
    // The real stats filter, as `npm run build` makes it, in an inbound (reporter=destination) listener.
    const wasm = join("build", "test", "telemetry-stats.wasm");
    await compileAssemblyScript("assembly/filters/stats/index.ts", wasm);
    host = new ProxyHost();
    plugin = await host.startPlugin({
      wasm,
      name: "stats-inbound",
      pluginConfig: {},
      properties: {
        "xds.listener_direction": 1,
        "xds.node.metadata.WORKLOAD_NAME": "reviews-v1",
        "xds.node.metadata.NAMESPACE": "default",
        "xds.node.metadata.CLUSTER_ID": "Kubernetes",
      },
    });
    admin = await startAdminServer({ stats: host });

    workDir = mkdtempSync(join(tmpdir(), "wasmixer-prometheus-"));
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: wasmixer",
      "    metrics_path: /stats/prometheus",
      "    static_configs:",
      `      - targets: ["127.0.0.1:${admin.port}"]`,
      "",
    ].join("\n");
    writeFileSync(join(workDir, "prometheus.yml"), config);
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [`--config.file=${join(workDir, "prometheus.yml")}`, `--storage.tsdb.path=${join(workDir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const collect = (chunk: Buffer) => {
      prometheusLog = (prometheusLog + chunk.toString()).slice(-4000);
    };
    prometheus.stdout?.on("data", collect);
    prometheus.stderr?.on("data", collect);
    await waitFor("Prometheus to be ready", 30_000, async () => {
      if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${prometheusLog}`);
      const response = await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(2000) });
      return response.ok ? true : undefined;
    });
  }, 90_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise<void>((resolve) => prometheus!.once("exit", () => resolve()));
      prometheus.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (prometheus.exitCode === null) prometheus.kill("SIGKILL");
    }
    await admin?.close();
    host?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("counts requests by reporter and response code, and histogram_quantile lands in the expected bucket", async () => {
    // One request first, scraped on its own: rate() over the histogram then sees only the main batch's increase.
    request(200, 1);
    await waitFor("the first scrape of the warm-up request", 30_000, async () =>
      (await scalar('sum(istio_request_duration_milliseconds_count{reporter="destination"})')) === 1 ? true : undefined,
    );

    const durations = [30, 40, 60, 70, 80, 90, 120, 150, 200, 260];
    durations.forEach((duration, index) => request(index < 7 ? 200 : 503, duration));

    const ok = await waitFor("all 200 responses to be scraped", 30_000, async () => {
      const value = await scalar('sum(istio_requests_total{reporter="destination",response_code="200"})');
      return value === 8 ? value : undefined;
    });
    expect(ok).toBe(8);
    expect(await scalar('sum(istio_requests_total{reporter="destination",response_code="503"})')).toBe(3);
    expect(await scalar('sum(istio_requests_total{reporter="source"})')).toBeUndefined();

    // Default Envoy buckets: 2 samples <= 50, 6 <= 100, so the median (5th of 10) lies in (50, 100].
    const median = await waitFor("a histogram_quantile over two scrapes", 30_000, async () => {
      const value = await scalar("histogram_quantile(0.5, sum(rate(istio_request_duration_milliseconds_bucket[1m])) by (le))");
      return value !== undefined && Number.isFinite(value) ? value : undefined;
    });
    expect(median).toBeGreaterThan(50);
    expect(median).toBeLessThanOrEqual(100);
    const buckets = await query('istio_request_duration_milliseconds_bucket{reporter="destination"}');
    expect(buckets.map((sample) => sample.metric.le)).toContain("3600000");
    const labels = (await query('istio_requests_total{reporter="destination",response_code="200"}'))[0]!.metric;
    expect(labels).toMatchObject({
      destination_workload: "reviews-v1", destination_workload_namespace: "default", destination_cluster: "Kubernetes",
      source_workload: "unknown", response_flags: "-", request_protocol: "http",
    });
  }, 120_000);
});
