// `npm start` runs `wasmixer demo`: the hello filter, then examples/bookinfo's plan for productpage-v1
// (router + stats) on 200 requests, the Prometheus view of what the stats filter counted, and productpage's
// inbound jwt + rbac chain on Istio's sample tokens.
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { runDemo } from "../../src/cli/demo.js";

let output = "";

beforeAll(async () => {
  const buildDir = "build/test/demo";
  for (const name of ["hello", "router", "stats", "jwt", "rbac"]) await compileAssemblyScript(`assembly/filters/${name}/index.ts`, `${buildDir}/${name}.wasm`);
  const sink = new Writable({ write(chunk, _encoding, done) { output += String(chunk); done(); } });
  expect(await runDemo(["--build-dir", buildDir], sink)).toBe(0);
}, 300_000);

describe("wasmixer demo", () => {
  it("shows the hello filter's header and counter", () => {
    expect(output).toContain("x-wasmixer: hello from wasmixer");
    expect(output).toContain('hello_requests_total{method="GET"} = 1');
  });

  it("routes end-user jason to v2 and splits the rest between v1 and v3 about 75/25", () => {
    expect(output).toMatch(/end-user: jason -> outbound\|9080\|v2\|reviews\.default\.svc\.cluster\.local: 17/);
    const v1 = Number(/anonymous -> outbound\|9080\|v1\|[^:]+: (\d+)/.exec(output)?.[1]);
    const v3 = Number(/anonymous -> outbound\|9080\|v3\|[^:]+: (\d+)/.exec(output)?.[1]);
    expect(v1 + v3).toBe(183);
    expect(v1 / (v1 + v3)).toBeGreaterThan(0.6);
    expect(v1 / (v1 + v3)).toBeLessThan(0.9);
  });

  it("prints istio_requests_total as Prometheus scrapes it, with the Telemetry API's extra tag", () => {
    expect(output).toMatch(/istio_requests_total\{reporter="source",source_workload="productpage-v1",destination_service="reviews",response_code="200",request_method="GET",.*\} 200/);
  });

  it("runs productpage's jwt and rbac chain: only the customer token reaches productpage", () => {
    expect(output).toMatch(/no token\s+-> 403 RBAC: access denied/);
    expect(output).toMatch(/\(role=customer\)\s+-> 200 \(reaches productpage\)/);
    expect(output).toMatch(/\(no role claim, tampered\)\s+-> 401 Jwt verification fails/);
    expect(output).toMatch(/\(no role claim\)\s+-> 403 RBAC: access denied/);
  });
});
