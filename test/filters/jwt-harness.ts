// Shared set-up of the jwt filter tests: compiling the module and running a request through it.
import { readFileSync } from "node:fs";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { REPOSITORY_MODULE_FLAGS } from "../../src/cli/build.js";
import { Action, ProxyHost, type HttpContext, type Plugin } from "../../src/host/index.js";

export const FIXTURES = "test/fixtures/istio-jwt";
export const SEED_ISSUER = "testing@secure.istio.io";
/** A fixed "now" (2023-11-14T22:13:20Z) for every test clock. */
export const NOW_SECONDS = 1_700_000_000;

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}/${name}`, "utf8").trim();
}

/** Compiles the filter as `npm run build` ships it, into a per-test-file path (test files run in parallel). */
export async function compileJwtFilter(name: string): Promise<string> {
  const out = `build/test/${name}.wasm`;
  await compileAssemblyScript("assembly/filters/jwt/index.ts", out, { extraFlags: REPOSITORY_MODULE_FLAGS.jwt });
  return out;
}

export async function startJwt(wasm: string, pluginConfig: object, host = new ProxyHost({ startTimeNs: BigInt(NOW_SECONDS) * 1_000_000_000n })): Promise<{ host: ProxyHost; plugin: Plugin }> {
  return { host, plugin: await host.startPlugin({ wasm, pluginConfig }) };
}

export interface Outcome {
  http: HttpContext;
  action: Action;
  /** The request went on (now or after a pause) without a local reply. */
  passed: boolean;
  status: number | undefined;
  body: string | undefined;
  principal: string | undefined;
}

export function outcomeOf(http: HttpContext, action: Action): Outcome {
  const reply = http.localResponse;
  const principal = http.filterState.get("wasm.wasmixer.jwt.principal");
  return {
    http,
    action,
    passed: reply === undefined && (action === Action.Continue || http.continued.request),
    status: reply?.status,
    body: reply?.bodyText,
    principal: principal === undefined ? undefined : Buffer.from(principal).toString("utf8"),
  };
}

export function send(plugin: Plugin, headers: Record<string, string> | [string, string][] = {}): Outcome {
  const http = plugin.newHttpContext();
  const base: [string, string][] = [[":authority", "svc.example:8080"], [":path", "/api"], [":method", "GET"], [":scheme", "http"]];
  const extra: [string, string][] = Array.isArray(headers) ? headers : Object.entries(headers);
  const names = new Set(extra.map(([name]) => name));
  const action = http.callOnRequestHeaders([...base.filter(([name]) => !names.has(name)), ...extra], true);
  return outcomeOf(http, action);
}

export function bearer(plugin: Plugin, token: string, extra: Record<string, string> = {}): Outcome {
  return send(plugin, { authorization: `Bearer ${token}`, ...extra });
}
