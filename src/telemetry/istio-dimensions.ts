/**
 * The labels of Istio's standard metrics (istio.io docs "Istio Standard Metrics", and istio/proxy
 * extensions/common/context.h `STD_ISTIO_DIMENSIONS`). A Wasm stats filter encodes them in the stat name
 * as `<tag>=.=<value>;.;`; Envoy turns them into labels only for tags listed in the proxy's extraStatTags.
 */
export const ISTIO_STANDARD_DIMENSIONS: readonly string[] = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_cluster",
  "request_protocol",
  "response_code",
  "grpc_response_status",
  "response_flags",
  "connection_security_policy",
];
