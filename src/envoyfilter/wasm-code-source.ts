import { ConfigError } from "../config/config-error.js";
import type { ModuleArtifact } from "./module-artifacts.js";

/** Where proxies get the filter modules from. */
export interface WasmSourceOptions {
  /**
   * Base URL of the published modules: `https://host/path` or `http://...` (Envoy fetches
   * `<base>/<module>.wasm`), `file:///dir` (the file is already in the proxy container), or `oci://registry/repo`
   * (WasmPlugin only: istio-agent pulls `<base>/<module>:<tag>`). Default: `file://<localDir>`.
   */
  baseUrl?: string;
  /** Directory inside the proxy container holding `<module>.wasm` when no base URL is given. */
  localDir: string;
}

export const DEFAULT_LOCAL_DIR = "/var/local/lib/wasmixer";

type Scheme = "file" | "http" | "https" | "oci";

function parseBase(options: WasmSourceOptions): { scheme: Scheme; url: URL | undefined; dir: string } {
  if (options.baseUrl === undefined) return { scheme: "file", url: undefined, dir: options.localDir.replace(/\/+$/, "") };
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new ConfigError([{ fieldPath: "--wasm-base-url", message: `not a URL: ${options.baseUrl}` }]);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "file" && scheme !== "http" && scheme !== "https" && scheme !== "oci") {
    throw new ConfigError([{ fieldPath: "--wasm-base-url", message: `scheme must be https, http, file or oci, not ${scheme}` }]);
  }
  return { scheme, url, dir: scheme === "file" ? url.pathname.replace(/\/+$/, "") : "" };
}

/**
 * The Envoy `config.core.v3.AsyncDataSource` (proto3 JSON) for a module. Remote code names the Istio
 * outbound cluster of the URL's host (`outbound|<port>||<host>`), which a ServiceEntry must provide;
 * Envoy requires its `sha256`.
 */
export function envoyCodeSource(artifact: ModuleArtifact, options: WasmSourceOptions): Record<string, unknown> {
  const base = parseBase(options);
  if (base.scheme === "file") return { local: { filename: `${base.dir}/${artifact.module}.wasm` } };
  if (base.scheme === "oci") {
    throw new ConfigError([{ fieldPath: "--wasm-base-url", message: "oci:// modules can only be used with --wasmplugin: Envoy cannot pull OCI images, istio-agent does it for WasmPlugin" }]);
  }
  const url = base.url as URL;
  const port = url.port !== "" ? url.port : base.scheme === "https" ? "443" : "80";
  return {
    remote: {
      http_uri: { uri: `${url.href.replace(/\/+$/, "")}/${artifact.module}.wasm`, cluster: `outbound|${port}||${url.hostname}`, timeout: "10s" },
      sha256: artifact.sha256,
    },
  };
}

/** The WasmPlugin `url`, `sha256` and `imagePullPolicy` for a module. */
export function wasmPluginSource(artifact: ModuleArtifact, options: WasmSourceOptions): { url: string; sha256?: string; imagePullPolicy: string } {
  const base = parseBase(options);
  if (base.scheme === "file") return { url: `file://${base.dir}/${artifact.module}.wasm`, sha256: artifact.sha256, imagePullPolicy: "IfNotPresent" };
  const url = base.url as URL;
  if (base.scheme === "oci") {
    // The image digest is not the module's digest, so it cannot be pinned from here; a content-derived tag
    // makes every rebuilt module a new image reference instead.
    return { url: `${url.href.replace(/\/+$/, "")}/${artifact.module}:sha256-${artifact.sha256.slice(0, 16)}`, imagePullPolicy: "IfNotPresent" };
  }
  return { url: `${url.href.replace(/\/+$/, "")}/${artifact.module}.wasm`, sha256: artifact.sha256, imagePullPolicy: "IfNotPresent" };
}
