import { describe, expect, test } from "vitest";
import { envoyProtoRoot } from "../../src/envoyfilter/envoy-protos.js";
import { StrictProtoJson } from "../../src/envoyfilter/strict-proto-json.js";

const codec = new StrictProtoJson(envoyProtoRoot());
const WASM = "envoy.extensions.filters.http.wasm.v3.Wasm";
const ROUTE = "envoy.config.route.v3.Route";

function wasm(config: Record<string, unknown>): Record<string, unknown> {
  return {
    config: {
      name: "f",
      vm_config: { runtime: "envoy.wasm.runtime.v8", code: { local: { filename: "/f.wasm" } } },
      configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: "{}" },
      ...config,
    },
  };
}

describe("StrictProtoJson", () => {
  test("the Wasm filter protos are shipped and load", () => {
    expect(codec.lookupType(`type.googleapis.com/${WASM}`)?.fullName).toBe(`.${WASM}`);
    expect(codec.lookupType("envoy.extensions.wasm.v3.PluginConfig")?.fields.fail_open.type).toBe("bool");
  });

  test("accepts snake_case and lowerCamel names, and survives the round trip", () => {
    expect(codec.check(WASM, wasm({ root_id: "r", fail_open: false }))).toEqual([]);
    expect(codec.check(WASM, wasm({ rootId: "r", failOpen: true }))).toEqual([]);
  });

  test("unknown fields are errors, also inside Any payloads", () => {
    expect(codec.check(WASM, wasm({ failOpen: true, fail_closed: true }))).toEqual([
      { path: "config.fail_closed", message: 'unknown field "fail_closed" in envoy.extensions.wasm.v3.PluginConfig' },
    ]);
    const typed = { name: "x", typed_config: { "@type": `type.googleapis.com/${WASM}`, ...wasm({}), extra: 1 } };
    expect(codec.check("envoy.config.core.v3.TypedExtensionConfig", typed)).toEqual([
      { path: "typed_config.extra", message: `unknown field "extra" in ${WASM}` },
    ]);
  });

  test("Any needs a known @type, and wrapper payloads take only value", () => {
    expect(codec.check("envoy.config.core.v3.TypedExtensionConfig", { name: "x", typed_config: { "@type": "type.googleapis.com/envoy.Nope" } })).toEqual([
      { path: "typed_config.@type", message: "unknown type type.googleapis.com/envoy.Nope: not among the loaded Envoy protos" },
    ]);
    const bad = wasm({ configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: 1, json: "{}" } });
    expect(codec.check(WASM, bad).map((i) => i.path)).toEqual(["config.configuration.json", "config.configuration.value"]);
  });

  test("field types, enums and durations", () => {
    const issues = codec.check(ROUTE, {
      match: { prefix: "/", case_sensitive: "yes" },
      route: { cluster: "c", timeout: "5 seconds", priority: "URGENT", max_grpc_timeout: "1.5s" },
    });
    expect(issues.map((i) => i.path)).toEqual(["match.case_sensitive", "route.timeout", "route.priority"]);
    expect(issues[2].message).toMatch(/must be one of DEFAULT, HIGH/);
  });

  test("oneofs allow one member; validate.required oneofs need one", () => {
    expect(codec.check(ROUTE, { match: { prefix: "/", path: "/x" }, route: { cluster: "c" } })[0].message).toMatch(/oneof path_specifier .* prefix and path are set/);
    expect(codec.check(ROUTE, { match: {}, route: { cluster: "c" } })[0]).toEqual({
      path: "match",
      message: expect.stringMatching(/^one of prefix, path, safe_regex.* is required \(oneof path_specifier\)$/),
    });
  });

  test("protoc-gen-validate rules: required messages and string lengths", () => {
    const remote = wasm({ vm_config: { code: { remote: { sha256: "" } } } });
    expect(codec.check(WASM, remote)).toEqual([
      { path: "config.vm_config.code.remote.http_uri", message: "required field is missing (validate.rules)" },
      { path: "config.vm_config.code.remote.sha256", message: "must have at least 1 character(s)" },
    ]);
    expect(codec.check(ROUTE, { match: { prefix: "/" }, route: { cluster_header: "" } })).toEqual([
      { path: "route.cluster_header", message: "must have at least 1 character(s)" },
    ]);
  });

  test("integer ranges, int64 as strings, null", () => {
    expect(codec.check(ROUTE, { match: { prefix: "/" }, route: { cluster: "c", idle_timeout: null } })[0]).toMatchObject({ path: "route.idle_timeout" });
    const vhost = { name: "v", domains: ["*"], per_request_buffer_limit_bytes: 4294967296 };
    expect(codec.check("envoy.config.route.v3.VirtualHost", vhost)[0]).toMatchObject({ path: "per_request_buffer_limit_bytes" });
    const route = { match: { prefix: "/" }, route: { cluster: "c" }, per_request_buffer_limit_bytes: 1 };
    expect(codec.check(ROUTE, route)).toEqual([]);
  });

  test("the round trip catches what the walker cannot see: a lone surrogate is not UTF-8", () => {
    const issues = codec.check(ROUTE, { name: "bad\uD800", match: { prefix: "/" }, route: { cluster: "c" } });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: "name", message: expect.stringMatching(/^changed by the protobuf round trip/) });
  });

  test("Struct values (WasmPlugin pluginConfig) round-trip", () => {
    expect(codec.check("google.protobuf.Struct", { a: [1, "x", true, null, { b: 2.5 }] })).toEqual([]);
  });
});
