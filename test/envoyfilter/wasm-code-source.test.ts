import { expect, test } from "vitest";
import { envoyCodeSource, wasmPluginSource } from "../../src/envoyfilter/wasm-code-source.js";

const artifact = { module: "router", path: "build/router.wasm", sha256: "ab".repeat(32) };

test("local files by default, or under a file:// base", () => {
  expect(envoyCodeSource(artifact, { localDir: "/opt/wasm/" })).toEqual({ local: { filename: "/opt/wasm/router.wasm" } });
  expect(envoyCodeSource(artifact, { localDir: "/x", baseUrl: "file:///etc/wasm" })).toEqual({ local: { filename: "/etc/wasm/router.wasm" } });
  expect(wasmPluginSource(artifact, { localDir: "/opt/wasm" })).toEqual({ url: "file:///opt/wasm/router.wasm", sha256: artifact.sha256, imagePullPolicy: "IfNotPresent" });
});

test("http(s) modules are fetched through the host's outbound cluster and pinned by sha256", () => {
  expect(envoyCodeSource(artifact, { localDir: "/x", baseUrl: "http://files.internal:8080/wasm/" })).toEqual({
    remote: {
      http_uri: { uri: "http://files.internal:8080/wasm/router.wasm", cluster: "outbound|8080||files.internal", timeout: "10s" },
      sha256: artifact.sha256,
    },
  });
});

test("oci:// works only for WasmPlugin, with a content-derived tag", () => {
  expect(() => envoyCodeSource(artifact, { localDir: "/x", baseUrl: "oci://r.example.com/w" })).toThrow(/--wasmplugin/);
  expect(wasmPluginSource(artifact, { localDir: "/x", baseUrl: "oci://r.example.com/w" })).toEqual({
    url: "oci://r.example.com/w/router:sha256-abababababababab",
    imagePullPolicy: "IfNotPresent",
  });
  expect(() => wasmPluginSource(artifact, { localDir: "/x", baseUrl: "ftp://x/y" })).toThrow(/scheme must be/);
});
