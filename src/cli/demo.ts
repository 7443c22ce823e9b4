import { existsSync, readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { compileWorkloadPlans } from "../config/compile-plans.js";
import { loadMeshConfig } from "../config/load-mesh-config.js";
import type { FilterPlan } from "../config/workload-plan.js";
import { ProxyHost } from "../host/index.js";
import { PrometheusExposition } from "../telemetry/prometheus-exposition.js";
import { istioBootstrapStatsTags } from "../telemetry/stats-tags.js";

const CONFIG_DIR = "examples/bookinfo";
const CLIENT = { namespace: "default", name: "productpage-v1" };

type Write = (line?: string) => void;

/**
 * `wasmixer demo`: the local data plane end to end, in the embedded host.
 * 1. the hello filter on one request;
 * 2. examples/bookinfo compiled into productpage-v1's plan; its router and stats filters loaded with the
 *    plan's configuration; requests to reviews routed (header match, 75/25 split) and counted;
 * 3. the metrics as Prometheus scrapes them from /stats/prometheus;
 * 4. productpage's inbound jwt and rbac filters (examples/bookinfo/security.yaml) on Istio's sample tokens.
 */
export async function runDemo(args: string[], out: Writable): Promise<number> {
  const buildDir = flag(args, "--build-dir") ?? "build";
  for (const module of ["hello", "router", "stats", "jwt", "rbac"]) {
    if (!existsSync(`${buildDir}/${module}.wasm`)) throw new Error(`${buildDir}/${module}.wasm: no such module (run npm run build first)`);
  }
  const write: Write = (line = "") => out.write(`${line}\n`);
  await helloStep(buildDir, write);
  await bookinfoStep(buildDir, write);
  await securityStep(buildDir, write);
  return 0;
}

async function helloStep(buildDir: string, write: Write): Promise<void> {
  const host = new ProxyHost();
  const plugin = await host.startPlugin({ wasm: `${buildDir}/hello.wasm`, name: "hello", pluginConfig: "x-wasmixer: hello from wasmixer" });
  const stream = plugin.newHttpContext();
  stream.callOnRequestHeaders({ ":method": "GET", ":path": "/productpage", ":authority": "bookinfo.local" }, true);
  stream.callOnResponseHeaders({ ":status": "200", "content-type": "text/html" });
  stream.complete();
  write(`1. hello filter (${buildDir}/hello.wasm) in the embedded proxy-wasm host (ABI 0.2.1)`);
  write(`   response headers as the filter left them: ${stream.responseHeaders.map(([k, v]) => `${k}: ${v}`).join(", ")}`);
  for (const metric of host.listMetrics()) write(`   ${metric.name}${formatTags(metric.tags)} = ${metric.value}`);
}

async function bookinfoStep(buildDir: string, write: Write): Promise<void> {
  const { plans } = compileWorkloadPlans(loadMeshConfig(CONFIG_DIR));
  const plan = plans.find((p) => p.workload.namespace === CLIENT.namespace && p.workload.name === CLIENT.name);
  if (!plan) throw new Error(`${CONFIG_DIR} has no workload ${CLIENT.namespace}/${CLIENT.name}`);
  const outbound = (name: string): FilterPlan => {
    const filter = plan.filters.find((f) => f.name === name || (f.name.startsWith(name) && f.mode !== "SERVER" && f.type !== "NETWORK"));
    if (!filter) throw new Error(`the plan for ${CLIENT.name} has no ${name} filter`);
    return filter;
  };
  write();
  write(`2. ${CONFIG_DIR} -> plan for ${CLIENT.namespace}/${CLIENT.name}: ${plan.filters.map((f) => `${f.name} (${f.phase}, ${f.mode})`).join(", ")}`);

  const host = new ProxyHost();
  const node = {
    "xds.listener_direction": 2,
    "xds.node.metadata.WORKLOAD_NAME": CLIENT.name,
    "xds.node.metadata.NAMESPACE": CLIENT.namespace,
    "xds.node.metadata.CLUSTER_ID": "Kubernetes",
    "xds\0node\0metadata\0LABELS\0app": "productpage",
    "xds\0node\0metadata\0LABELS\0version": "v1",
  };
  const routerPlan = outbound("router");
  const statsPlan = outbound("stats");
  const router = await host.startPlugin({ wasm: `${buildDir}/router.wasm`, name: routerPlan.name, rootId: "router", pluginConfig: routerPlan.config, properties: node });
  const stats = await host.startPlugin({ wasm: `${buildDir}/stats.wasm`, name: statsPlan.name, rootId: "stats", pluginConfig: statsPlan.config, properties: node });
  const clusterHeader = routerPlan.clusterHeaderRouting?.header ?? "x-wasmixer-cluster";

  const chosen = new Map<string, number>();
  const users = ["jason", "", "", "", "", "", "", "", "", "", "", ""];
  for (let i = 0; i < 200; i++) {
    const user = users[i % users.length]!;
    const request: [string, string][] = [[":method", "GET"], [":path", "/reviews/0"], [":authority", "reviews:9080"], [":scheme", "http"]];
    if (user) request.push(["end-user", user]);
    // Filter chain order: stats and router see the request; the upstream answers; both see the response.
    const statsStream = stats.newHttpContext();
    const routerStream = router.newHttpContext();
    routerStream.callOnRequestHeaders(request, true);
    const routedHeaders = routerStream.requestHeaders;
    statsStream.callOnRequestHeaders(routedHeaders, true);
    const cluster = routedHeaders.find(([k]) => k === clusterHeader)?.[1] ?? routerStream.localResponse?.status.toString() ?? "none";
    chosen.set(`${user ? "end-user: jason" : "anonymous"} -> ${cluster}`, (chosen.get(`${user ? "end-user: jason" : "anonymous"} -> ${cluster}`) ?? 0) + 1);
    host.advanceTime(5 + (i % 40));
    const response: [string, string][] = [[":status", "200"], ["content-type", "application/json"]];
    routerStream.callOnResponseHeaders(response, true);
    statsStream.callOnResponseHeaders(routerStream.responseHeaders, true);
    routerStream.complete();
    statsStream.complete();
  }
  write(`   200 requests from ${CLIENT.name} to reviews:9080, routed by ${buildDir}/router.wasm (${clusterHeader}):`);
  for (const [route, count] of [...chosen].sort()) write(`     ${route}: ${count}`);

  write();
  write(`3. what Prometheus scrapes from /stats/prometheus (istio_requests_total, from ${buildDir}/stats.wasm):`);
  // As in Istio: the pod annotation lists the tags, the bootstrap turns each into a stats_tags regex.
  const extraStatTags = (statsPlan.podAnnotations?.["sidecar.istio.io/extraStatTags"] ?? "").split(",").map((t) => t.trim()).filter(Boolean);
  const text = await new PrometheusExposition({ statsTags: istioBootstrapStatsTags(extraStatTags) }).render(host.listMetrics());
  const shown = ["reporter", "source_workload", "destination_service", "response_code", "request_method"];
  for (const line of text.split("\n")) {
    const sample = /^istio_requests_total\{(.*)\} (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...sample[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const count = (line.match(/="/g) ?? []).length;
    write(`   istio_requests_total{${shown.filter((k) => k in labels).map((k) => `${k}="${labels[k]}"`).join(",")},... ${count - shown.length} more labels} ${sample[2]}`);
  }
  write("\n   (wasmixer envoyfilter --config examples/bookinfo --out envoyfilters writes what installs the same filters in Istio)");
}

const SAMPLE_TOKENS = "test/fixtures/istio-jwt/seed-scenario.json";

async function securityStep(buildDir: string, write: Write): Promise<void> {
  const { plans } = compileWorkloadPlans(loadMeshConfig(CONFIG_DIR));
  const plan = plans.find((p) => p.workload.namespace === CLIENT.namespace && p.workload.name === CLIENT.name)!;
  const chain = plan.filters.filter((f) => f.name === "jwt" || f.name === "rbac");
  if (chain.length === 0 || !existsSync(SAMPLE_TOKENS)) return;
  const host = new ProxyHost();
  const filters = [];
  for (const filter of chain) {
    filters.push(await host.startPlugin({ wasm: `${buildDir}/${filter.module}.wasm`, name: filter.name, rootId: filter.name, pluginConfig: filter.config }));
  }
  // Istio's sample tokens; the fixture marks the one whose signature was tampered with (Istio answers 401).
  const seed = JSON.parse(readFileSync(SAMPLE_TOKENS, "utf8")) as {
    cases: { token: string; payload: Record<string, unknown>; withRequestAuthenticationOnly: { status: number } }[];
  };
  const describe = (c: (typeof seed.cases)[number]) =>
    `${c.payload.role ? `role=${String(c.payload.role)}` : "no role claim"}${c.withRequestAuthenticationOnly.status === 401 ? ", tampered" : ""}`;
  const tokens: [string, string | undefined][] = [
    ["no token", undefined],
    ...seed.cases.map((c, i): [string, string] => [`token ${i + 1} (${describe(c)})`, c.token]),
  ];
  write();
  write(`4. ${CONFIG_DIR}/security.yaml -> ${chain.map((f) => `${f.name} (${f.phase})`).join(" then ")} on productpage's inbound requests:`);
  for (const [label, token] of tokens) {
    // One stream through the chain, sharing the stream's filter state as Envoy's filters do; a local reply ends it.
    const filterState = new Map<string, Uint8Array>();
    let outcome = "200 (reaches productpage)";
    for (const plugin of filters) {
      const stream = plugin.newHttpContext({ filterState });
      const headers: [string, string][] = [[":method", "GET"], [":path", "/productpage"], [":authority", "productpage:9080"], [":scheme", "http"]];
      if (token) headers.push(["authorization", `Bearer ${token}`]);
      stream.callOnRequestHeaders(headers, true);
      const reply = stream.localResponse;
      stream.complete();
      if (reply) {
        outcome = `${reply.status} ${reply.bodyText}`;
        break;
      }
    }
    write(`     ${label.padEnd(34)} -> ${outcome}`);
  }
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function formatTags(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}
