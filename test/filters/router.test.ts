import { statSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { Action, LogLevel, PluginLoadError, ProxyHost, type Plugin } from "../../src/host/index.js";

const WASM = "build/test/router-filter.wasm";
const REVIEWS = "reviews.default.svc.cluster.local";

beforeAll(async () => {
  await compileAssemblyScript("assembly/filters/router/index.ts", WASM);
});

type Json = Record<string, unknown>;

function config(http: Json[], extra: Json = {}): Json {
  return {
    clusterHeader: "x-wasmixer-cluster",
    virtualServices: [
      { name: "default/reviews", hosts: [REVIEWS, "reviews", "reviews.default", "reviews.default.svc"], http },
    ],
    ...extra,
  };
}

function destination(subset: string, weight?: number, extra: Json = {}): Json {
  return { destination: { host: REVIEWS, subset }, ...(weight === undefined ? {} : { weight }), ...extra };
}

async function start(pluginConfig: Json, host = new ProxyHost()): Promise<{ host: ProxyHost; plugin: Plugin }> {
  return { host, plugin: await host.startPlugin({ wasm: WASM, pluginConfig }) };
}

function request(plugin: Plugin, headers: Record<string, string> = {}) {
  const http = plugin.newHttpContext();
  const action = http.callOnRequestHeaders({ ":authority": "reviews:9080", ":path": "/", ":method": "GET", ":scheme": "http", ...headers }, true);
  return { http, action, cluster: http.getRequestHeader("x-wasmixer-cluster") };
}

describe("router filter", () => {
  it("fits the 64 KB module budget", () => {
    expect(statSync(WASM).size).toBeLessThanOrEqual(64 * 1024);
  });

  it("routes on a header match to v2 and everything else to v1", async () => {
    const { plugin } = await start(config([
      { match: [{ headers: { "end-user": { exact: "jason" } } }], route: [destination("v2")] },
      { route: [destination("v1")] },
    ]));
    const jason = request(plugin, { "end-user": "jason" });
    expect(jason.action).toBe(Action.Continue);
    expect(jason.cluster).toBe(`outbound|9080|v2|${REVIEWS}`);
    expect(request(plugin, { "end-user": "alice" }).cluster).toBe(`outbound|9080|v1|${REVIEWS}`);
    expect(request(plugin).cluster).toBe(`outbound|9080|v1|${REVIEWS}`);
  });

  it("uses the destination port, else the authority's, else 80", async () => {
    const { plugin } = await start(config([
      { match: [{ uri: { prefix: "/p" } }], route: [{ destination: { host: REVIEWS, subset: "v1", port: { number: 8080 } } }] },
      { route: [destination("v1")] },
    ]));
    expect(request(plugin, { ":path": "/p" }).cluster).toBe(`outbound|8080|v1|${REVIEWS}`);
    expect(request(plugin, { ":authority": "reviews" }).cluster).toBe(`outbound|80|v1|${REVIEWS}`);
  });

  it("leaves requests for hosts no virtual service claims alone, and answers 404 when no route matches", async () => {
    const { plugin } = await start(config([{ match: [{ uri: { exact: "/only" } }], route: [destination("v1")] }]));
    const other = request(plugin, { ":authority": "ratings:9080" });
    expect(other.action).toBe(Action.Continue);
    expect(other.cluster).toBeUndefined();
    const unmatched = request(plugin, { ":path": "/other" });
    expect(unmatched.http.localResponse?.status).toBe(404);
    expect(unmatched.cluster).toBeUndefined();
  });

  it("splits 75/25 within 2% over 10,000 requests", async () => {
    const { plugin } = await start(config([{ route: [destination("v1", 75), destination("v2", 25)] }]));
    let v1 = 0;
    for (let i = 0; i < 10_000; i++) {
      const { http, cluster } = request(plugin);
      if (cluster === `outbound|9080|v1|${REVIEWS}`) v1++;
      else expect(cluster).toBe(`outbound|9080|v2|${REVIEWS}`);
      http.complete();
    }
    expect(v1 / 10_000).toBeGreaterThan(0.73);
    expect(v1 / 10_000).toBeLessThan(0.77);
  });

  it("keeps a client on one subset with a consistentHash header, and spreads different clients", async () => {
    const { plugin } = await start(config([{ route: [destination("v1", 50), destination("v2", 50)] }], {
      destinationRules: { [REVIEWS]: { consistentHash: { httpHeaderName: "x-user" } } },
    }));
    const first = request(plugin, { "x-user": "user-42" }).cluster;
    for (let i = 0; i < 1_000; i++) expect(request(plugin, { "x-user": "user-42" }).cluster).toBe(first);
    const subsets = new Map<string, number>();
    for (let i = 0; i < 1_000; i++) {
      const cluster = request(plugin, { "x-user": `user-${i}` }).cluster!;
      subsets.set(cluster, (subsets.get(cluster) ?? 0) + 1);
    }
    expect(subsets.size).toBe(2);
    for (const count of subsets.values()) expect(count).toBeGreaterThan(400);
  });

  it("hashes a cookie when the DestinationRule names one", async () => {
    const { plugin } = await start(config([{ route: [destination("v1", 50), destination("v2", 50)] }], {
      destinationRules: { [REVIEWS]: { consistentHash: { httpCookie: { name: "user", ttl: "0s" } } } },
    }));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(request(plugin, { cookie: `a=b; user=${i % 2 === 0 ? "x" : "x"}; c=d` }).cluster!);
    expect(seen.size).toBe(1);
  });

  it("takes the first matching route, in order", async () => {
    const { plugin } = await start(config([
      { name: "api", match: [{ uri: { prefix: "/api" } }], route: [destination("v3")] },
      { name: "api-v2", match: [{ uri: { prefix: "/api/v2" } }], route: [destination("v2")] },
      { route: [destination("v1")] },
    ]));
    expect(request(plugin, { ":path": "/api/v2/x" }).cluster).toContain("|v3|");
    expect(request(plugin, { ":path": "/web" }).cluster).toContain("|v1|");
  });

  it("matches regex uris in full, ignores uri case when asked, and ORs match blocks", async () => {
    const { plugin } = await start(config([
      { match: [{ uri: { regex: "/users/[0-9]+" } }], route: [destination("v2")] },
      { match: [{ uri: { exact: "/Login" }, ignoreUriCase: true }, { method: { exact: "DELETE" } }], route: [destination("v3")] },
      { route: [destination("v1")] },
    ]));
    expect(request(plugin, { ":path": "/users/42?verbose=1" }).cluster).toContain("|v2|");
    expect(request(plugin, { ":path": "/users/42/x" }).cluster).toContain("|v1|");
    expect(request(plugin, { ":path": "/LOGIN" }).cluster).toContain("|v3|");
    expect(request(plugin, { ":path": "/x", ":method": "DELETE" }).cluster).toContain("|v3|");
  });

  it("honours withoutHeaders and queryParams", async () => {
    const { plugin } = await start(config([
      { match: [{ withoutHeaders: { "x-canary": {} }, queryParams: { beta: { exact: "1" } } }], route: [destination("v2")] },
      { route: [destination("v1")] },
    ]));
    expect(request(plugin, { ":path": "/?a=2&beta=1" }).cluster).toContain("|v2|");
    expect(request(plugin, { ":path": "/?beta=1", "x-canary": "yes" }).cluster).toContain("|v1|");
    expect(request(plugin, { ":path": "/?beta=2" }).cluster).toContain("|v1|");
    expect(request(plugin, { ":path": "/" }).cluster).toContain("|v1|");
  });

  it("rewrites the uri prefix and the authority, and applies header operations", async () => {
    const { plugin } = await start(config([{
      match: [{ uri: { prefix: "/old" } }],
      rewrite: { uri: "/new", authority: "reviews-v2" },
      headers: { request: { set: { "x-route": "r" }, remove: ["x-drop"] }, response: { add: { "x-served-by": "router" } } },
      route: [destination("v1", undefined, { headers: { request: { add: { "x-dest": "d" } } } })],
    }]));
    const { http } = request(plugin, { ":path": "/old/page?q=1", "x-drop": "1" });
    expect(http.getRequestHeader(":path")).toBe("/new/page?q=1");
    expect(http.getRequestHeader(":authority")).toBe("reviews-v2");
    expect(http.getRequestHeader("x-route")).toBe("r");
    expect(http.getRequestHeader("x-dest")).toBe("d");
    expect(http.getRequestHeader("x-drop")).toBeUndefined();
    http.callOnResponseHeaders({ ":status": "200" });
    expect(http.getResponseHeader("x-served-by")).toBe("router");
  });

  it("redirects with 301 and a location by default", async () => {
    const { plugin } = await start(config([
      { match: [{ uri: { exact: "/moved" } }], redirect: { uri: "/new-home", authority: "example.com" } },
      { match: [{ uri: { exact: "/temp" } }], redirect: { scheme: "https", redirectCode: 302 } },
      { route: [destination("v1")] },
    ]));
    const moved = request(plugin, { ":path": "/moved" });
    expect(moved.action).toBe(Action.Pause);
    expect(moved.http.localResponse?.status).toBe(301);
    expect(moved.http.localResponse?.headers).toContainEqual(["location", "http://example.com/new-home"]);
    const temp = request(plugin, { ":path": "/temp?x=1" });
    expect(temp.http.localResponse?.status).toBe(302);
    expect(temp.http.localResponse?.headers).toContainEqual(["location", "https://reviews:9080/temp?x=1"]);
  });

  it("answers a direct response", async () => {
    const { plugin } = await start(config([
      { match: [{ uri: { exact: "/health" } }], directResponse: { status: 200, body: { string: "ok" } } },
      { directResponse: { status: 503, body: { bytes: Buffer.from("down").toString("base64") } } },
    ]));
    const health = request(plugin, { ":path": "/health" });
    expect(health.http.localResponse?.status).toBe(200);
    expect(health.http.localResponse?.bodyText).toBe("ok");
    expect(request(plugin, { ":path": "/x" }).http.localResponse?.bodyText).toBe("down");
  });

  it("aborts every request with a 100% abort fault", async () => {
    const { plugin } = await start(config([{ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [destination("v1")] }]));
    for (let i = 0; i < 20; i++) {
      const { http, action } = request(plugin);
      expect(action).toBe(Action.Pause);
      expect(http.localResponse?.status).toBe(503);
    }
  });

  it("delays requests: paused until the host clock passes fixedDelay, then resumed", async () => {
    const { host, plugin } = await start(config([{ fault: { delay: { fixedDelay: "5s", percentage: { value: 100 } } }, route: [destination("v1")] }]));
    const first = request(plugin);
    expect(first.action).toBe(Action.Pause);
    expect(first.cluster).toBe(`outbound|9080|v1|${REVIEWS}`);
    host.advanceTime(2_000);
    const second = request(plugin);
    host.advanceTime(2_900);
    expect(first.http.continued.request).toBe(false);
    host.advanceTime(200);
    expect(first.http.continued.request).toBe(true);
    expect(second.http.continued.request).toBe(false);
    host.advanceTime(2_000);
    expect(second.http.continued.request).toBe(true);
    expect(first.http.localResponse).toBeUndefined();
  });

  it("aborts after the delay when both faults apply", async () => {
    const { host, plugin } = await start(config([{
      fault: { delay: { fixedDelay: "100ms", percentage: { value: 100 } }, abort: { httpStatus: 429, percentage: { value: 100 } } },
      route: [destination("v1")],
    }]));
    const { http, action } = request(plugin);
    expect(action).toBe(Action.Pause);
    expect(http.localResponse).toBeUndefined();
    host.advanceTime(100);
    expect(http.localResponse?.status).toBe(429);
  });

  describe("refuses bad configuration with the reason in the logs", () => {
    const cases: [string, Json, string][] = [
      ["bad regex", config([{ match: [{ uri: { regex: "/a(b" } }], route: [destination("v1")] }]),
        'virtualServices[0].http[0].match[0].uri.regex: invalid regex "/a(b": missing closing ) for the group opened at position 2'],
      ["weights summing to 0", config([{ route: [destination("v1", 0), destination("v2", 0)] }]),
        "virtualServices[0].http[0].route: weights must add up to more than 0"],
      ["unknown field", config([{ route: [destination("v1")], retry: {} }]), 'virtualServices[0].http[0]: unknown field "retry"'],
      ["unknown top-level field", { clusterHeader: "x", virtualService: [] }, 'configuration: unknown field "virtualService"'],
      ["no action", config([{ match: [{ uri: { prefix: "/" } }] }]),
        "virtualServices[0].http[0]: must set exactly one of route, redirect, directResponse"],
      ["two string match kinds", config([{ match: [{ uri: { prefix: "/", exact: "/" } }], route: [destination("v1")] }]),
        "virtualServices[0].http[0].match[0].uri: must set only one of exact, prefix, regex"],
      ["bad delay", config([{ fault: { delay: { fixedDelay: "soon" } }, route: [destination("v1")] }]),
        'virtualServices[0].http[0].fault.delay.fixedDelay: must be a duration'],
    ];
    for (const [name, pluginConfig, reason] of cases) {
      it(name, async () => {
        const host = new ProxyHost();
        const error = await host.startPlugin({ wasm: WASM, pluginConfig }).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(PluginLoadError);
        const logs = (error as PluginLoadError).logs.map((entry) => entry.message).join("\n");
        expect(logs).toContain(`router: rejected configuration: ${reason}`);
      });
    }
    it("invalid JSON", async () => {
      const error = await new ProxyHost().startPlugin({ wasm: WASM, pluginConfig: "{" }).then(() => undefined, (e: unknown) => e);
      expect((error as PluginLoadError).logs.map((entry) => entry.message).join("\n")).toMatch(/configuration is not valid JSON/);
    });
  });

  it("logs what it loaded", async () => {
    const { plugin } = await start(config([{ route: [destination("v1")] }]));
    expect(plugin.logs(LogLevel.Info)).toContain("router: configured 1 virtual services");
  });
});
