// Request attributes as HttpContext serves them (proxy_get_property's lookups), read directly.
import { beforeEach, describe, expect, it } from "vitest";
import { ProxyHost, type Plugin } from "../../src/host/index.js";
import { modulePath } from "./support.js";

let plugin: Plugin;

beforeEach(async () => {
  plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic"), name: "attributes" });
});

function attributes(headers: Record<string, string | string[]>) {
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders(headers, true);
  http.callOnResponseHeaders({ ":status": "503" }, true);
  return (path: string) => {
    const value = http.lookupProperty(path.split("."));
    return value === undefined ? undefined : Buffer.from(value).toString("latin1");
  };
}

describe("HttpContext request attributes", () => {
  it("splits the path at the first '?' for url_path and query", () => {
    const read = attributes({ ":path": "/a/b?x=1?y=2" });
    expect(read("request.path")).toBe("/a/b?x=1?y=2");
    expect(read("request.url_path")).toBe("/a/b");
    expect(read("request.query")).toBe("x=1?y=2");
    const plain = attributes({ ":path": "/plain" });
    expect(plain("request.url_path")).toBe("/plain");
    expect(plain("request.query")).toBe("");
  });

  it("copies short and long values byte for byte, including bytes above 0x7f", () => {
    const long = "/" + "segment/".repeat(20) + "\u00e9nd";
    const read = attributes({ ":path": long, "user-agent": "caf\u00e9" });
    expect(read("request.path")).toBe(Buffer.from(long, "utf8").toString("latin1"));
    expect(read("request.useragent")).toBe(Buffer.from("caf\u00e9", "utf8").toString("latin1"));
  });

  it("serves one header value as is and joins repeated ones with commas", () => {
    const read = attributes({ ":path": "/", "x-one": "1", "x-many": ["a", "b", "c"] });
    expect(read("request.headers.x-one")).toBe("1");
    expect(read("request.headers.x-many")).toBe("a,b,c");
    expect(read("request.headers.x-none")).toBeUndefined();
  });

  it("serves the response code as an int64", () => {
    const read = attributes({ ":path": "/" });
    expect([...Buffer.from(read("response.code")!, "latin1")]).toEqual([0xf7, 0x01, 0, 0, 0, 0, 0, 0]);
  });
});

describe("HttpContext sizes, duration and flags (Envoy's expression context)", () => {
  const int64 = (value: Uint8Array | undefined) => (value === undefined ? undefined : Buffer.from(value).readBigInt64LE(0));

  it("takes request.size from Content-Length, else the body received; a non-number makes it absent", async () => {
    const host = new ProxyHost();
    const withBodyPlugin = await host.startPlugin({ wasm: modulePath("host-basic"), name: "sizes" });
    const sized = withBodyPlugin.newHttpContext();
    sized.callOnRequestHeaders({ ":path": "/", "content-length": " 12 " });
    expect(int64(sized.lookupProperty(["request", "size"]))).toBe(12n);
    const bodied = withBodyPlugin.newHttpContext();
    bodied.callOnRequestHeaders({ ":path": "/" });
    bodied.callOnRequestBody("hello", true);
    expect(int64(bodied.lookupProperty(["request", "size"]))).toBe(5n);
    const broken = withBodyPlugin.newHttpContext();
    broken.callOnRequestHeaders({ ":path": "/", "content-length": "12abc" }, true);
    expect(broken.lookupProperty(["request", "size"])).toBeUndefined();
  });

  it("counts header bytes (names and values) and body bytes in request.total_size and response.total_size", () => {
    const http = plugin.newHttpContext();
    // Request headers as the host completes them: :path, :authority, :method and :scheme are filled in.
    http.callOnRequestHeaders({ ":path": "/abc", ":authority": "h", ":method": "POST", ":scheme": "http", "x-a": "1" });
    http.callOnRequestBody("0123456789", true);
    const requestHeaderBytes = ":path/abc:authorityh:methodPOST:schemehttpx-a1".length;
    expect(int64(http.lookupProperty(["request", "total_size"]))).toBe(BigInt(requestHeaderBytes + 10));
    http.callOnResponseHeaders({ ":status": "200", "content-type": "text/plain" });
    http.callOnResponseBody("abcd", false);
    http.callOnResponseTrailers({ "grpc-status": "0" });
    const responseHeaderBytes = ":status200content-typetext/plain".length + "grpc-status0".length;
    expect(int64(http.lookupProperty(["response", "total_size"]))).toBe(BigInt(responseHeaderBytes + 4));
    expect(int64(http.lookupProperty(["response", "flags"]))).toBe(0n);
  });

  it("serves request.duration from the stream's start to its completion, and not before", async () => {
    const host = new ProxyHost();
    const timed = await host.startPlugin({ wasm: modulePath("host-basic"), name: "duration" });
    const http = timed.newHttpContext();
    http.callOnRequestHeaders({ ":path": "/" }, true);
    host.advanceTime(42.5);
    expect(http.lookupProperty(["request", "duration"])).toBeUndefined();
    http.complete();
    expect(int64(http.lookupProperty(["request", "duration"]))).toBe(42_500_000n);
  });
});

describe("HttpContext response.grpc_status (Envoy's Grpc::Common::getGrpcStatus)", () => {
  const grpcStatus = (response: Record<string, string>, trailers?: Record<string, string>) => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":path": "/pkg.Service/Method", "content-type": "application/grpc" }, true);
    http.callOnResponseHeaders(response, trailers === undefined);
    if (trailers !== undefined) http.callOnResponseTrailers(trailers);
    const value = http.lookupProperty(["response", "grpc_status"]);
    return value === undefined ? undefined : Number(Buffer.from(value).readBigInt64LE(0));
  };

  it("reads the trailers first, then the headers of a trailers-only reply", () => {
    expect(grpcStatus({ ":status": "200", "grpc-status": "3" }, { "grpc-status": "5" })).toBe(5);
    expect(grpcStatus({ ":status": "200", "grpc-status": "16" })).toBe(16);
  });

  it("turns a code above the known ones or a non-number into InvalidCode (-1)", () => {
    expect(grpcStatus({ ":status": "200", "grpc-status": "17" })).toBe(-1);
    expect(grpcStatus({ ":status": "200" }, { "grpc-status": "abc" })).toBe(-1);
  });

  it("maps the HTTP status when no grpc-status came", () => {
    expect(grpcStatus({ ":status": "503" })).toBe(14);
    expect(grpcStatus({ ":status": "401" })).toBe(16);
    expect(grpcStatus({ ":status": "404" })).toBe(12);
    expect(grpcStatus({ ":status": "200" })).toBe(2);
  });
});
