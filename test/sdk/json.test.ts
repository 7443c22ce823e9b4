// The SDK's strict JSON parser (assembly/sdk/json.ts), driven through module test/modules/sdk-json:
// the request body is parsed and echoed back re-serialized, or answered with `<error>|<byte offset>`.
import { beforeAll, describe, expect, it } from "vitest";
import { PluginLoadError, ProxyHost, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

let plugin: Plugin;

beforeAll(async () => {
  plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-json") });
});

function parse(body: string | Uint8Array, maxDepth?: number): { status: number; body: string } {
  const http = plugin.newHttpContext();
  const headers: Record<string, string> = { ":method": "POST", ":path": "/", ":authority": "a" };
  if (maxDepth !== undefined) headers["x-max-depth"] = String(maxDepth);
  http.callOnRequestHeaders(headers);
  http.callOnRequestBody(body, true);
  const reply = http.localResponse!;
  return { status: reply.status, body: reply.bodyText };
}

describe("valid documents", () => {
  it.each([
    '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
    "  [1, -2.5, 3e2, 0.125, 1E-3, 2.5e+1, 100000000000]  ",
    "{}",
    "[]",
    '""',
    "42",
    "null",
    '{"nested":{"list":[[],[{}],{"x":[1,[2,[3]]]}]}}',
    '"tab\\t nl\\n quote\\" slash\\/ back\\\\ bs\\b ff\\f cr\\r"',
    '"escaped \\u00e9\\u4e2d and raw é中"',
    '"control \\u0001 and nul \\u0000"',
  ])("%s", (text) => {
    const { status, body } = parse(text);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual(JSON.parse(text));
  });

  it("joins surrogate pairs into one 4-byte UTF-8 sequence", () => {
    const { status, body } = parse('"smile \\ud83d\\ude00 raw 😀"');
    expect(status).toBe(200);
    expect(JSON.parse(body)).toBe("smile 😀 raw 😀");
    expect(Buffer.from(JSON.parse(body) as string).subarray(6, 10)).toEqual(Buffer.from([0xf0, 0x9f, 0x98, 0x80]));
  });

  it("keeps the last of duplicate keys", () => {
    expect(JSON.parse(parse('{"a":1,"b":2,"a":3}').body)).toEqual({ a: 3, b: 2 });
  });

  it("converts numbers", () => {
    // The first ten convert exactly; far exponents may be an ulp or two off (see decimalToF64).
    const numbers = [0, 7, -13, 0.1, 0.5, 1.25, 3.14159, 1e-7, 6.02e23, 9007199254740991, 1e300, 2.5e-300, 1.2345678901234567e200];
    const values = JSON.parse(parse(JSON.stringify(numbers)).body) as number[];
    expect(values.slice(0, 10)).toEqual(numbers.slice(0, 10));
    for (let i = 10; i < numbers.length; i++) expect(Math.abs(values[i]! - numbers[i]!) / numbers[i]!).toBeLessThan(1e-14);
  });

  it("accepts nesting up to the depth limit", () => {
    const deep = "[".repeat(64) + "]".repeat(64);
    expect(parse(deep).status).toBe(200);
    expect(parse("[[[]]]", 3).status).toBe(200);
  });
});

describe("invalid documents", () => {
  it.each([
    ["", "unexpected end of input", 0],
    ["   ", "unexpected end of input", 3],
    ['{"a":1,}', "expected string key", 7],
    ["[1,2", "expected ',' or ']'", 4],
    ['{"a" 1}', "expected ':'", 5],
    ['{"a":1 "b":2}', "expected ',' or '}'", 7],
    ["[01]", "leading zero in number", 2],
    ["[1.]", "expected digit after decimal point", 3],
    ["1e", "expected digit in exponent", 2],
    ["-", "expected digit", 1],
    ["+1", "unexpected character", 0],
    ['"abc', "unterminated string", 4],
    ['"a\u0001b"', "control character in string", 2],
    ['"\\x"', "invalid escape", 2],
    ['"\\u12G4"', "invalid hex digit in \\u escape", 5],
    ['"\\ud800"', "high surrogate not followed by a low surrogate", 7],
    ['"\\ud800\\u0041"', "high surrogate not followed by a low surrogate", 7],
    ['"\\udc00"', "lone low surrogate", 1],
    ["tru", "invalid literal, expected true", 3],
    ["nul", "invalid literal, expected null", 3],
    ["[1] x", "unexpected data after the JSON value", 4],
    ["{'a':1}", "expected string key", 1],
    ["[1,]", "unexpected character", 3],
  ])("%j: %s at %d", (text, message, position) => {
    expect(parse(text)).toEqual({ status: 400, body: `${message} at byte ${position}|${position}` });
  });

  it.each([
    [[0x22, 0xff, 0x22], 1],
    [[0x22, 0xc0, 0xaf, 0x22], 1],
    [[0x22, 0x61, 0xed, 0xa0, 0x80, 0x22], 2],
    [[0x22, 0xe4, 0xb8, 0x22], 1],
  ])("rejects invalid UTF-8 %j at %d", (bytes, position) => {
    expect(parse(Uint8Array.from(bytes)).body).toBe(`invalid UTF-8 at byte ${position}|${position}`);
  });

  it("counts error positions in UTF-8 bytes", () => {
    expect(parse('["é", x]').body).toBe("unexpected character at byte 7|7");
  });

  it("stops at the depth limit", () => {
    const deep = "[".repeat(65) + "]".repeat(65);
    expect(parse(deep).body).toBe("nesting deeper than 64 at byte 64|64");
    expect(parse('{"a":{"b":[]}}', 2).body).toBe("nesting deeper than 2 at byte 10|10");
  });
});

describe("configuration objects", () => {
  it("read typed members of the plugin configuration", async () => {
    const configured = await new ProxyHost().startPlugin({
      wasm: testModule("sdk-json"),
      pluginConfig: { name: "demo", retries: 3, enabled: true, tags: ["a", "b"], nested: {} },
    });
    expect(configured.logs()).toContain("config name=demo retries=3.0 enabled=true tags=2 nested=yes");
  });

  it("fall back to defaults for missing or mistyped members", async () => {
    const configured = await new ProxyHost().startPlugin({ wasm: testModule("sdk-json"), pluginConfig: { name: 5, enabled: "yes" } });
    expect(configured.logs()).toContain("config name=? retries=-1.0 enabled=false tags=0 nested=no");
  });

  it("reject the plugin when the configuration is not JSON", async () => {
    const start = new ProxyHost().startPlugin({ wasm: testModule("sdk-json"), pluginConfig: "{broken" });
    await expect(start).rejects.toBeInstanceOf(PluginLoadError);
    await start.catch((error: PluginLoadError) => {
      expect(error.logs.map((entry) => entry.message)).toContain("config error: expected string key at byte 1");
    });
  });
});
