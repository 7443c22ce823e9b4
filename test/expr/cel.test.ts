import { readFileSync } from "node:fs";
import loader from "@assemblyscript/loader";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";

interface CelExports extends Record<string, unknown> {
  _initialize(): void;
  celCompile(text: number): number;
  celLastError(): number;
  celEvaluate(handle: number): number;
  setStringAttribute(path: number, value: number): void;
  setIntAttribute(path: number, value: bigint): void;
  setBoolAttribute(path: number, value: number): void;
  setMapAttribute(path: number, entries: number): void;
  clearAttributes(): void;
  lookupCount(): number;
}

const WASM = "build/test/cel-harness-runtime.wasm";
let cel: loader.ASUtil & CelExports;

beforeAll(async () => {
  await compileAssemblyScript("test/modules/cel-harness/index.ts", WASM, { extraFlags: ["--exportRuntime"] });
  const { exports } = await loader.instantiate<CelExports>(readFileSync(WASM), {});
  exports._initialize();
  cel = exports as loader.ASUtil & CelExports;
});

const str = (text: string) => cel.__newString(text);
const key = (dotted: string) => str(dotted.split(".").join("\0"));

function compile(text: string): number | string {
  const handle = cel.celCompile(str(text));
  return handle < 0 ? cel.__getString(cel.celLastError()) : handle;
}

function run(text: string): string {
  const handle = compile(text);
  if (typeof handle === "string") throw new Error(handle);
  return cel.__getString(cel.celEvaluate(handle));
}

function givenRequest(): void {
  cel.clearAttributes();
  cel.setStringAttribute(key("request.host"), str("reviews:9080"));
  cel.setStringAttribute(key("request.path"), str("/reviews/1?x=1"));
  cel.setStringAttribute(key("request.url_path"), str("/reviews/1"));
  cel.setStringAttribute(key("request.method"), str("GET"));
  cel.setStringAttribute(key("request.protocol"), str("HTTP/2"));
  cel.setStringAttribute(str("request\0headers\0x-user"), str("jason"));
  cel.setMapAttribute(key("request.headers"), str("x-user=jason\n:method=GET"));
  cel.setIntAttribute(key("response.code"), 503n);
  cel.setIntAttribute(key("response.grpc_status"), 14n);
  cel.setIntAttribute(key("destination.port"), 9080n);
  cel.setStringAttribute(key("source.address"), str("10.0.0.7:51234"));
  cel.setStringAttribute(key("upstream.address"), str("10.0.1.9:9080"));
  cel.setBoolAttribute(key("connection.mtls"), 1);
  cel.setStringAttribute(str("xds\0node\0metadata\0NAMESPACE"), str("bookinfo"));
  cel.setStringAttribute(str("node\0metadata\0X"), str("x-value"));
  cel.setStringAttribute(str("filter_state\0k"), str("state"));
}

