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
