// Per-request cost of the jwt filter in the host for a token seen before (verified-token cache), next to
// the empty filter on the same request. A cache hit replays stored effects (filter state, header removal,
// output headers), so its cost is mostly the host calls that write them. Full RS256/ES256 verification is
// measured in bench/crypto.ts.
import { readFileSync } from "node:fs";
import { compileAssemblyScript } from "../src/build/compile.js";
import { REPOSITORY_MODULE_FLAGS } from "../src/cli/build.js";
import { ProxyHost, type Plugin } from "../src/host/index.js";
import { startStubbedPlugin } from "./stub-host.js";
import { differenceByMachineSpeedNs, interleavedMediansNs, medianDifferenceNs, row, WARM_UP_MS, warmUp, type BenchRow } from "./measure.js";

/** How long the cached path is timed again, split by the machine's speed (differenceByMachineSpeedNs). */
const BY_SPEED_MS = 8_000;

interface Seed { cases: { token: string; withRequestAuthenticationOnly: { status: number } }[] }

const requestHeaders = (token: string): [string, string][] =>
  [[":method", "GET"], [":path", "/productpage"], [":authority", "productpage:9080"], [":scheme", "http"], ["authorization", `Bearer ${token}`]];

function request(plugin: Plugin, token: string): void {
  const stream = plugin.newHttpContext();
  stream.callOnRequestHeaders(requestHeaders(token), true);
  stream.complete();
}

export async function benchJwt(): Promise<BenchRow[]> {
  const jwt = await compileAssemblyScript("assembly/filters/jwt/index.ts", "build/bench/jwt.wasm", { extraFlags: REPOSITORY_MODULE_FLAGS.jwt });
  const empty = await compileAssemblyScript("bench/modules/empty/index.ts", "build/bench/empty.wasm");
  const seed = JSON.parse(readFileSync("test/fixtures/istio-jwt/seed-scenario.json", "utf8")) as Seed;
  const token = seed.cases.find((c) => c.withRequestAuthenticationOnly.status === 200)!.token;
  const config = { rules: [{ issuer: "testing@secure.istio.io", jwks: readFileSync("test/fixtures/istio-jwt/jwks.json", "utf8") }] };
  const host = new ProxyHost();
  const withOutputs = {
    rules: [{ ...config.rules[0], outputPayloadToHeader: "x-jwt-payload", outputClaimToHeaders: [{ header: "x-jwt-iss", claim: "iss" }, { header: "x-jwt-sub", claim: "sub" }] }],
  };
  const cached = await host.startPlugin({ wasm: jwt.outFile, name: "jwt", pluginConfig: config });
  const cachedWithOutputs = await host.startPlugin({ wasm: jwt.outFile, name: "jwt-outputs", pluginConfig: withOutputs });
  const emptyPlugin = await host.startPlugin({ wasm: empty.outFile, name: "empty" });

  const hit = () => request(cached, token);
  const hitWithOutputs = () => request(cachedWithOutputs, token);
  const emptyRequest = () => request(emptyPlugin, token);

  warmUp(WARM_UP_MS, [hit, hitWithOutputs, emptyRequest]);
  const [emptyNs, cachedNs, outputsNs] = interleavedMediansNs(31, 300, [emptyRequest, hit, hitWithOutputs]) as [number, number, number];
  // The empty filter is also the probe that ranks rounds by the machine's speed, timed apart from the baseline.
  const bySpeed = differenceByMachineSpeedNs(BY_SPEED_MS, 200, hit, emptyRequest, emptyRequest);
  const rows = [
    row("jwt filter, RS256 token from the verified-token cache, per request", cachedNs, emptyNs, "empty filter, same request"),
    row("jwt cached path above the empty filter", medianDifferenceNs(31, 200, hit, emptyRequest), 2_000, "target: 2 us"),
    row("jwt filter, cached token, payload and 2 claims to headers, per request", outputsNs, emptyNs, "empty filter, same request"),
    row(`jwt cached path above the empty filter, fastest quarter of ${bySpeed.rounds} rounds in ${BY_SPEED_MS / 1000} s`, bySpeed.fastest.differenceNs, bySpeed.fastest.baselineNs, "empty filter, those rounds"),
    row("jwt cached path above the empty filter, slowest quarter of the same rounds", bySpeed.slowest.differenceNs, bySpeed.slowest.baselineNs, "empty filter, those rounds"),
  ];
  host.stop();

  // The same cache hit with the host's calls made nearly free (stub-host.ts): the filter's own Wasm work.
  const stubbedJwt = startStubbedPlugin(readFileSync(jwt.outFile), JSON.stringify(config), requestHeaders(token));
  const stubbedEmpty = startStubbedPlugin(readFileSync(empty.outFile), "", requestHeaders(token));
  warmUp(WARM_UP_MS, [() => stubbedJwt.stream(), () => stubbedEmpty.stream()]);
  const [stubbedEmptyNs, stubbedJwtNs] = interleavedMediansNs(31, 1000, [() => stubbedEmpty.stream(), () => stubbedJwt.stream()]) as [number, number];
  rows.push(row("jwt cached path, Wasm side only (host calls stubbed)", stubbedJwtNs, stubbedEmptyNs, "empty filter, same stub host"));
  return rows;
}
