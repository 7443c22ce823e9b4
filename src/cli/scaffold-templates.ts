/**
 * Files `wasmixer new <name>` writes. The filter shows the SDK's shape (root
 * context, HTTP context, a tagged counter, a local reply) and the test drives
 * the compiled module through the Node host, so both pass on first run.
 */

export function filterSource(name: string): string {
  return `// ${name}: tags every request with \`x-${name}: on\`, refuses requests that carry
// \`x-${name}-deny\` with a 403, and counts requests per decision.
export * from "wasmixer/assembly/sdk/exports";
import { Action, Counter, HttpContext, RootContext, registerRootContext } from "wasmixer/assembly/sdk/index";

const requests = new Counter("${name.replace(/-/g, "_")}_requests_total", ["decision"]);

class ${className(name)}Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new ${className(name)}(id, this); }
}

class ${className(name)} extends HttpContext {
  onRequestHeaders(count: u32, endOfStream: bool): Action {
    if (this.requestHeaders.has("x-${name}-deny")) {
      requests.increment(1, ["deny"]);
      this.sendLocalResponse(403, "denied by ${name}\\n", [], "${name.replace(/-/g, "_")}_denied");
      return Action.Pause;
    }
    requests.increment(1, ["allow"]);
    this.requestHeaders.add("x-${name}", "on");
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new ${className(name)}Root(id));
`;
}

export function testSource(name: string): string {
  return `// Runs build/${name}.wasm (built by \`wasmixer test\`) in wasmixer's Node proxy-wasm host.
import { describe, expect, it } from "vitest";
import { Action, ProxyHost } from "wasmixer/host";

const request = (extra: Record<string, string> = {}) => ({ ":method": "GET", ":path": "/", ":authority": "example.com", ...extra });

describe("${name} filter", () => {
  it("tags allowed requests", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: "build/${name}.wasm" });
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders(request(), true)).toBe(Action.Continue);
    expect(http.getRequestHeader("x-${name}")).toBe("on");
    expect(host.getCounter("${name.replace(/-/g, "_")}_requests_total", { decision: "allow" })).toBe(1n);
  });

  it("refuses requests with x-${name}-deny", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: "build/${name}.wasm" });
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders(request({ "x-${name}-deny": "1" }), true)).toBe(Action.Pause);
    expect(http.localResponse?.status).toBe(403);
    expect(http.localResponse?.bodyText).toBe("denied by ${name}\\n");
    expect(host.getCounter("${name.replace(/-/g, "_")}_requests_total", { decision: "deny" })).toBe(1n);
  });
});
`;
}

export function packageJson(name: string): string {
  return `${JSON.stringify({
    name,
    private: true,
    type: "module",
    scripts: { build: "wasmixer build", test: "wasmixer test" },
  }, null, 2)}\n`;
}

export function readme(name: string): string {
  return `# ${name}

A proxy-wasm filter written with the wasmixer AssemblyScript SDK.

- \`assembly/filters/${name}/index.ts\`: the filter (one folder per filter, built to \`build/<name>.wasm\`)
- \`test/${name}.test.ts\`: tests that run the compiled module in wasmixer's Node host

\`wasmixer build\` compiles; \`wasmixer test\` compiles and runs the tests. \`node_modules/wasmixer\` links to the
wasmixer installation that created this project (\`npm i -D wasmixer\` does the same for a published release).
`;
}

function className(name: string): string {
  return name.split(/[-_]/).filter(Boolean).map((part) => part[0]!.toUpperCase() + part.slice(1)).join("") || "Filter";
}
