// The host calls a jwt cache hit makes (bench/jwt.ts), each timed alone from inside Wasm: the same module
// runs streams with the call repeated and with no call, in alternation, and the difference is divided by the
// repeat count. The clock read is the cheapest call there is, so it is the baseline of the others.
import { compileAssemblyScript } from "../src/build/compile.js";
import { ProxyHost, type Plugin } from "../src/host/index.js";
import { medianDifferenceNs, row, WARM_UP_MS, warmUp, type BenchRow } from "./measure.js";

const ROUNDS = 31;
const REPEATS = 8;
/** A request as the jwt benchmark sends it: four pseudo-headers and a bearer token of Istio's sample size. */
const REQUEST: [string, string][] = [
  [":method", "GET"], [":path", "/productpage"], [":authority", "productpage:9080"], [":scheme", "http"],
  ["authorization", `Bearer ${"eyJhbGciOiJSUzI1NiIsImtpZCI6".repeat(25)}`],
];

const enum Call { HeaderPairs = 1, RemoveHeader = 2, Clock = 3, SetProperty = 4 }

function stream(plugin: Plugin): void {
  const context = plugin.newHttpContext();
  context.callOnRequestHeaders(REQUEST, true);
  context.complete();
}

export async function benchHotHostCalls(): Promise<BenchRow[]> {
  const built = await compileAssemblyScript("bench/modules/host-ops/index.ts", "build/bench/host-ops.wasm");
  const host = new ProxyHost();
  const start = (call: number, count: number) => host.startPlugin({ wasm: built.outFile, name: `call-${call}-${count}`, pluginConfig: `${call}${count}` });
  const idle = await start(0, 0);
  // A header is removed once per stream (a second removal finds nothing), so that call is timed once per stream.
  const perCall = async (call: Call, count: number): Promise<number> => {
    const busy = await start(call, count);
    warmUp(WARM_UP_MS, [() => stream(busy), () => stream(idle)]);
    return medianDifferenceNs(ROUNDS, 200, () => stream(busy), () => stream(idle)) / count;
  };
  const clockNs = await perCall(Call.Clock, REPEATS);
  const pairsNs = await perCall(Call.HeaderPairs, REPEATS);
  const setPropertyNs = await perCall(Call.SetProperty, REPEATS);
  const removeNs = await perCall(Call.RemoveHeader, 1);
  let sink = 0n;
  const jsClock = () => { sink += process.hrtime.bigint(); };
  const jsClockNs = medianDifferenceNs(ROUNDS, 2000, jsClock, () => {});
  if (sink === -1n) console.log(sink);
  host.stop();
  const baseline = "proxy_get_current_time_nanoseconds";
  return [
    row("proxy_get_current_time_nanoseconds", clockNs, jsClockNs, "JS process.hrtime.bigint()"),
    row("proxy_get_header_map_pairs, 5 headers with a 700-byte token", pairsNs, clockNs, baseline),
    row("proxy_set_property, 200-byte value (filter state)", setPropertyNs, clockNs, baseline),
    row("proxy_remove_header_map_value, present header", removeNs, clockNs, baseline),
  ];
}
