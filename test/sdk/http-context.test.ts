// HttpContext, HeaderMap, HostBuffer and local replies, end to end through the host (module test/modules/sdk-http).
import { beforeEach, describe, expect, it } from "vitest";
import { Action, LogLevel, ProxyHost, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

let plugin: Plugin;

beforeEach(async () => {
  plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-http") });
});

const request = (scenario: string, extra: [string, string][] = []): [string, string][] => [
  [":method", "GET"], [":path", "/"], [":authority", "example.com"], [":scheme", "http"], ["x-scenario", scenario], ...extra,
];

describe("header maps", () => {
  it("gets, gets all, adds, replaces and removes request headers", () => {
    const http = plugin.newHttpContext();
    const headers = request("headers", [["x-multi", "one"], ["x-multi", "two"], ["x-replaced", "a"], ["x-replaced", "b"], ["x-remove-me", "1"]]);
    expect(http.callOnRequestHeaders(headers, true)).toBe(Action.Continue);
    expect(http.getRequestHeader("x-all")).toBe("one|two");
    expect(http.getRequestHeader("x-count")).toBe(String(headers.length));
    expect(http.getRequestHeader("x-missing")).toBe("null");
    expect(http.getRequestHeader("x-has")).toBe("yes");
    expect(http.requestHeaders.filter(([k]) => k === "x-replaced")).toEqual([["x-replaced", "new"]]);
    expect(http.getRequestHeader("x-remove-me")).toBeUndefined();
    expect(http.requestHeaders.filter(([k]) => k === "x-multi").map(([, v]) => v)).toEqual(["one", "two", "three"]);
  });

  it("reads and rewrites response headers", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("headers"), true);
    expect(http.callOnResponseHeaders({ ":status": "201", server: "upstream" })).toBe(Action.Continue);
    expect(http.getResponseHeader("x-upstream-status")).toBe("201");
    expect(http.getResponseHeader("server")).toBe("wasmixer");
  });

  it("reads every pair and replaces the whole map", () => {
    const http = plugin.newHttpContext();
    const headers = request("set-pairs", [["x-a", "1"], ["x-a", "2"]]);
    http.callOnRequestHeaders(headers, true);
    // The host puts pseudo-headers first, so take the order the module saw from x-seen.
    const seen = http.getRequestHeader("x-seen")!.split(",").map((p) => p.split("=") as [string, string]);
    expect([...seen].sort()).toEqual([...headers].sort());
    expect(http.requestHeaders).toEqual([...seen].reverse().concat([["x-seen", http.getRequestHeader("x-seen")!]]));
  });

  it("passes non-ASCII header values through as UTF-8", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("headers", [["x-multi", "héllo"], ["x-multi", "日本"]]), true);
    expect(http.getRequestHeader("x-all")).toBe("héllo|日本");
  });
});

describe("bodies", () => {
  it("replaces the buffered request body once it is complete", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("body-replace"));
    expect(http.callOnRequestBody("abc", false)).toBe(Action.Pause);
    expect(http.callOnRequestBody("def", true)).toBe(Action.Continue);
    expect(http.requestBodyText).toBe("replaced(abcdef),6");
  });

  it("appends and prepends", () => {
    const append = plugin.newHttpContext();
    append.callOnRequestHeaders(request("body-append"));
    append.callOnRequestBody("body", true);
    expect(append.requestBodyText).toBe("body-tail");

    const prepend = plugin.newHttpContext();
    prepend.callOnRequestHeaders(request("body-prepend"));
    prepend.callOnRequestBody("body", true);
    expect(prepend.requestBodyText).toBe("head-body");
  });

  it("reads a slice and the size", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("body-read"));
    http.callOnRequestBody("0123456789", true);
    expect(plugin.logs()).toContain("slice=234 size=10");
  });

  it("rewrites a buffered response body", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("response-body"), true);
    http.callOnResponseHeaders({ ":status": "200" });
    expect(http.callOnResponseBody("the secret ", false)).toBe(Action.Pause);
    expect(http.callOnResponseBody("is secret", true)).toBe(Action.Continue);
    expect(http.responseBodyText).toBe("the ****** is ******");
  });
});

describe("trailers", () => {
  it("reads and changes request and response trailers", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("trailers"));
    http.callOnRequestBody("x", false);
    expect(http.callOnRequestTrailers({ "x-checksum": "abc", "x-drop": "1" })).toBe(Action.Continue);
    expect(http.requestTrailers).toEqual([["x-checksum", "abc"], ["x-seen-checksum", "abc"], ["x-trailer-count", "2"]]);
    http.callOnResponseHeaders({ ":status": "200" });
    http.callOnResponseTrailers({ "grpc-status": "2" });
    expect(http.responseTrailers).toEqual([["grpc-status", "0"], ["x-response-trailer-count", "1"]]);
  });
});

describe("local replies", () => {
  it("sends status, body, headers and details", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("local-reply"), true);
    const reply = http.localResponse!;
    expect(reply.status).toBe(403);
    expect(reply.bodyText).toBe("denied by sdk");
    expect(reply.headers.filter(([k]) => k === "x-reason").map(([, v]) => v)).toEqual(["test", "second"]);
    expect(reply.details).toBe("sdk_denied");
    expect(reply.grpcStatus).toBe(-1);
  });

  it("passes the gRPC status through", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("grpc-local-reply"), true);
    expect(http.localResponse?.status).toBe(401);
    expect(http.localResponse?.grpcStatus).toBe(16);
    expect(http.localResponse?.bodyText).toBe("no token");
  });

  it("closes the stream", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("close"), true);
    expect(http.closed.request).toBe(true);
  });
});

describe("aborts", () => {
  it("log the message and location at CRITICAL, then trap", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("abort"), true);
    expect(http.failed).toBe(true);
    const critical = plugin.logs(LogLevel.Critical);
    expect(critical[0]).toMatch(/^boom at test\/modules\/sdk-http\/index\.ts:\d+$/);
    expect(critical[1]).toMatch(/unreachable/);
  });
});

describe("logging", () => {
  it("logs at every level", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("log"), true);
    expect(plugin.logs()).toEqual(expect.arrayContaining([
      "trace message", "debug message", "info message", "warn message", "error message", "critical message",
    ]));
    expect(plugin.logs(LogLevel.Error)).toEqual(["error message", "critical message"]);
  });

  it("skips messages below the host's level", async () => {
    const quiet = await new ProxyHost().startPlugin({ wasm: testModule("sdk-http"), logLevel: LogLevel.Info });
    quiet.newHttpContext().callOnRequestHeaders(request("log"), true);
    const logs = quiet.logs();
    expect(logs).not.toContain("trace message");
    expect(logs).not.toContain("debug message");
    expect(logs).toContain("info message");
    expect(logs).toContain("enabled: debug=no warn=yes");
  });
});
