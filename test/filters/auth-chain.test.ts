// The seed scenario end to end: Istio YAML (RequestAuthentication + the require-jwt AuthorizationPolicy) ->
// the config model's plan -> build/jwt.wasm and build/rbac.wasm chained on one stream in the host (sharing the
// stream's filter state, as Envoy's filters do) -> Istio's statuses and bodies from the fixture. Then a fuzz run
// through both filters: no trap, and nothing passes that carries a bad token.
import { readFileSync } from "node:fs";
import { seededRandom } from "../support/seeded-random.js";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { REPOSITORY_MODULE_FLAGS } from "../../src/cli/build.js";
import { compileWorkloadPlans } from "../../src/config/compile-plans.js";
import { buildMeshConfig } from "../../src/config/load-mesh-config.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";
import { Action, ProxyHost, type Plugin } from "../../src/host/index.js";

interface SeedCase {
  token: string;
  withRequestAuthenticationOnly: { status: number; body?: string };
  withAuthorizationPolicy: { status: number; body?: string };
}
const seed = JSON.parse(readFileSync("test/fixtures/istio-jwt/seed-scenario.json", "utf8")) as { cases: SeedCase[] };
const jwks = readFileSync("test/fixtures/istio-jwt/jwks.json", "utf8");

const WORKLOAD = `apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: productpage-v1, namespace: default }
spec: { labels: { app: productpage }, ports: [{ number: 9080 }] }
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt-example, namespace: default }
spec:
  selector: { matchLabels: { app: productpage } }
  jwtRules:
  - issuer: testing@secure.istio.io
    jwks: '${jwks.replace(/\n/g, "")}'
`;
const REQUIRE_JWT = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: require-jwt, namespace: default }
spec:
  selector: { matchLabels: { app: productpage } }
  action: ALLOW
  rules:
  - from: [{ source: { requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"] } }]
    when: [{ key: "request.auth.claims[role]", values: ["customer"] }]
`;

const JWT_WASM = "build/test/auth-chain/jwt.wasm";
const RBAC_WASM = "build/test/auth-chain/rbac.wasm";

beforeAll(async () => {
  await compileAssemblyScript("assembly/filters/jwt/index.ts", JWT_WASM, { extraFlags: REPOSITORY_MODULE_FLAGS.jwt });
  await compileAssemblyScript("assembly/filters/rbac/index.ts", RBAC_WASM);
}, 300_000);

/** The plan's filters for productpage-v1, started in one host in chain order. */
async function chainFor(yaml: string): Promise<{ host: ProxyHost; filters: Plugin[] }> {
  const { plans } = compileWorkloadPlans(buildMeshConfig(parseYamlDocuments(yaml, "seed.yaml")));
  const plan = plans.find((p) => p.workload.name === "productpage-v1")!;
  const host = new ProxyHost();
  const filters: Plugin[] = [];
  for (const filter of plan.filters.filter((f) => f.name === "jwt" || f.name === "rbac")) {
    const wasm = filter.name === "jwt" ? JWT_WASM : RBAC_WASM;
    filters.push(await host.startPlugin({ wasm, name: filter.name, rootId: filter.name, pluginConfig: filter.config, failurePolicy: "FAIL_CLOSED" }));
  }
  return { host, filters };
}

/** One request through the chain; the first local reply ends it, as in Envoy. */
function send(filters: Plugin[], headers: Record<string, string>): { status: number; body: string } {
  const filterState = new Map<string, Uint8Array>();
  for (const filter of filters) {
    const stream = filter.newHttpContext({ filterState, properties: { "source.address": "10.1.2.3:40000" } });
    const action = stream.callOnRequestHeaders({ ":method": "GET", ":path": "/productpage", ":authority": "productpage:9080", ":scheme": "http", ...headers }, true);
    const reply = stream.localResponse;
    stream.complete();
    if (reply) return { status: reply.status, body: reply.bodyText };
    expect(action).toBe(Action.Continue);
  }
  return { status: 200, body: "" };
}

describe("seed scenario through jwt and rbac", () => {
  it("RequestAuthentication alone: the tampered token gets 401, the others pass", async () => {
    const { filters } = await chainFor(WORKLOAD);
    expect(filters.map((f) => f.name)).toEqual(["jwt"]);
    for (const c of seed.cases) {
      const outcome = send(filters, { authorization: `Bearer ${c.token}` });
      expect(outcome.status).toBe(c.withRequestAuthenticationOnly.status);
      if (c.withRequestAuthenticationOnly.body) expect(outcome.body).toBe(c.withRequestAuthenticationOnly.body);
    }
    expect(send(filters, {}).status).toBe(200);
  });

  it("with require-jwt: role=customer passes, the demo token gets 403 RBAC: access denied, no token 403", async () => {
    const { filters } = await chainFor(WORKLOAD + REQUIRE_JWT);
    expect(filters.map((f) => f.name)).toEqual(["jwt", "rbac"]);
    for (const c of seed.cases) {
      const outcome = send(filters, { authorization: `Bearer ${c.token}` });
      expect(outcome.status).toBe(c.withAuthorizationPolicy.status);
      if (c.withAuthorizationPolicy.body) expect(outcome.body).toBe(c.withAuthorizationPolicy.body);
    }
    expect(send(filters, {})).toEqual({ status: 403, body: "RBAC: access denied" });
    // A client cannot forge the principal: the jwt filter's output goes to filter state, not headers.
    expect(send(filters, { "x-wasmixer-jwt-principal": "testing@secure.istio.io/testing@secure.istio.io" }).status).toBe(403);
  });

  it("fuzz: 100,000 random and mutated tokens and headers never trap and never pass without the customer token", async () => {
    const { filters } = await chainFor(WORKLOAD + REQUIRE_JWT);
    const good = seed.cases.find((c) => c.withAuthorizationPolicy.status === 200)!.token;
    const random = seededRandom(0x2545f491);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9\u0000";
    const mutate = (token: string): string => {
      const chars = [...token];
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const kind = random();
        if (kind < 0.5) chars[at] = alphabet[Math.floor(random() * alphabet.length)]!;
        else if (kind < 0.75) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]!);
      }
      return chars.join("");
    };
    let passed = 0;
    for (let i = 0; i < 100_000; i++) {
      const token = random() < 0.7 ? mutate(good) : Array.from({ length: Math.floor(random() * 300) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const headers: Record<string, string> = { authorization: `${random() < 0.9 ? "Bearer " : "Basic "}${token}` };
      if (random() < 0.1) headers["x-wasmixer-jwt-payload"] = '{"role":"customer"}';
      const outcome = send(filters, headers);
      if (outcome.status === 200) {
        passed++;
        // Only the customer token itself may pass (a mutation can undo itself), with surrounding spaces (the
        // extractor trims them, as Envoy's does), or differing only in its last character's unused base64url
        // bits, which Envoy and jose ignore too.
        const candidate = token.replace(/^[ \t]+|[ \t]+$/g, "");
        const sameButLastChar = candidate.length === good.length && candidate.slice(0, -1) === good.slice(0, -1);
        expect(candidate === good || sameButLastChar, `passed: ${JSON.stringify(token)}`).toBe(true);
      } else {
        expect([401, 403]).toContain(outcome.status);
      }
    }
    for (const filter of filters) expect(filter.isFailed).toBe(false);
    expect(passed).toBeGreaterThan(0);
  }, 600_000);
});
