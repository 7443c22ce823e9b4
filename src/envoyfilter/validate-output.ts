import { joinFieldPath, type ConfigIssue } from "../config/config-error.js";
import { istioKindOf, validateIstioResource } from "../config/resource-schemas.js";
import { envoyProtoRoot } from "./envoy-protos.js";
import { StrictProtoJson } from "./strict-proto-json.js";

/** The Envoy message an EnvoyFilter patch value must be, by `applyTo` (as istio/istio pkg/config/xds `BuildXDSObjectFromStruct`). */
const PATCH_MESSAGE_BY_APPLY_TO: Record<string, string> = {
  HTTP_FILTER: "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
  NETWORK_FILTER: "envoy.config.listener.v3.Filter",
  EXTENSION_CONFIG: "envoy.config.core.v3.TypedExtensionConfig",
  HTTP_ROUTE: "envoy.config.route.v3.Route",
  VIRTUAL_HOST: "envoy.config.route.v3.VirtualHost",
};

let codec: StrictProtoJson | undefined;

function protoCodec(): StrictProtoJson {
  codec ??= new StrictProtoJson(envoyProtoRoot());
  return codec;
}

/**
 * Validates one generated resource: its Istio schema (strict `@kubernetes-models/istio`), and for an
 * EnvoyFilter every patch value against Envoy's protos with an encode/decode round trip.
 */
export function validateGeneratedResource(resource: Record<string, unknown>, file: string): ConfigIssue[] {
  const apiVersion = String(resource.apiVersion);
  const kind = String(resource.kind);
  const metadata = resource.metadata as { name?: string; namespace?: string } | undefined;
  const label = `${kind} ${metadata?.namespace ?? "?"}/${metadata?.name ?? "?"}`;
  const issue = (path: (string | number)[], message: string): ConfigIssue => ({ file, resource: label, fieldPath: joinFieldPath(path), message });
  const istioKind = istioKindOf(apiVersion, kind);
  if (!istioKind) return [issue(["kind"], `generated an unsupported kind ${apiVersion} ${kind}`)];
  const issues = validateIstioResource(apiVersion, istioKind, resource).map((i) => issue(i.path, i.message));
  if (istioKind === "EnvoyFilter") {
    const patches = ((resource.spec as { configPatches?: Record<string, unknown>[] }).configPatches ?? []);
    patches.forEach((patch, index) => {
      const applyTo = String(patch.applyTo);
      const messageType = PATCH_MESSAGE_BY_APPLY_TO[applyTo];
      const base = ["spec", "configPatches", index, "patch", "value"];
      if (!messageType) {
        issues.push(issue(["spec", "configPatches", index, "applyTo"], `no Envoy message known for applyTo ${applyTo}`));
        return;
      }
      for (const protoIssue of protoCodec().check(messageType, (patch.patch as { value?: unknown }).value)) {
        issues.push(issue(base, `${protoIssue.path}: ${protoIssue.message} (${messageType})`));
      }
    });
  }
  if (istioKind === "WasmPlugin") {
    const pluginConfig = (resource.spec as { pluginConfig?: unknown }).pluginConfig;
    for (const protoIssue of protoCodec().check("google.protobuf.Struct", pluginConfig ?? {})) {
      issues.push(issue(["spec", "pluginConfig"], `${protoIssue.path}: ${protoIssue.message} (google.protobuf.Struct)`));
    }
  }
  return issues;
}
