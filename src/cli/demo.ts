import { existsSync } from "node:fs";
import type { Writable } from "node:stream";
import { ProxyHost } from "../host/index.js";

const SAMPLE_REQUEST: [string, string][] = [
  [":method", "GET"], [":path", "/productpage"], [":authority", "bookinfo.local"], [":scheme", "http"],
  ["user-agent", "wasmixer-demo"], ["x-request-id", "demo-0001"],
];
const SAMPLE_RESPONSE: [string, string][] = [[":status", "200"], ["content-type", "text/html"]];

function table(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `    ${k}: ${v}`).join("\n");
}

/** `wasmixer demo`: loads the hello filter into the embedded host and runs one request through it. */
export async function runDemo(args: string[], out: Writable): Promise<number> {
  const wasmFlag = args.indexOf("--wasm");
  const wasm = wasmFlag >= 0 ? args[wasmFlag + 1] : "build/hello.wasm";
  if (!wasm || !existsSync(wasm)) throw new Error(`${wasm ?? "--wasm"}: no such module (run npm run build first)`);
  const write = (line = "") => out.write(`${line}\n`);

  const host = new ProxyHost();
  const plugin = await host.startPlugin({ wasm, name: "hello", rootId: "hello", pluginConfig: "x-wasmixer: hello from wasmixer" });
  write(`loaded ${wasm} into the embedded proxy-wasm host (ABI 0.2.1)`);
  for (let i = 0; i < 3; i++) {
    const stream = plugin.newHttpContext();
    const requestAction = stream.callOnRequestHeaders(SAMPLE_REQUEST, true);
    const responseAction = stream.callOnResponseHeaders(SAMPLE_RESPONSE, false);
    stream.callOnResponseBody("<html>bookinfo</html>", true);
    stream.complete();
    if (i > 0) continue;
    write("\nrequest  -> filter:");
    write(table(SAMPLE_REQUEST));
    write(`  on_request_headers  -> ${requestAction === 0 ? "Continue" : "Pause"}`);
    write("\nresponse as the filter left it:");
    write(table(stream.responseHeaders));
    write(`  on_response_headers -> ${responseAction === 0 ? "Continue" : "Pause"}`);
  }
  write("\nmetrics after 3 requests:");
  for (const metric of host.metrics.list()) write(`    ${metric.name}${formatTags(metric.tags)} = ${metric.value}`);
  const logs = plugin.logs();
  if (logs.length > 0) {
    write("\nfilter logs:");
    for (const line of logs) write(`    ${line}`);
  }
  return 0;
}

function formatTags(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}
