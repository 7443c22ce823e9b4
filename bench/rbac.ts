// Cost of the rbac filter with 100 AuthorizationPolicies per request, next to the empty filter (the host's
// own per-request cost) measured in the same run.
import { compileAssemblyScript } from "../src/build/compile.js";
import { ProxyHost, type Plugin } from "../src/host/index.js";
import { SAMPLE_REQUEST } from "./host-calls.js";
import { medianNs, row, WARM_UP_MS, warmUp, type BenchRow } from "./measure.js";

const POLICY_COUNT = 100;
const ROUNDS = 31;
const INNER = 200;

const STREAM_PROPERTIES = {
  "source.address": "10.1.2.3:40000",
  "destination.address": "10.9.0.5:9080",
  "destination.port": 9080,
  "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/bookinfo/sa/productpage",
};

const JWT_PRINCIPAL = "testing@secure.istio.io/testing@secure.istio.io";
const JWT_PAYLOAD = Buffer.from(JSON.stringify({ iss: "testing@secure.istio.io", sub: "testing@secure.istio.io", role: "customer", groups: ["a", "b"], exp: 4685989700 }));

/**
 * 100 policies that each look at several attributes and all miss the sample request except the last ALLOW
 * one by name, so every request evaluates all of them (the worst case for a first-match engine).
 */
export function hundredPolicies(): object {
  const policies: object[] = [];
  for (let i = 0; i < POLICY_COUNT - 1; i++) {
    const id = String(i).padStart(3, "0");
    const action = i % 10 === 0 ? "DENY" : "ALLOW";
    policies.push({
      name: `p-${id}`,
      namespace: "bookinfo",
      action,
      rules: [{
        from: [{ source: { principals: [`cluster.local/ns/team-${id}/sa/*`], notIpBlocks: ["192.168.0.0/16"] } }, { source: { requestPrincipals: [`issuer-${id}/*`] } }],
        to: [{ operation: { methods: ["GET", "POST"], paths: [`/api/${id}/{**}`, `/v${id}/*`], hosts: ["*.example.com:*"] } }],
        when: [{ key: "request.auth.claims[role]", values: [`role-${id}`] }, { key: "request.headers[x-tenant]", values: [id] }],
      }],
    });
  }
  policies.push({
    name: "p-zzz",
    namespace: "bookinfo",
    action: "ALLOW",
    rules: [{
      from: [{ source: { namespaces: ["bookinfo"], requestPrincipals: ["*"] } }],
      to: [{ operation: { methods: ["GET"], paths: ["/productpage"] } }],
      when: [{ key: "request.auth.claims[role]", values: ["customer"] }],
    }],
  });
  return { policies };
}

function timeStreams(plugin: Plugin, withJwt: boolean): number {
  const run = () => {
    const http = plugin.newHttpContext({ properties: STREAM_PROPERTIES });
    if (withJwt) {
      http.filterState.set("wasm.wasmixer.jwt.principal", Buffer.from(JWT_PRINCIPAL));
      http.filterState.set("wasm.wasmixer.jwt.payload", JWT_PAYLOAD);
    }
    http.callOnRequestHeaders(SAMPLE_REQUEST, true);
    http.complete();
  };
  warmUp(WARM_UP_MS, [run]);
  return medianNs(ROUNDS, INNER, run);
}

/** Rows for bench/run.ts: the rbac filter per request (100 policies) next to the empty filter. */
export async function benchRbac(): Promise<BenchRow[]> {
  const rbac = await compileAssemblyScript("assembly/filters/rbac/index.ts", "build/bench/rbac.wasm");
  const empty = await compileAssemblyScript("bench/modules/empty/index.ts", "build/bench/empty.wasm");
  const host = new ProxyHost();
  const rbacPlugin = await host.startPlugin({ wasm: rbac.outFile, name: "rbac", pluginConfig: hundredPolicies() });
  const emptyPlugin = await host.startPlugin({ wasm: empty.outFile, name: "empty" });
  // Sanity: the request must really pass all 100 policies, or the figure would measure an early exit.
  const probe = rbacPlugin.newHttpContext({ properties: STREAM_PROPERTIES });
  probe.filterState.set("wasm.wasmixer.jwt.principal", Buffer.from(JWT_PRINCIPAL));
  probe.filterState.set("wasm.wasmixer.jwt.payload", JWT_PAYLOAD);
  probe.callOnRequestHeaders(SAMPLE_REQUEST, true);
  if (probe.localResponse !== undefined) throw new Error(`rbac benchmark request was denied: ${probe.localResponse.details}`);
  probe.complete();

  const emptyNs = timeStreams(emptyPlugin, true);
  const rbacNs = timeStreams(rbacPlugin, true);
  const deniedNs = timeStreams(rbacPlugin, false);
  host.stop();
  return [
    row(`rbac, ${POLICY_COUNT} policies, allowed by the last (stream: create, headers, done)`, rbacNs, emptyNs, "empty filter, same stream"),
    row(`rbac, ${POLICY_COUNT} policies, no token -> 403`, deniedNs, emptyNs, "empty filter, same stream"),
  ];
}
