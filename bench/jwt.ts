// Per-request cost of the jwt filter in the host for a token seen before (verified-token cache), next to
// the empty filter on the same request. Full RS256/ES256 verification is measured in bench/crypto.ts.
import { readFileSync } from "node:fs";
import { compileAssemblyScript } from "../src/build/compile.js";
import { ProxyHost, type Plugin } from "../src/host/index.js";
import { medianNs, row, type BenchRow } from "./measure.js";

interface Seed { cases: { token: string; withRequestAuthenticationOnly: { status: number } }[] }

function request(plugin: Plugin, token: string): void {
  const stream = plugin.newHttpContext();
  stream.callOnRequestHeaders([[":method", "GET"], [":path", "/productpage"], [":authority", "productpage:9080"], [":scheme", "http"], ["authorization", `Bearer ${token}`]], true);
  stream.complete();
}

export async function benchJwt(): Promise<BenchRow[]> {
  const jwt = await compileAssemblyScript("assembly/filters/jwt/index.ts", "build/bench/jwt.wasm");
  const empty = await compileAssemblyScript("bench/modules/empty/index.ts", "build/bench/empty.wasm");
  const seed = JSON.parse(readFileSync("test/fixtures/istio-jwt/seed-scenario.json", "utf8")) as Seed;
  const token = seed.cases.find((c) => c.withRequestAuthenticationOnly.status === 200)!.token;
  const config = { rules: [{ issuer: "testing@secure.istio.io", jwks: readFileSync("test/fixtures/istio-jwt/jwks.json", "utf8") }] };
  const host = new ProxyHost();
  const cached = await host.startPlugin({ wasm: jwt.outFile, name: "jwt", pluginConfig: config });
  const emptyPlugin = await host.startPlugin({ wasm: empty.outFile, name: "empty" });

  for (let i = 0; i < 2000; i++) { request(cached, token); request(emptyPlugin, token); }
  const rounds = 31;
  const emptyNs = medianNs(rounds, 300, () => request(emptyPlugin, token));
  const cachedNs = medianNs(rounds, 300, () => request(cached, token));
  const rows = [
    row("jwt filter, RS256 token from the verified-token cache, per request", cachedNs, emptyNs, "empty filter, same request"),
    row("jwt cached path above the empty filter", cachedNs - emptyNs, 2_000, "target: 2 us"),
  ];
  host.stop();
  return rows;
}
