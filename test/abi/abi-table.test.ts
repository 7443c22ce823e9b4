import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { abiTable } from "../../src/abi/abi-table.js";
import type { FunctionSignature } from "../../src/abi/wasm-interface.js";
import { REPO_ROOT } from "../third-party/gcore-module.js";

const FIXTURE = join(REPO_ROOT, "..", "shared", "fixtures", "proxy-wasm", "abi-0.2.1-signatures.json");
const GRPC_CALL = "proxy_grpc_call";

interface SignatureFixture {
  imports: Record<string, FunctionSignature>;
  exports: Record<string, FunctionSignature>;
}

describe("src/abi/abi-0.2.1.json", () => {
  const table = abiTable();

  it("documents exactly one erratum: proxy_grpc_call as 12 i32 params returning an i32 status", () => {
    expect(table.errata.map((erratum) => erratum.entry)).toEqual([`imports.${GRPC_CALL}`]);
    expect(table.imports[GRPC_CALL]).toEqual({ params: Array(12).fill("i32"), results: ["i32"] });
    expect(table.errata[0]!.corrected).toEqual(table.imports[GRPC_CALL]);
  });

  it("has the spec's shape: env and wasi_snapshot_preview1 imports, i32/i64 only", () => {
    expect(table.abiVersion).toBe("0.2.1");
    const wasi = Object.keys(table.imports).filter((key) => key.includes("."));
    expect(wasi.every((key) => key.startsWith("wasi_snapshot_preview1."))).toBe(true);
    expect(wasi.length).toBeGreaterThanOrEqual(7);
    const everyType = [...Object.values(table.imports), ...Object.values(table.exports)].flatMap((sig) => [...sig.params, ...sig.results]);
    expect(new Set(everyType)).toEqual(new Set(["i32", "i64"]));
    expect(table.exports["proxy_abi_version_0_2_1"]).toEqual({ params: [], results: [] });
  });

  it.skipIf(!existsSync(FIXTURE))("differs from the shared fixture only in the documented erratum (fixture: ../shared/fixtures/proxy-wasm)", () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as SignatureFixture;
    expect(table.exports).toEqual(fixture.exports);
    expect(Object.keys(table.imports).sort()).toEqual(Object.keys(fixture.imports).sort());
    const { [GRPC_CALL]: oursGrpc, ...oursRest } = table.imports;
    const { [GRPC_CALL]: fixtureGrpc, ...fixtureRest } = fixture.imports;
    expect(oursRest).toEqual(fixtureRest);
    expect(table.errata[0]!.extracted).toEqual(fixtureGrpc);
    expect(oursGrpc).not.toEqual(fixtureGrpc);
  });

  // assembly/sdk/abi.ts declares every host function by hand from the spec's text:
  // a second, independent transcription to hold the table against.
  it("agrees with the host functions declared in assembly/sdk/abi.ts", () => {
    const source = readFileSync(join(REPO_ROOT, "assembly", "sdk", "abi.ts"), "utf8");
    const declaration = /@external\("([^"]+)",\s*"([^"]+)"\)\s*export declare function \w+\(([^)]*)\):\s*(\w+)/g;
    const wasmType = (asType: string): string => (["u64", "i64"].includes(asType) ? "i64" : asType === "void" ? "" : "i32");
    const declared = [...source.matchAll(declaration)].map(([, module, name, params, result]) => ({
      key: module === "env" ? name! : `${module}.${name}`,
      signature: {
        params: params!.split(",").map((param) => param.trim()).filter(Boolean).map((param) => wasmType(param.split(":")[1]!.trim())),
        results: [wasmType(result!)].filter(Boolean),
      },
    }));
    expect(declared.length).toBeGreaterThanOrEqual(40);
    for (const { key, signature } of declared) expect({ key, signature }).toEqual({ key, signature: table.imports[key] });
  });
});
