/**
 * The proxy's own workload, from its node metadata (`xds.node.metadata`:
 * WORKLOAD_NAME, NAMESPACE, CLUSTER_ID and the pod LABELS), read once at
 * configure time the way istio_stats.cc's `Context` reads `node.metadata()`.
 */
import { getPropertyString } from "../../sdk";

function metadata(key: string): string {
  const value = getPropertyString(["xds", "node", "metadata", key]);
  return value === null ? "" : value;
}

function label(key: string): string {
  const value = getPropertyString(["xds", "node", "metadata", "LABELS", key]);
  return value === null ? "" : value;
}

function orUnknown(value: string): string { return value.length > 0 ? value : "unknown"; }

export class LocalNode {
  workload: string = "unknown";
  namespace: string = "unknown";
  cluster: string = "unknown";
  app: string = "unknown";
  version: string = "unknown";
  canonicalService: string = "unknown";
  canonicalRevision: string = "latest";

  /** Reads the node metadata; missing fields stay "unknown" ("latest" for the revision, as Istio labels pods). */
  static read(): LocalNode {
    const node = new LocalNode();
    node.workload = orUnknown(metadata("WORKLOAD_NAME"));
    node.namespace = orUnknown(metadata("NAMESPACE"));
    node.cluster = orUnknown(metadata("CLUSTER_ID"));
    let app = label("app");
    if (app.length == 0) app = label("app.kubernetes.io/name");
    node.app = orUnknown(app);
    let version = label("version");
    if (version.length == 0) version = label("app.kubernetes.io/version");
    node.version = orUnknown(version);
    node.canonicalService = orUnknown(label("service.istio.io/canonical-name"));
    const revision = label("service.istio.io/canonical-revision");
    node.canonicalRevision = revision.length > 0 ? revision : "latest";
    return node;
  }
}
