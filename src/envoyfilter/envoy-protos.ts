import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import protobuf from "protobufjs";

const require = createRequire(import.meta.url);

/**
 * Envoy's API protos as shipped by `@grpc/grpc-js-xds` (deps/envoy-api, with xds/udpa, googleapis and
 * protoc-gen-validate beside it). The Wasm filter's own messages are among them
 * (envoy/extensions/filters/http/wasm/v3/wasm.proto, envoy/extensions/wasm/v3/wasm.proto).
 */
export function protoIncludeDirs(): string[] {
  const deps = join(dirname(require.resolve("@grpc/grpc-js-xds/package.json")), "deps");
  // protobufjs ships google/protobuf/descriptor.proto, which the udpa/validate annotations import.
  const protobufjsDir = dirname(require.resolve("protobufjs/package.json"));
  return [join(deps, "envoy-api"), join(deps, "xds"), join(deps, "googleapis"), join(deps, "protoc-gen-validate"), protobufjsDir];
}

/** The files whose messages generated EnvoyFilters embed. */
export const ENVOY_PROTO_FILES = [
  "envoy/extensions/filters/http/wasm/v3/wasm.proto",
  "envoy/extensions/filters/network/wasm/v3/wasm.proto",
  "envoy/config/listener/v3/listener_components.proto",
  "envoy/config/core/v3/extension.proto",
  "envoy/config/core/v3/config_source.proto",
  "envoy/config/route/v3/route_components.proto",
  "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto",
  "google/protobuf/wrappers.proto",
];

let cachedRoot: protobuf.Root | undefined;

/** Loads (once) the Envoy protos with field names kept as written (snake_case). */
export function envoyProtoRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const includeDirs = protoIncludeDirs();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of includeDirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    // Not on disk: protobufjs then uses its bundled copy (google/protobuf/any.proto, struct.proto, ...).
    return target;
  };
  root.loadSync(ENVOY_PROTO_FILES, { keepCase: true });
  root.resolveAll();
  cachedRoot = root;
  return root;
}
