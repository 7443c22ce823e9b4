// Host-call and callback costs of the Node proxy-wasm host, each next to a plain-JS
// baseline measured in the same run.
import { compileAssemblyScript } from "../src/build/compile.js";
import { ProxyHost } from "../src/host/index.js";
import { medianDifferenceNs, medianNs, row, WARM_UP_MS, warmUp, type BenchRow } from "./measure.js";

export const SAMPLE_REQUEST: [string, string][] = [
  [":method", "GET"], [":path", "/productpage?u=normal"], [":authority", "bookinfo.example.com"], [":scheme", "http"],
  ["user-agent", "curl/8.5.0"], ["accept", "*/*"], ["x-forwarded-proto", "http"],
  ["x-request-id", "6f1b3c2e-8a4d-4e59-9d1a-2b7c0e5f3a91"], ["x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"],
  ["x-b3-spanid", "e457b5a2e4d86bd1"],
];

const LOOKUPS = 1000;
const ROUNDS = 41;

export async function benchHostCalls(): Promise<{ rows: BenchRow[]; headerGetNs: number }> {
  const headerGet = await compileAssemblyScript("bench/modules/header-get/index.ts", "build/bench/header-get.wasm");
  const empty = await compileAssemblyScript("bench/modules/empty/index.ts", "build/bench/empty.wasm");
  const host = new ProxyHost();
  // Two plugins of the same module: one doing LOOKUPS header gets per callback, one doing none;
  // the difference divided by LOOKUPS is the cost of one host call (alloc + copy + guest free included).
  const withLookups = (await host.startPlugin({ wasm: headerGet.outFile, name: "lookups", pluginConfig: String(LOOKUPS) })).newHttpContext();
  const withoutLookups = (await host.startPlugin({ wasm: headerGet.outFile, name: "no-lookups", pluginConfig: "0" })).newHttpContext();
  const runWith = () => withLookups.callOnRequestHeaders(SAMPLE_REQUEST);
  const runWithout = () => withoutLookups.callOnRequestHeaders(SAMPLE_REQUEST);
  warmUp(WARM_UP_MS, [runWith, runWithout]);
  const headerGetNs = medianDifferenceNs(ROUNDS, 100, runWith, runWithout) / LOOKUPS;

  const headers = SAMPLE_REQUEST.map(([k, v]) => [k, v] as [string, string]);
  let sink = 0;
  const jsLookups = () => {
    for (let i = 0; i < LOOKUPS; i++) sink += headers.find(([k]) => k === "x-request-id")?.[1].length ?? 0;
  };
  warmUp(WARM_UP_MS, [jsLookups]);
  const jsLookupNs = medianNs(ROUNDS, 20, jsLookups) / LOOKUPS;

  const emptyStream = (await host.startPlugin({ wasm: empty.outFile, name: "empty" })).newHttpContext();
  const runEmpty = () => emptyStream.callOnRequestHeaders(SAMPLE_REQUEST);
  warmUp(WARM_UP_MS, [runEmpty]);
  const emptyNs = medianNs(ROUNDS, 2000, runEmpty);
  const jsHandler = () => { sink += SAMPLE_REQUEST.map(([k, v]) => [k.toLowerCase(), v]).length; };
  warmUp(WARM_UP_MS, [jsHandler]);
  const jsHandlerNs = medianNs(ROUNDS, 2000, jsHandler);
  if (sink === -1) console.log(sink);

  return {
    headerGetNs,
    rows: [
      row("proxy_get_header_map_value (Wasm -> host -> Wasm)", headerGetNs, jsLookupNs, "JS Array.find on the same headers"),
      row("on_request_headers, empty filter (10 headers)", emptyNs, jsHandlerNs, "JS function copying the same headers"),
    ],
  };
}