describe("CEL subset: Istio attribute expressions", () => {
  it("reads the documented attributes", () => {
    givenRequest();
    expect(run("request.headers['x-user']")).toBe("string:jason");
    expect(run("request.host")).toBe("string:reviews:9080");
    expect(run("request.path")).toBe("string:/reviews/1?x=1");
    expect(run("request.url_path")).toBe("string:/reviews/1");
    expect(run("request.method")).toBe("string:GET");
    expect(run("request.protocol")).toBe("string:HTTP/2");
    expect(run("response.code")).toBe("int:503");
    expect(run("response.grpc_status")).toBe("int:14");
    expect(run("string(destination.port)")).toBe("string:9080");
    expect(run("xds.node.metadata['NAMESPACE']")).toBe("string:bookinfo");
    expect(run("node.metadata['X']")).toBe("string:x-value");
    expect(run("filter_state['k']")).toBe("string:state");
    expect(run("source.address")).toBe("string:10.0.0.7:51234");
    expect(run("upstream.address")).toBe("string:10.0.1.9:9080");
    expect(run("connection.mtls")).toBe("bool:true");
  });

  it("folds field selection and constant indexes into the same attribute path", () => {
    givenRequest();
    expect(run("request.headers['x-user']")).toBe(run("request.headers[\"x-user\"]"));
    expect(run("xds.node.metadata.NAMESPACE")).toBe("string:bookinfo");
    // A dynamic key goes through the map value instead.
    expect(run("request.headers['x-' + 'user']")).toBe("string:jason");
  });

  it("evaluates operators with CEL semantics", () => {
    givenRequest();
    expect(run("response.code >= 500 && request.method == 'GET'")).toBe("bool:true");
    expect(run("response.code < 400 || request.method != 'GET'")).toBe("bool:false");
    expect(run("!(response.code == 200)")).toBe("bool:true");
    expect(run("response.code >= 500 ? 'server' : 'client'")).toBe("string:server");
    expect(run("request.method + ' ' + request.url_path")).toBe("string:GET /reviews/1");
    expect(run("response.code + 1")).toBe("int:504");
    expect(run("response.code / 100 * 100 - 3 % 2")).toBe("int:499");
    expect(run("-response.code")).toBe("int:-503");
    expect(run("'a' < 'b'")).toBe("bool:true");
    expect(run("request.method in ['GET', 'HEAD']")).toBe("bool:true");
    expect(run("'x-user' in request.headers")).toBe("bool:true");
    expect(run("'x-other' in request.headers")).toBe("bool:false");
    expect(run("[1, 2] + [3]")).toBe("list:[int:1,int:2,int:3]");
    expect(run("null == null")).toBe("bool:true");
    expect(run("true")).toBe("bool:true");
    expect(run("0x10 + 2u")).toBe("int:18");
  });

  it("supports has(), size(), int(), string() and string methods", () => {
    givenRequest();
    expect(run("has(request.headers.xuser)")).toBe("bool:false");
    expect(run("has(request.headers['x-user'])")).toBe("bool:true");
    expect(run("has(xds.node.metadata.NAMESPACE)")).toBe("bool:true");
    expect(run("size(request.headers)")).toBe("int:2");
    expect(run("size('héllo')")).toBe("int:5");
    expect(run("request.url_path.size()")).toBe("int:10");
    expect(run("int('42') + 1")).toBe("int:43");
    expect(run("int('-7')")).toBe("int:-7");
    expect(run("string(true)")).toBe("string:true");
    expect(run("request.path.startsWith('/reviews')")).toBe("bool:true");
    expect(run("request.path.endsWith('x=1')")).toBe("bool:true");
    expect(run("request.host.contains(':90')")).toBe("bool:true");
    expect(run("'a\\tb\\x41\\u00e9'")).toBe("string:a\tbAé");
    expect(run("r'a\\tb'")).toBe("string:a\\tb");
  });

  it("yields errors, not traps, for missing attributes and type mismatches", () => {
    givenRequest();
    expect(run("request.headers['missing']")).toBe("error:no such attribute: request.headers.missing");
    expect(run("response.code + 'x'")).toMatch(/^error:no matching overload/);
    expect(run("int('12x')")).toMatch(/^error:cannot convert/);
    expect(run("1 / 0")).toBe("error:division by zero");
    expect(run("9223372036854775807 + 1")).toBe("error:int overflow");
    expect(run("-9223372036854775808")).toBe("int:-9223372036854775808");
    expect(run("request.method < 3")).toMatch(/^error:/);
    expect(run("size(response.code)")).toMatch(/^error:/);
    expect(run("[1][5]")).toMatch(/^error:index out of range/);
    // && and || absorb an error when the other side decides.
    expect(run("missing.attr == 'x' && false")).toBe("bool:false");
    expect(run("missing.attr == 'x' || true")).toBe("bool:true");
    expect(run("missing.attr == 'x' || false")).toBe("error:no such attribute: missing.attr");
    expect(run("missing.attr ? 1 : 2")).toBe("error:no such attribute: missing.attr");
  });

  it("names the expression and the byte position of a syntax error", () => {
    expect(compile("request.headers[")).toBe('invalid expression "request.headers[" at byte 16: unexpected end of expression');
    expect(compile("response.code ==")).toMatch(/^invalid expression "response.code ==" at byte 16: /);
    expect(compile("'é' + (1")).toBe("invalid expression \"'é' + (1\" at byte 9: expected ')' before the end");
    expect(compile("a.b(1)")).toMatch(/at byte 4: unsupported method 'b'/);
    expect(compile("foo(1)")).toMatch(/at byte 4: unsupported function 'foo'/);
    expect(compile("has(1)")).toMatch(/has\(\) needs a field selection/);
    expect(compile("1.5")).toMatch(/at byte 1: floating-point literals are not supported/);
    expect(compile("'open")).toMatch(/unterminated string/);
    expect(compile("a b")).toMatch(/at byte 2: unexpected 'b'/);
    expect(compile("99999999999999999999")).toMatch(/integer literal out of range/);
  });

  it("parses once and only looks attributes up when evaluating", () => {
    givenRequest();
    const handle = compile("request.method == 'GET' && response.code == 503");
    expect(typeof handle).toBe("number");
    const before = cel.lookupCount();
    for (let i = 0; i < 10; i++) expect(cel.__getString(cel.celEvaluate(handle as number))).toBe("bool:true");
    expect(cel.lookupCount() - before).toBe(20);
  });
});
